import { type Actor, type ApiServices, createCaller, typedCallContext } from "@repokeys/api";

/**
 * What a job or script inside this repository does to rename a key: a typed call straight into the
 * router. Validation, authorization and the audit event (channel "typed") are the same as over REST.
 */
export async function renameKey(services: ApiServices, actor: Actor, repoId: string, apikeyId: string, name: string) {
  const api = createCaller(typedCallContext(services, actor));
  const result = await api.updateAiApiKey({ repoId, apikeyId, name });
  // `result` is typed from the procedure's output schema: { success: true; message: string }
  return result.message;
}
