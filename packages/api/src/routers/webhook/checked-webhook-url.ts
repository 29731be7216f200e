import { assertWebhookPermission, workspaceAccessCte } from "../../authz/workspace-access";
import type { AuthedContext } from "../../context";
import { domainErrors } from "../../errors/domain-errors";
import { RateLimitedError } from "../../errors/rate-limited";
import { webhookUrlMaxLength } from "../../schemas/webhook";
import { resolveWebhookTarget, WebhookAddressError } from "../../webhooks/webhook-address";

/** An allowed endpoint address as stored: the URL as parsed (`href`), and what events record of it. */
export interface CheckedWebhookUrl {
  href: string;
  origin: string;
}

const accessStatement = `WITH ${workspaceAccessCte("$1", "$2")} SELECT role FROM access`;

/**
 * The URL once its scheme and every address of its host are allowed; else BAD_REQUEST. The caller's right to
 * manage the workspace's webhooks is checked first (the mutation checks it again), so that no DNS query is made
 * for whoever may not register, and a non-member cannot take the workspace's slots of concurrent lookups; past
 * those slots, 429. The URL is stored as parsed: what is checked, delivered to, shown and audited is one string
 * (a backslash typed in the path is a slash to the parser and the receiver).
 */
export async function checkedWebhookUrl(
  ctx: AuthedContext,
  workspaceId: string,
  text: string,
): Promise<CheckedWebhookUrl> {
  const [access] = await ctx.services.db.sql.query<{ role: string }>(accessStatement, [ctx.actor.userId, workspaceId]);
  assertWebhookPermission(access?.role);
  const settings = ctx.services.webhooks.settings;
  const lookups = ctx.services.webhookLookups;
  const release = lookups.tryStart(workspaceId);
  if (!release) throw new RateLimitedError(1, `${lookups.limit} webhook address checks at once per workspace`);
  try {
    const { url } = await resolveWebhookTarget(text, settings.allowPrivate, { dns: settings });
    if (url.href.length > webhookUrlMaxLength) {
      throw domainErrors.webhookUrlRefused(
        `url must be at most ${webhookUrlMaxLength} characters once written out in full (percent-encoded).`,
      );
    }
    return { href: url.href, origin: url.origin };
  } catch (err) {
    if (err instanceof WebhookAddressError) throw domainErrors.webhookUrlRefused(err.message);
    throw err;
  } finally {
    release();
  }
}
