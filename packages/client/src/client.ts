import type {
  CreateRepoAiApiKeyRequest,
  CreateRepoAiApiKeyResponse,
  CreateWebhookEndpointRequest,
  CreateWebhookEndpointResponse,
  DeleteRepoAiApiKeyResponse,
  DeleteWebhookEndpointResponse,
  GetRepoAiApiKeysPageRequest,
  GetRepoAiApiKeysPageResponse,
  GetRepoAiApiKeysResponse,
  GetRepoAiApiKeysWithUsageResponse,
  ListWebhookDeliveriesRequest,
  ListWebhookDeliveriesResponse,
  ListWebhookEndpointsResponse,
  ResendWebhookDeliveryResponse,
  ResumeWebhookEndpointResponse,
  RotateRepoAiApiKeyRequest,
  RotateRepoAiApiKeyResponse,
  RotateWebhookSecretResponse,
  SystemEventQueryRequest,
  SystemEventQueryResponse,
  UpdateRepoAiApiKeyRequest,
  UpdateRepoAiApiKeyResponse,
  UpdateWebhookEndpointRequest,
  UpdateWebhookEndpointResponse,
  VerifyAiApiKeyRequest,
  VerifyAiApiKeyResponse,
} from "./contract";
import { HttpError, readErrorBody } from "./http-error";

/** Where `node apps/web/server.ts` listens by default; Flashback's client defaults to its hosted API instead. */
export const defaultBaseUrl = "http://localhost:3000";

type Method = "GET" | "POST" | "PUT" | "DELETE";

/**
 * The REST API of repository AI API keys. Method names, argument order and types follow Flashback's
 * `ApiClient`, so code written against it runs here by changing the import. Methods are arrow-function
 * properties, as there, so they keep working when passed around detached from the client.
 */
export class ApiClient {
  private readonly baseURL: string;
  private headers: Record<string, string> = {};
  private debug = false;

  constructor(baseURL: string = defaultBaseUrl) {
    // Paths are joined with "/", so a trailing slash would make "//repo/…", which no route matches.
    this.baseURL = baseURL.replace(/\/+$/, "");
  }

  /** Sends `Authorization: Bearer <token>` from now on; `null` stops sending it. */
  public setAuthToken = (token: string | null): void => {
    const { Authorization: _previous, ...rest } = this.headers;
    this.headers = token ? { ...rest, Authorization: `Bearer ${token}` } : rest;
  };

  /** Logs each call's method, URL, status and duration; never headers or bodies, which hold tokens and secrets. */
  public setDebug = (debug: boolean): void => {
    this.debug = debug;
  };

  /** 201: the new key with its secret, which is shown in this response only. */
  public createRepoAiApiKey = (repoId: string, data: CreateRepoAiApiKeyRequest): Promise<CreateRepoAiApiKeyResponse> =>
    this.makeRequest("POST", `repo/${segment(repoId)}/ai/apikey`, data);

  /** The repository's keys that are not deleted, newest first, without secrets. */
  public getRepoAiApiKeys = (repoId: string): Promise<GetRepoAiApiKeysResponse> =>
    this.makeRequest("GET", `repo/${segment(repoId)}/ai/apikey`);

  /**
   * Ours, beyond Flashback's: one page of the same list, at most `limit` keys (1…1000); pass the answer's
   * `nextCursor` as `cursor` for the next page, until it is null.
   */
  public getRepoAiApiKeysPage = (
    repoId: string,
    page: GetRepoAiApiKeysPageRequest,
  ): Promise<GetRepoAiApiKeysPageResponse> => {
    const query = new URLSearchParams({ limit: String(page.limit) });
    if (page.cursor !== undefined) query.set("cursor", page.cursor);
    return this.makeRequest("GET", `repo/${segment(repoId)}/ai/apikey?${query}`);
  };

  /**
   * Ours, beyond Flashback's: one page of the list (as `getRepoAiApiKeysPage`) and in `usage` each listed key's
   * verifications over the last 30 UTC days. Usage comes by pages only. Servers write their counts once a
   * minute, so the last minute's may be missing.
   */
  public getRepoAiApiKeysWithUsage = (
    repoId: string,
    page: GetRepoAiApiKeysPageRequest,
  ): Promise<GetRepoAiApiKeysWithUsageResponse> => {
    const query = new URLSearchParams({ include: "usage", limit: String(page.limit) });
    if (page.cursor !== undefined) query.set("cursor", page.cursor);
    return this.makeRequest("GET", `repo/${segment(repoId)}/ai/apikey?${query}`);
  };

  /**
   * Renames a key; `{}` is a no-op. The key and secret can never change: rotate the key to replace them.
   * Ours, beyond Flashback's: `options.ifVersion` (a key's `version` from the list) makes the rename conditional
   * (`If-Match`): it applies only if nobody changed the key since, else an `HttpError` with status 412 whose
   * `data.current` holds the key's name and version now; the answer then carries the new `version`.
   */
  public updateRepoAiApiKey = (
    repoId: string,
    apikeyId: string,
    data: UpdateRepoAiApiKeyRequest,
    options: { ifVersion?: string } = {},
  ): Promise<UpdateRepoAiApiKeyResponse> =>
    this.makeRequest(
      "PUT",
      `repo/${segment(repoId)}/ai/apikey/${segment(apikeyId)}`,
      data,
      options.ifVersion === undefined ? undefined : { "If-Match": `"${options.ifVersion}"` },
    );

  /** Soft-deletes a key; deleting it again answers 404. */
  public deleteRepoAiApiKey = (repoId: string, apikeyId: string): Promise<DeleteRepoAiApiKeyResponse> =>
    this.makeRequest("DELETE", `repo/${segment(repoId)}/ai/apikey/${segment(apikeyId)}`);

  /**
   * 201: a new key and secret (shown in this response only) with the same name and AI type; the old key keeps
   * verifying for `graceSeconds` (0 to 604800, default one day), then answers EXPIRED. Not in Flashback's client.
   */
  public rotateRepoAiApiKey = (
    repoId: string,
    apikeyId: string,
    data: RotateRepoAiApiKeyRequest = {},
  ): Promise<RotateRepoAiApiKeyResponse> =>
    this.makeRequest("POST", `repo/${segment(repoId)}/ai/apikey/${segment(apikeyId)}/rotate`, data);

  /**
   * For an AI gateway, authenticated with a gateway token: is this key/secret pair live? `{ valid: false, code }`
   * is an answer, not an error: INVALID (unknown, wrong secret or deleted, indistinguishable) or EXPIRED.
   */
  public verifyAiApiKey = (data: VerifyAiApiKeyRequest): Promise<VerifyAiApiKeyResponse> =>
    this.makeRequest("POST", "ai/apikey/verify", data);

  /** The audit trail of the workspaces the token's user belongs to, newest first. */
  public getSystemEvents = (data: SystemEventQueryRequest): Promise<SystemEventQueryResponse> =>
    this.makeRequest("POST", "systemevent", data);

  /** Ours: a workspace's webhook endpoints, newest first (at most 50), never their secrets. OWNER or ADMIN. */
  public listWebhookEndpoints = (workspaceId: string): Promise<ListWebhookEndpointsResponse> =>
    this.makeRequest("GET", `workspace/${segment(workspaceId)}/webhook`);

  /** 201: the new endpoint and its signing secret (`whsec_…`), which is shown in this response only. */
  public createWebhookEndpoint = (
    workspaceId: string,
    data: CreateWebhookEndpointRequest,
  ): Promise<CreateWebhookEndpointResponse> =>
    this.makeRequest("POST", `workspace/${segment(workspaceId)}/webhook`, data);

  /** Changes an endpoint's URL and/or events; what is omitted stays. */
  public updateWebhookEndpoint = (
    workspaceId: string,
    endpointId: string,
    data: UpdateWebhookEndpointRequest,
  ): Promise<UpdateWebhookEndpointResponse> =>
    this.makeRequest("PUT", `workspace/${segment(workspaceId)}/webhook/${segment(endpointId)}`, data);

  /** Deletes an endpoint; its queued deliveries are not sent. */
  public deleteWebhookEndpoint = (workspaceId: string, endpointId: string): Promise<DeleteWebhookEndpointResponse> =>
    this.makeRequest("DELETE", `workspace/${segment(workspaceId)}/webhook/${segment(endpointId)}`);

  /** A new signing secret, shown in this response only; every attempt from now on is signed with it. */
  public rotateWebhookSecret = (workspaceId: string, endpointId: string): Promise<RotateWebhookSecretResponse> =>
    this.makeRequest("POST", `workspace/${segment(workspaceId)}/webhook/${segment(endpointId)}/rotate-secret`, {});

  /** Sends to an endpoint paused after too many failed attempts in a row again, from its oldest queued delivery. */
  public resumeWebhookEndpoint = (workspaceId: string, endpointId: string): Promise<ResumeWebhookEndpointResponse> =>
    this.makeRequest("POST", `workspace/${segment(workspaceId)}/webhook/${segment(endpointId)}/resume`, {});

  /** One page of an endpoint's delivery log, newest first; pass `nextCursor` as `cursor` until it is null. */
  public listWebhookDeliveries = (
    workspaceId: string,
    endpointId: string,
    page: ListWebhookDeliveriesRequest = {},
  ): Promise<ListWebhookDeliveriesResponse> => {
    const query = new URLSearchParams();
    if (page.limit !== undefined) query.set("limit", String(page.limit));
    if (page.cursor !== undefined) query.set("cursor", page.cursor);
    const path = `workspace/${segment(workspaceId)}/webhook/${segment(endpointId)}/delivery`;
    return this.makeRequest("GET", query.size ? `${path}?${query}` : path);
  };

  /** Sends a delivery again now, with the same event id (whatever its status). */
  public resendWebhookDelivery = (workspaceId: string, deliveryId: string): Promise<ResendWebhookDeliveryResponse> =>
    this.makeRequest("POST", `workspace/${segment(workspaceId)}/webhook/delivery/${segment(deliveryId)}/resend`, {});

  private makeRequest = async <T>(
    method: Method,
    path: string,
    body?: object,
    extraHeaders?: Record<string, string>,
  ): Promise<T> => {
    const url = `${this.baseURL}/${path}`;
    const headers: Record<string, string> = { ...this.headers, ...extraHeaders, Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const started = Date.now();
    const response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (this.debug) console.debug(`repokeys: ${method} ${url} -> ${response.status} (${Date.now() - started} ms)`);
    if (!response.ok) {
      throw new HttpError(response.status, response.statusText, await readErrorBody(response), response.headers);
    }
    const text = await response.text();
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new Error(`${method} ${url} answered ${response.status} with a body that is not JSON.`);
    }
  };
}

/** Ids become one path segment whatever they hold, so a malformed id cannot reach another route. */
function segment(id: string): string {
  return encodeURIComponent(id);
}
