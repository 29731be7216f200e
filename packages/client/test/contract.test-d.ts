// The contract's shapes (/work/shared/design/contract.md, Flashback's src/api/types/ai/aiapikey.ts and
// src/api/types/platform/systemevent.ts), written out by hand here as the spec the derived types must meet.
import { describe, expectTypeOf, it } from "vitest";
import {
  AiType,
  type ApiClient,
  type CreateRepoAiApiKeyRequest,
  type CreateRepoAiApiKeyResponse,
  type DeleteRepoAiApiKeyResponse,
  type ErrorResponse,
  type GetRepoAiApiKeysPageRequest,
  type GetRepoAiApiKeysPageResponse,
  type GetRepoAiApiKeysResponse,
  type HttpError,
  type RepoAiApiKeyDTO,
  type RotateRepoAiApiKeyRequest,
  type RotateRepoAiApiKeyResponse,
  type SystemEventQueryRequest,
  type SystemEventQueryResponse,
  type SystemEventResponse,
  type UpdateRepoAiApiKeyRequest,
  type UpdateRepoAiApiKeyResponse,
  type VerifyAiApiKeyRequest,
  type VerifyAiApiKeyResponse,
} from "../src";

type SpecAiType = "OPENAI" | "GOOGLE" | "ANTHROPIC" | "AWS" | "OTHER";
enum FlashbackAiType {
  OPENAI = "OPENAI",
  GOOGLE = "GOOGLE",
  ANTHROPIC = "ANTHROPIC",
  AWS = "AWS",
  OTHER = "OTHER",
}
interface SpecCreateRequest {
  name: string;
  aiType: SpecAiType;
}
interface SpecUpdateRequest {
  name?: string;
}
interface SpecCreateResponse {
  success: true;
  id: string;
  key: string;
  secret: string;
  message?: string;
}
interface SpecDto {
  id: string;
  name: string;
  repoId: string;
  key: string | null;
  aiType: SpecAiType;
  createdAt: string;
  deletedAt: string | null;
}
interface SpecListResponse {
  success: true;
  apiKeys: SpecDto[];
}
interface SpecMessageResponse {
  success: true;
  message: string;
}
interface SpecErrorBody {
  success: false;
  message: string;
}
interface SpecSystemEventQuery {
  skip: number;
  take: number;
  contextId?: string;
  context?: number;
  event?: number;
  userId?: string;
  workspaceId?: string;
  from_timestamp?: string;
  to_timestamp?: string;
  showUnread?: boolean;
}
interface SpecSystemEvent {
  id: number;
  timestamp: string;
  contextId: string;
  context: string;
  event: string;
  userId: string;
  userName: string;
  userEmail: string;
  workspaceId: string | null;
  jsonData: string | null;
}
interface SpecSystemEventPage {
  events: SpecSystemEvent[];
  total: number;
  skip: number;
  take: number;
}

/** Our additions to Flashback's shapes: optional on requests, extra fields on responses. */
interface OurCreateRequest extends SpecCreateRequest {
  expiresAt?: string;
}
interface OurDto extends SpecDto {
  expiresAt: string | null;
  lastUsedAt: string | null;
  version: string;
  replacedById: string | null;
}
/** A conditional rename's answer names the key's new version; an unconditional one is Flashback's. */
interface OurUpdateResponse extends SpecMessageResponse {
  version?: string;
}
interface OurListResponse {
  success: true;
  apiKeys: OurDto[];
}
interface OurPageResponse extends OurListResponse {
  nextCursor: string | null;
}

describe("the key family's types are the contract's, both ways", () => {
  it("requests", () => {
    expectTypeOf<CreateRepoAiApiKeyRequest>().toEqualTypeOf<OurCreateRequest>();
    // Flashback's two-field create is still a valid request.
    expectTypeOf<SpecCreateRequest>().toExtend<CreateRepoAiApiKeyRequest>();
    expectTypeOf<UpdateRepoAiApiKeyRequest>().toEqualTypeOf<SpecUpdateRequest>();
    // Code that uses Flashback's AiType enum still compiles against ours.
    expectTypeOf<{ name: string; aiType: FlashbackAiType }>().toExtend<CreateRepoAiApiKeyRequest>();
  });

  it("responses", () => {
    expectTypeOf<CreateRepoAiApiKeyResponse>().toEqualTypeOf<SpecCreateResponse>();
    expectTypeOf<RepoAiApiKeyDTO>().toEqualTypeOf<OurDto>();
    expectTypeOf<GetRepoAiApiKeysResponse>().toEqualTypeOf<OurListResponse>();
    // Code typed against Flashback's list reads ours unchanged.
    expectTypeOf<GetRepoAiApiKeysResponse>().toExtend<SpecListResponse>();
    expectTypeOf<UpdateRepoAiApiKeyResponse>().toEqualTypeOf<OurUpdateResponse>();
    expectTypeOf<SpecMessageResponse>().toExtend<UpdateRepoAiApiKeyResponse>();
    expectTypeOf<DeleteRepoAiApiKeyResponse>().toEqualTypeOf<SpecMessageResponse>();
  });

  it("AiType works as Flashback's enum does, as a value and as a type", () => {
    expectTypeOf(AiType.OPENAI).toEqualTypeOf<"OPENAI">();
    expectTypeOf<AiType>().toEqualTypeOf<SpecAiType>();
  });

  it("errors carry { success: false, message }", () => {
    expectTypeOf<ErrorResponse>().toExtend<SpecErrorBody>();
    expectTypeOf<SpecErrorBody>().toExtend<ErrorResponse>();
    expectTypeOf<HttpError["status"]>().toEqualTypeOf<number>();
    expectTypeOf<HttpError["data"]>().toEqualTypeOf<ErrorResponse>();
  });
});

describe("system events", () => {
  it("a Flashback query is accepted; ours is wider only where the server is", () => {
    expectTypeOf<SpecSystemEventQuery>().toExtend<SystemEventQueryRequest>();
    // skip and take default to 0 and 50; context and event may be names; repoId, via and before_id are our extras.
    expectTypeOf<
      Omit<SystemEventQueryRequest, "skip" | "take" | "context" | "event" | "repoId" | "via" | "before_id">
    >().toEqualTypeOf<Omit<SpecSystemEventQuery, "skip" | "take" | "context" | "event">>();
    expectTypeOf<SystemEventQueryRequest["skip"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<"aillmapikey">().toExtend<SystemEventQueryRequest["context"]>();
    expectTypeOf<"updated">().toExtend<SystemEventQueryRequest["event"]>();
  });

  it("events have the contract's fields; the user fields may be null (a deleted user), unlike Flashback's", () => {
    type UserFields = "userId" | "userName" | "userEmail";
    expectTypeOf<SpecSystemEvent>().toExtend<SystemEventResponse>();
    expectTypeOf<Omit<SystemEventResponse, UserFields>>().toEqualTypeOf<Omit<SpecSystemEvent, UserFields>>();
    expectTypeOf<SystemEventResponse[UserFields]>().toEqualTypeOf<string | null>();
    expectTypeOf<Omit<SystemEventQueryResponse, "events">>().toEqualTypeOf<Omit<SpecSystemEventPage, "events">>();
    expectTypeOf<SystemEventQueryResponse["events"]>().toEqualTypeOf<SystemEventResponse[]>();
  });
});

describe("ApiClient has Flashback's method names, argument order and types", () => {
  it("for the key family and system events", () => {
    expectTypeOf<ApiClient["createRepoAiApiKey"]>().toEqualTypeOf<
      (repoId: string, data: OurCreateRequest) => Promise<SpecCreateResponse>
    >();
    expectTypeOf<ApiClient["getRepoAiApiKeys"]>().toEqualTypeOf<(repoId: string) => Promise<OurListResponse>>();
    expectTypeOf<ApiClient["updateRepoAiApiKey"]>().toEqualTypeOf<
      (
        repoId: string,
        apikeyId: string,
        data: SpecUpdateRequest,
        options?: { ifVersion?: string },
      ) => Promise<OurUpdateResponse>
    >();
    expectTypeOf<ApiClient["deleteRepoAiApiKey"]>().toEqualTypeOf<
      (repoId: string, apikeyId: string) => Promise<SpecMessageResponse>
    >();
    expectTypeOf<ApiClient["getSystemEvents"]>().parameters.toEqualTypeOf<[data: SystemEventQueryRequest]>();
    expectTypeOf<ApiClient["getSystemEvents"]>().returns.toEqualTypeOf<Promise<SystemEventQueryResponse>>();
    expectTypeOf<ApiClient["setAuthToken"]>().toEqualTypeOf<(token: string | null) => void>();
  });
});

describe("beyond Flashback: the list by pages, rotation and the gateway's verification", () => {
  it("getRepoAiApiKeysPage takes a limit and an optional cursor and answers Flashback's list plus nextCursor", () => {
    expectTypeOf<GetRepoAiApiKeysPageRequest>().toEqualTypeOf<{ limit: number; cursor?: string }>();
    expectTypeOf<GetRepoAiApiKeysPageResponse>().toEqualTypeOf<OurPageResponse>();
    expectTypeOf<GetRepoAiApiKeysPageResponse>().toExtend<SpecListResponse>();
    expectTypeOf<ApiClient["getRepoAiApiKeysPage"]>().toEqualTypeOf<
      (repoId: string, page: GetRepoAiApiKeysPageRequest) => Promise<GetRepoAiApiKeysPageResponse>
    >();
  });

  it("rotateRepoAiApiKey takes an optional grace and expiry and answers the new key with its secret", () => {
    expectTypeOf<RotateRepoAiApiKeyRequest>().toEqualTypeOf<{ graceSeconds?: number; expiresAt?: string }>();
    expectTypeOf<RotateRepoAiApiKeyResponse>().toEqualTypeOf<{
      success: true;
      id: string;
      key: string;
      secret: string;
      previousId: string;
      previousExpiresAt: string;
      expiresAt: string | null;
      message: string;
    }>();
    expectTypeOf<ApiClient["rotateRepoAiApiKey"]>().toEqualTypeOf<
      (repoId: string, apikeyId: string, data?: RotateRepoAiApiKeyRequest) => Promise<RotateRepoAiApiKeyResponse>
    >();
  });

  it("verifyAiApiKey answers the key's identity, or INVALID / EXPIRED", () => {
    expectTypeOf<VerifyAiApiKeyRequest>().toEqualTypeOf<{ key: string; secret: string }>();
    expectTypeOf<VerifyAiApiKeyResponse>().toEqualTypeOf<
      | { valid: true; apikeyId: string; repoId: string; workspaceId: string; aiType: SpecAiType; name: string }
      | { valid: false; code: "INVALID" | "EXPIRED" }
    >();
    expectTypeOf<ApiClient["verifyAiApiKey"]>().toEqualTypeOf<
      (data: VerifyAiApiKeyRequest) => Promise<VerifyAiApiKeyResponse>
    >();
  });
});
