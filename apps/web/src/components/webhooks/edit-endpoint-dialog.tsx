"use client";
import type { WebhookEndpointDto } from "@repokeys/api";
import type { WebhookEvent } from "@repokeys/api/schemas";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { Dialog } from "@/components/dialog";
import { ErrorText } from "@/components/error-text";
import { useTRPC } from "@/trpc/trpc";
import { draftProblems, focusFirstProblem } from "./endpoint-check";
import { type DraftProblems, type EndpointDraft, EndpointFields } from "./endpoint-fields";
import { useEndpointsQueryKey } from "./use-endpoints-query-key";

const noProblems: DraftProblems = { url: null, events: null };
const draftOf = (endpoint: WebhookEndpointDto | null): EndpointDraft => ({
  url: endpoint?.url ?? "",
  events: (endpoint?.events ?? []) as WebhookEvent[],
});

/** Changes an endpoint's URL or events; its secret stays (Rotate secret replaces it). */
export function EditEndpointDialog({
  workspaceId,
  target,
  onClose,
  onUpdated,
}: {
  workspaceId: string;
  target: WebhookEndpointDto | null;
  onClose: () => void;
  /** Once the dialog has closed (and focus is back on the row's Actions button). */
  onUpdated: (updated: WebhookEndpointDto) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const queryKey = useEndpointsQueryKey(workspaceId);
  const [draft, setDraft] = useState(() => draftOf(target));
  const [problems, setProblems] = useState(noProblems);
  const updated = useRef<WebhookEndpointDto | null>(null);
  useEffect(() => {
    if (target) setDraft(draftOf(target));
  }, [target]);
  const update = useMutation(
    trpc.updateWebhookEndpoint.mutationOptions({
      onSuccess: async (answer) => {
        updated.current = answer.endpoint;
        await queryClient.invalidateQueries({ queryKey });
        close();
      },
    }),
  );
  const close = () => {
    update.reset();
    setProblems(noProblems);
    onClose();
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!target) return;
    const found = draftProblems(draft);
    setProblems(found);
    if (focusFirstProblem(event.currentTarget, found)) return;
    update.mutate({ workspaceId, endpointId: target.id, url: draft.url.trim(), events: draft.events });
  };
  return (
    <Dialog
      open={target !== null}
      title="Edit webhook endpoint"
      onClose={close}
      onClosed={() => {
        if (updated.current) onUpdated(updated.current);
        updated.current = null;
      }}
    >
      <form onSubmit={submit} noValidate>
        <EndpointFields
          idPrefix="edit-endpoint"
          draft={draft}
          problems={problems}
          onChange={(next, changed) => {
            setDraft(next);
            setProblems((p) => ({ ...p, [changed]: null }));
          }}
        />
        <ErrorText error={update.error} />
        <div className="button-row">
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={update.isPending}>
            {update.isPending ? "Saving…" : "Save changes"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
