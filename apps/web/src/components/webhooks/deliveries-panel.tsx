"use client";
import type { WebhookDeliveryDto, WebhookEndpointDto } from "@repokeys/api";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useRef } from "react";
import { Announcer, useAnnouncer } from "@/components/announcer";
import { EmptyState } from "@/components/empty-state";
import { useTRPC, useTRPCClient } from "@/trpc/trpc";
import { deliveryPollMs, dueSoon } from "./delivery-polling";
import { DeliveryRow } from "./delivery-row";

interface DeliveryPage {
  deliveries: WebhookDeliveryDto[];
  nextCursor: string | null;
}

/**
 * An endpoint's delivery log, newest first, a page at a time ("Older deliveries" follows the server's cursor). It
 * refreshes by itself while a delivery's attempt is due soon; Refresh asks at once (a new event's delivery).
 */
export function DeliveriesPanel({
  workspaceId,
  endpoint,
  firstPage,
}: {
  workspaceId: string;
  endpoint: WebhookEndpointDto;
  firstPage: DeliveryPage;
}) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const { announce, ...announcer } = useAnnouncer();
  const heading = useRef<HTMLHeadingElement>(null);
  const input = { workspaceId, endpointId: endpoint.id };
  // Not tRPC's infiniteQueryOptions: it adds a `direction` field to the input, which the strict schema refuses.
  const log = useInfiniteQuery({
    queryKey: trpc.listWebhookDeliveries.infiniteQueryKey(input),
    queryFn: ({ pageParam }) =>
      client.listWebhookDeliveries.query(pageParam === null ? input : { ...input, cursor: pageParam }),
    initialPageParam: null as string | null,
    initialData: { pages: [firstPage], pageParams: [null] },
    getNextPageParam: (page) => page.nextCursor,
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) => page.deliveries.some((d) => dueSoon(d))) ? deliveryPollMs : false,
  });
  const deliveries = log.data.pages.flatMap((page) => page.deliveries);

  const refresh = async () => {
    const { isError } = await log.refetch();
    announce(isError ? "The deliveries could not be refreshed. Try again." : "Deliveries refreshed.");
  };
  const older = async () => {
    const before = deliveries.length;
    const { data, hasNextPage, isError } = await log.fetchNextPage();
    if (isError || !data) return announce("Older deliveries could not be loaded. Try again.");
    const shown = data.pages.flatMap((page) => page.deliveries).length - before;
    // The button is gone with the last page: focus goes to the log rather than to the page.
    if (!hasNextPage) heading.current?.focus();
    announce(
      `${shown} older deliver${shown === 1 ? "y" : "ies"} shown${hasNextPage ? "." : ": this is the oldest one."}`,
    );
  };

  return (
    <>
      <section className="card" aria-labelledby="deliveries-heading">
        <div className="card-header">
          <h2 id="deliveries-heading" ref={heading} tabIndex={-1} className="h3">
            Delivery log
          </h2>
          <button
            type="button"
            className="button button-small"
            aria-disabled={log.isFetching || undefined}
            onClick={() => !log.isFetching && void refresh()}
          >
            Refresh
          </button>
        </div>
        {deliveries.length === 0 ? (
          <EmptyState title="No deliveries yet">
            <p>When a key of this workspace changes in a way this endpoint listens for, its delivery appears here.</p>
          </EmptyState>
        ) : (
          <table className="responsive-table deliveries-table">
            <caption className="visually-hidden">Deliveries to this endpoint, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col" className="col-status">
                  Status
                </th>
                <th scope="col" className="col-number">
                  HTTP
                </th>
                <th scope="col" className="col-number">
                  Latency
                </th>
                <th scope="col" className="col-number">
                  Attempts
                </th>
                <th scope="col" className="col-date">
                  Last attempt
                </th>
                <th scope="col" className="col-date">
                  Next attempt
                </th>
                <th scope="col" className="col-actions">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((delivery) => (
                <DeliveryRow
                  key={delivery.id}
                  workspaceId={workspaceId}
                  delivery={delivery}
                  onResent={(resent) => {
                    announce(`Delivery of ${resent.event} (event ${resent.eventId}) queued again.`);
                    void log.refetch();
                  }}
                />
              ))}
            </tbody>
          </table>
        )}
        {log.hasNextPage ? (
          <nav className="pager" aria-label="Delivery log pages">
            <span className="muted">
              {deliveries.length} deliver{deliveries.length === 1 ? "y" : "ies"} shown
            </span>
            <button
              type="button"
              className="button button-small"
              aria-disabled={log.isFetchingNextPage || undefined}
              onClick={() => !log.isFetchingNextPage && void older()}
            >
              {log.isFetchingNextPage ? "Loading…" : "Older deliveries"}
            </button>
          </nav>
        ) : null}
      </section>
      <Announcer {...announcer} />
    </>
  );
}
