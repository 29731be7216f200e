import { webhookEventList, webhookUrl } from "@repokeys/api/schemas";
import { problemWith } from "@/components/forms/name-check";
import type { DraftProblems, EndpointDraft } from "./endpoint-fields";

/** A draft's problems by the server's own schemas, before sending; the server checks again (and resolves the host). */
export function draftProblems(draft: EndpointDraft): DraftProblems {
  return { url: problemWith(webhookUrl, draft.url), events: problemWith(webhookEventList, draft.events) };
}

/** The first field with a problem, to focus: the URL's input or the first event's checkbox. */
export function focusFirstProblem(form: HTMLFormElement, problems: DraftProblems): boolean {
  const target = problems.url
    ? form.querySelector<HTMLInputElement>('input[name="url"]')
    : problems.events
      ? form.querySelector<HTMLInputElement>('input[name="events"]')
      : null;
  target?.focus();
  return target !== null;
}
