/** A placeholder table while data loads (route transitions and first fetches). */
export function TableSkeleton({ rows = 3, label }: { rows?: number; label: string }) {
  return (
    <div className="card card-body" aria-busy="true" aria-live="polite">
      <span className="visually-hidden">{label}</span>
      {Array.from({ length: rows }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
        <span key={i} className="skeleton" style={{ margin: "12px 0", width: `${90 - i * 15}%` }} />
      ))}
    </div>
  );
}
