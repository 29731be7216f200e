"use client";
import type { WebhookEvent } from "@repokeys/api/schemas";
import { webhookEventLabels, webhookEventNames } from "./event-labels";

export interface EndpointDraft {
  url: string;
  events: WebhookEvent[];
}

export interface DraftProblems {
  url: string | null;
  events: string | null;
}

/**
 * An endpoint's URL and its events (a fieldset of checkboxes), as the create and edit dialogs ask for them. Each
 * problem is said at its field, linked to it with aria-describedby; the form checks and focuses (see `firstProblem`).
 */
export function EndpointFields({
  idPrefix,
  draft,
  problems,
  onChange,
}: {
  idPrefix: string;
  draft: EndpointDraft;
  problems: DraftProblems;
  onChange: (draft: EndpointDraft, changed: keyof EndpointDraft) => void;
}) {
  const urlId = `${idPrefix}-url`;
  const toggle = (event: WebhookEvent, on: boolean) =>
    onChange(
      { ...draft, events: webhookEventNames.filter((e) => (e === event ? on : draft.events.includes(e))) },
      "events",
    );
  return (
    <>
      <div className="field">
        <label htmlFor={urlId}>Endpoint URL</label>
        <input
          id={urlId}
          name="url"
          className="input"
          type="url"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          required
          placeholder="https://example.com/hooks/repokeys"
          value={draft.url}
          aria-invalid={problems.url ? true : undefined}
          aria-describedby={problems.url ? `${urlId}-problem ${urlId}-hint` : `${urlId}-hint`}
          onChange={(e) => onChange({ ...draft, url: e.currentTarget.value }, "url")}
        />
        {problems.url ? (
          <span id={`${urlId}-problem`} className="error-text" role="alert">
            {problems.url}
          </span>
        ) : null}
        <span id={`${urlId}-hint`} className="hint">
          HTTPS, reachable from this server on the internet (not a private or loopback address).
        </span>
      </div>
      <fieldset
        className="field checkbox-group"
        aria-describedby={problems.events ? `${idPrefix}-events-problem` : undefined}
      >
        <legend>Events</legend>
        {webhookEventNames.map((event) => {
          const id = `${idPrefix}-event-${event.replace(/\W+/g, "-")}`;
          return (
            <div className="checkbox" key={event}>
              <input
                id={id}
                type="checkbox"
                name="events"
                value={event}
                checked={draft.events.includes(event)}
                onChange={(e) => toggle(event, e.currentTarget.checked)}
              />
              <label htmlFor={id}>
                {webhookEventLabels[event]} <code className="muted">{event}</code>
              </label>
            </div>
          );
        })}
        {problems.events ? (
          <span id={`${idPrefix}-events-problem`} className="error-text" role="alert">
            {problems.events}
          </span>
        ) : null}
      </fieldset>
    </>
  );
}
