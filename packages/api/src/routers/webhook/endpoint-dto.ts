import type { WebhookEndpointDto } from "../../schemas/webhook";

/** The columns an endpoint's answer needs, over an endpoint row `e`: never its secret. */
export const endpointColumns = (e: string) => `${e}.id, ${e}.url, ${e}.events, ${e}."createdAt", ${e}."secretRotatedAt",
  ${e}."pausedAt", ${e}."failureStreak", ${e}."droppedDeliveries",
  (SELECT jsonb_build_object('status', d.status, 'at', COALESCE(d."lastAttemptAt", d."createdAt"))
   FROM "WebhookDelivery" d WHERE d."endpointId" = ${e}.id
   ORDER BY d."createdAt" DESC, d.id DESC LIMIT 1) AS "lastDelivery"`;

export interface EndpointRow {
  id: string;
  url: string;
  events: string[];
  createdAt: Date | string;
  secretRotatedAt: Date | string | null;
  /** Absent from a row just created (create-endpoint.handler.ts returns its own columns): not paused, nothing failed. */
  pausedAt?: Date | string | null;
  failureStreak?: number;
  droppedDeliveries?: number;
  lastDelivery: { status: NonNullable<WebhookEndpointDto["lastDelivery"]>["status"]; at: string } | null;
}

const iso = (value: Date | string) => new Date(value).toISOString();

export function toEndpointDto(row: EndpointRow): WebhookEndpointDto {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    createdAt: iso(row.createdAt),
    secretRotatedAt: row.secretRotatedAt === null ? null : iso(row.secretRotatedAt),
    lastDelivery: row.lastDelivery && { status: row.lastDelivery.status, at: iso(row.lastDelivery.at) },
    pausedAt: row.pausedAt ? iso(row.pausedAt) : null,
    failuresInARow: row.failureStreak ?? 0,
    droppedDeliveries: row.droppedDeliveries ?? 0,
  };
}
