export { AiType } from "./ai-type";
export { ApiClient, defaultBaseUrl } from "./client";
export type {
  CreateRepoAiApiKeyRequest,
  CreateRepoAiApiKeyResponse,
  DeleteRepoAiApiKeyResponse,
  ErrorResponse,
  GetRepoAiApiKeysPageRequest,
  GetRepoAiApiKeysPageResponse,
  GetRepoAiApiKeysResponse,
  GetRepoAiApiKeysWithUsageResponse,
  KeysUsage,
  RepoAiApiKeyDTO,
  RotateRepoAiApiKeyRequest,
  RotateRepoAiApiKeyResponse,
  SystemEventQueryRequest,
  SystemEventQueryResponse,
  SystemEventResponse,
  UpdateRepoAiApiKeyRequest,
  UpdateRepoAiApiKeyResponse,
  VerifyAiApiKeyRequest,
  VerifyAiApiKeyResponse,
} from "./contract";
export { HttpError } from "./http-error";
