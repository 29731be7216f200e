const looks = {
  delivered: { label: "Delivered", className: "badge badge-success" },
  retrying: { label: "Retrying", className: "badge badge-warning" },
  pending: { label: "Pending", className: "badge" },
  failed: { label: "Failed", className: "badge badge-danger" },
} as const;

export type DeliveryStatusName = keyof typeof looks;

/** A delivery's state as a badge: "Failed" means the server gave up after 24 hours of retries. */
export function DeliveryStatus({ status }: { status: DeliveryStatusName }) {
  const look = looks[status];
  return (
    <span className={look.className} title={status === "failed" ? "Gave up after 24 hours of retries" : undefined}>
      {look.label}
    </span>
  );
}
