export { AiType } from "./ai-type";
export { ApiClient, defaultBaseUrl } from "./client";
export type {
  CreateRepoAiApiKeyRequest,
  CreateRepoAiApiKeyResponse,
  DeleteRepoAiApiKeyResponse,
  ErrorResponse,
  GetRepoAiApiKeysResponse,
  RepoAiApiKeyDTO,
  SystemEventQueryRequest,
  SystemEventQueryResponse,
  SystemEventResponse,
  UpdateRepoAiApiKeyRequest,
  UpdateRepoAiApiKeyResponse,
} from "./contract";
export { HttpError } from "./http-error";
