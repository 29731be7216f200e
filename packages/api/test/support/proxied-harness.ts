import { type Harness, startHarness } from "../../src/testing";
import { startOpenApiProxy } from "./openapi-proxy";

/**
 * A harness behind Prism: requests to `base` are checked against the published OpenAPI document on their way
 * to the app (`h.baseUrl` reaches it directly, e.g. for tRPC). `close` stops both.
 */
export async function startProxiedHarness(): Promise<{ h: Harness; base: string; close(): Promise<void> }> {
  const h = await startHarness();
  const proxy = await startOpenApiProxy(h.baseUrl);
  return {
    h,
    base: proxy.url,
    async close() {
      await proxy.close();
      await h.close();
    },
  };
}
