import type { AuthedContext } from "../../context";
import { domainErrors } from "../../errors/domain-errors";
import { resolveWebhookTarget, WebhookAddressError } from "../../webhooks/webhook-address";

/** The URL as typed, once its scheme and every address of its host are allowed; else BAD_REQUEST. */
export async function checkedWebhookUrl(ctx: AuthedContext, url: string): Promise<string> {
  try {
    await resolveWebhookTarget(url, ctx.services.webhooks.settings.allowPrivate);
    return url;
  } catch (err) {
    if (err instanceof WebhookAddressError) throw domainErrors.webhookUrlRefused(err.message);
    throw err;
  }
}
