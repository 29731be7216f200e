/**
 * A name's length against the server's bound, counted as the schema counts it (trimmed, UTF-16 units). Inputs
 * carry no maxLength: the browser would cut a pasted name silently and save what the person never saw.
 */
export function NameLength({ id, value, max }: { id: string; value: string; max: number }) {
  const length = value.trim().length;
  const over = length - max;
  return (
    <span id={id} className={over > 0 ? "name-length error-text" : "name-length hint"}>
      {over > 0 ? `${length} / ${max} characters: ${over} too many` : `${length} / ${max} characters`}
    </span>
  );
}
