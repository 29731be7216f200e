"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Dialog } from "@/components/dialog";
import { ErrorText } from "@/components/error-text";
import { useTRPC } from "@/trpc/trpc";
import { draftProblems, focusFirstProblem } from "./endpoint-check";
import { type DraftProblems, type EndpointDraft, EndpointFields } from "./endpoint-fields";
import { webhookEventNames } from "./event-labels";
import { useEndpointsQueryKey } from "./use-endpoints-query-key";

export interface CreatedEndpoint {
  url: string;
  secret: string;
}

const noProblems: DraftProblems = { url: null, events: null };
// Every event at first: most receivers want to hear about every change, and unticking is one click.
const emptyDraft = (): EndpointDraft => ({ url: "", events: [...webhookEventNames] });

export function CreateEndpointDialog({
  workspaceId,
  open,
  onClose,
  onCreated,
}: {
  workspaceId: string;
  open: boolean;
  onClose: () => void;
  onCreated: (created: CreatedEndpoint) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const queryKey = useEndpointsQueryKey(workspaceId);
  const [draft, setDraft] = useState(emptyDraft);
  const [problems, setProblems] = useState(noProblems);
  const create = useMutation(
    trpc.createWebhookEndpoint.mutationOptions({
      onSuccess: (created) => {
        onCreated({ url: created.endpoint.url, secret: created.secret });
        setDraft(emptyDraft());
        void queryClient.invalidateQueries({ queryKey });
      },
    }),
  );
  const close = () => {
    create.reset();
    setProblems(noProblems);
    setDraft(emptyDraft());
    onClose();
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = draftProblems(draft);
    setProblems(found);
    if (focusFirstProblem(event.currentTarget, found)) return;
    create.mutate({ workspaceId, url: draft.url.trim(), events: draft.events });
  };
  return (
    <Dialog open={open} title="Add a webhook endpoint" onClose={close}>
      <form onSubmit={submit} noValidate>
        <EndpointFields
          idPrefix="new-endpoint"
          draft={draft}
          problems={problems}
          onChange={(next, changed) => {
            setDraft(next);
            setProblems((p) => ({ ...p, [changed]: null }));
          }}
        />
        <ErrorText error={create.error} />
        <div className="button-row">
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={create.isPending}>
            {create.isPending ? "Adding…" : "Add endpoint"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
