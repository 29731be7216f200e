import type { AiType } from "@repokeys/api";
import type { SystemEventName } from "@repokeys/api/schemas";
import { exactUtc } from "@/components/date-time";
import { aiTypeLabels } from "@/components/keys/ai-type-labels";

/** What an AI API key event's `jsonData` holds (packages/api/src/audit/system-event.ts). */
export interface KeyChange {
  repoId?: string;
  apikeyId?: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  via?: string;
}

export const channelLabels: Record<string, string> = { web: "Web app", rest: "REST API", typed: "Typed call" };
/** Every event name, so that a new one cannot reach the filter's options without words. */
export const eventLabels: Record<SystemEventName, string> = {
  created: "Key created",
  updated: "Key renamed",
  deleted: "Key deleted",
  rotated: "Key rotated",
};

const fieldLabels: Record<string, string> = {
  name: "Name",
  aiType: "AI type",
  key: "Public key",
  expiresAt: "Expires",
  newKey: "New key",
  newExpiresAt: "New key expires",
  graceSeconds: "Grace (seconds)",
};

export function parseChange(jsonData: string | null): KeyChange {
  try {
    return jsonData ? (JSON.parse(jsonData) as KeyChange) : {};
  } catch {
    return {};
  }
}

/** Times as the trail's When column shows them (UTC, to the second), whatever offset the database wrote. */
const timeFields = new Set(["expiresAt", "newExpiresAt"]);

/** A field as the keys table shows it: "AI type: OpenAI", not "aiType: OPENAI". */
export function displayField(field: string, value: unknown): { label: string; value: string } {
  const text = value === null || value === undefined ? "—" : String(value);
  const time = timeFields.has(field) && !Number.isNaN(Date.parse(text)) ? new Date(text).toISOString() : null;
  return {
    label: fieldLabels[field] ?? field,
    value: time ? exactUtc(time) : field === "aiType" ? (aiTypeLabels[text as AiType] ?? text) : text,
  };
}

/** The key an event is about, as far as the event itself tells: its name and public key. */
export function keyOf(change: KeyChange): { name?: string; key?: string } {
  const values = { ...(change.before ?? {}), ...(change.after ?? {}) };
  return {
    name: typeof values.name === "string" ? values.name : undefined,
    key: typeof values.key === "string" ? values.key : undefined,
  };
}
