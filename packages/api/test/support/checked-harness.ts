import { type Harness, type HarnessOptions, startHarness } from "../../src/testing/api-harness";
import { startOpenApiProxy } from "./openapi-proxy";

export interface CheckedHarness {
  h: Harness;
  /** Send REST calls here: through Prism, so every answer is checked against the published /openapi.json. */
  base: string;
  /** Stops the proxy, then the harness. */
  close(): Promise<void>;
}

/** A harness with the OpenAPI validator in front of it: the set-up of every REST contract test. */
export async function startCheckedHarness(options?: HarnessOptions): Promise<CheckedHarness> {
  const h = await startHarness(options);
  try {
    const proxy = await startOpenApiProxy(h.baseUrl);
    return {
      h,
      base: proxy.url,
      close: async () => {
        await proxy.close();
        await h.close();
      },
    };
  } catch (err) {
    await h.close();
    throw err;
  }
}
