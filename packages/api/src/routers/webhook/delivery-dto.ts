import type { WebhookDeliveryDto } from "../../schemas/webhook";

/** The columns of a delivery's answer, over a delivery row `d`: its payload stays out of the log. */
export const deliveryColumns = (d: string) =>
  `${d}.id, ${d}."eventId", ${d}.event, ${d}.status, ${d}.attempts, ${d}."lastStatusCode", ${d}."lastLatencyMs",
   ${d}."lastError", ${d}."lastAttemptAt", ${d}."nextAttemptAt", ${d}."createdAt"`;

export interface DeliveryRow {
  id: string;
  eventId: string;
  event: string;
  status: WebhookDeliveryDto["status"];
  attempts: number;
  lastStatusCode: number | null;
  lastLatencyMs: number | null;
  lastError: string | null;
  lastAttemptAt: Date | string | null;
  nextAttemptAt: Date | string | null;
  createdAt: Date | string;
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

export function toDeliveryDto(row: DeliveryRow): WebhookDeliveryDto {
  return {
    id: row.id,
    eventId: row.eventId,
    event: row.event,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.lastStatusCode,
    lastLatencyMs: row.lastLatencyMs,
    lastError: row.lastError,
    lastAttemptAt: iso(row.lastAttemptAt),
    nextAttemptAt: iso(row.nextAttemptAt),
    createdAt: iso(row.createdAt)!,
  };
}
