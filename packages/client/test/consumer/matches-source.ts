// The built declarations (types written out in full by the build) equal the types derived from the zod schemas.
import { expectTypeOf } from "vitest";
import type * as Built from "../../dist/index.js";
import type * as Source from "../../src/index";

expectTypeOf<Built.AiType>().toEqualTypeOf<Source.AiType>();
expectTypeOf<Built.CreateRepoAiApiKeyRequest>().toEqualTypeOf<Source.CreateRepoAiApiKeyRequest>();
expectTypeOf<Built.CreateRepoAiApiKeyResponse>().toEqualTypeOf<Source.CreateRepoAiApiKeyResponse>();
expectTypeOf<Built.RepoAiApiKeyDTO>().toEqualTypeOf<Source.RepoAiApiKeyDTO>();
expectTypeOf<Built.GetRepoAiApiKeysResponse>().toEqualTypeOf<Source.GetRepoAiApiKeysResponse>();
expectTypeOf<Built.UpdateRepoAiApiKeyRequest>().toEqualTypeOf<Source.UpdateRepoAiApiKeyRequest>();
expectTypeOf<Built.UpdateRepoAiApiKeyResponse>().toEqualTypeOf<Source.UpdateRepoAiApiKeyResponse>();
expectTypeOf<Built.DeleteRepoAiApiKeyResponse>().toEqualTypeOf<Source.DeleteRepoAiApiKeyResponse>();
expectTypeOf<Built.SystemEventQueryRequest>().toEqualTypeOf<Source.SystemEventQueryRequest>();
expectTypeOf<Built.SystemEventResponse>().toEqualTypeOf<Source.SystemEventResponse>();
expectTypeOf<Built.SystemEventQueryResponse>().toEqualTypeOf<Source.SystemEventQueryResponse>();
expectTypeOf<Built.WebhookEndpoint>().toEqualTypeOf<Source.WebhookEndpoint>();
expectTypeOf<Built.WebhookDelivery>().toEqualTypeOf<Source.WebhookDelivery>();
expectTypeOf<Built.CreateWebhookEndpointRequest>().toEqualTypeOf<Source.CreateWebhookEndpointRequest>();
expectTypeOf<Built.CreateWebhookEndpointResponse>().toEqualTypeOf<Source.CreateWebhookEndpointResponse>();
expectTypeOf<Built.UpdateWebhookEndpointRequest>().toEqualTypeOf<Source.UpdateWebhookEndpointRequest>();
expectTypeOf<Built.ListWebhookDeliveriesRequest>().toEqualTypeOf<Source.ListWebhookDeliveriesRequest>();
expectTypeOf<Built.ListWebhookDeliveriesResponse>().toEqualTypeOf<Source.ListWebhookDeliveriesResponse>();

// Mutual assignability where strict equality is too strict: the source error body is an intersection the build
// flattens, and two declarations of a class are distinct types, so classes are compared by their public members.
type Public<T> = Pick<T, keyof T>;
expectTypeOf<Built.ErrorResponse>().toExtend<Source.ErrorResponse>();
expectTypeOf<Source.ErrorResponse>().toExtend<Built.ErrorResponse>();
expectTypeOf<Public<Built.ApiClient>>().toExtend<Public<Source.ApiClient>>();
expectTypeOf<Public<Source.ApiClient>>().toExtend<Public<Built.ApiClient>>();
expectTypeOf<Public<Built.HttpError>>().toExtend<Public<Source.HttpError>>();
expectTypeOf<Public<Source.HttpError>>().toExtend<Public<Built.HttpError>>();
