/** A failed action's message, announced to screen readers as it appears. */
export function ErrorText({ error }: { error: { message: string } | null }) {
  return error ? (
    <p role="alert" className="error-text">
      {error.message}
    </p>
  ) : null;
}
