/** Any origin we own would do: only paths that stay on it survive. `.invalid` can never resolve (RFC 2606). */
const base = "http://return-path.invalid";

/** Whitespace (tab, CR, LF…), control and other invisible characters, and backslashes, which browsers read as `/`. */
const forbidden = /[\\\s\p{C}]/u;

/** Percent-decodings to look through: `%252F` is a `/` after two, and no honest path needs more. */
const maxDecodings = 3;

function looksLocal(path: string): boolean {
  return path.startsWith("/") && !path.startsWith("//") && !forbidden.test(path);
}

/**
 * Only a path on this site may be a post-sign-in destination: anything else would be an open redirect. The path
 * must be local as written and after each percent-decoding (browsers and proxies decode and drop characters such
 * as the tab in `/\t/evil.example`), and the URL parser must agree that it stays on our origin. Anything else,
 * including what cannot be decoded, is `/`. The answer is the parser's serialisation, so it is plain ASCII and
 * always a valid Location header.
 */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== "string" || value.length > 2000) return "/";
  let decoded = value;
  for (let i = 0; i <= maxDecodings; i++) {
    if (!looksLocal(decoded)) return "/";
    try {
      const next = decodeURIComponent(decoded);
      if (next === decoded) break;
      decoded = next;
    } catch {
      return "/"; // a malformed escape such as `%E0%A4%A`
    }
    if (i === maxDecodings) return "/";
  }
  const url = new URL(value, base);
  if (url.origin !== base) return "/";
  const answer = `${url.pathname}${url.search}${url.hash}`;
  // The parser resolves dot segments: `/..//evil.example` becomes `//evil.example`, which a browser reads as
  // another host. So the answer itself must pass the same test as the input.
  return looksLocal(answer) ? answer : "/";
}
