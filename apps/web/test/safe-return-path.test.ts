// The return-path rule on its own, with hostile inputs; the sign-in page's use of it is tested over HTTP in
// security-review.test.ts.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeReturnPath } from "../src/server/safe-return-path";

const base = "https://repokeys.example";

/** Where a browser would go after following the answer as a Location header from `base`. */
function destination(returnPath: string): URL {
  // What browsers do before resolving a Location: drop tab, CR and LF, then parse.
  return new URL(returnPath.replace(/[\t\r\n]/g, ""), `${base}/sign-in`);
}

/** A valid header value: Node refuses anything else with ERR_INVALID_CHAR, which was the 500. */
const validHeaderValue = (value: string) => /^[\x21-\x7e]*$/.test(value);

const hostilePieces = [
  "/",
  "//",
  "\\",
  "/\\",
  "\t",
  "\r",
  "\n",
  " ",
  "\u0000",
  "\u00a0",
  "\u200b",
  "\u2028",
  "\ufeff",
  "é",
  "😀",
  "%09",
  "%0a",
  "%0d",
  "%2f",
  "%2F",
  "%5c",
  "%252f",
  "%",
  "%zz",
  "%e0%a4%a",
  "@",
  ":",
  "?",
  "#",
  ".",
  "..",
  "evil.example",
  "http:",
  "https://evil.example",
  "javascript:alert(1)",
  "//evil.example",
  "/%2f/evil.example",
];

describe("safeReturnPath", () => {
  it("keeps same-origin paths with their query and fragment", () => {
    expect(safeReturnPath("/repos/x/audit?page=2")).toBe("/repos/x/audit?page=2");
    expect(safeReturnPath("/settings#tokens")).toBe("/settings#tokens");
    expect(safeReturnPath("/caf%C3%A9")).toBe("/caf%C3%A9");
  });

  it.each([
    "/\t/evil.example",
    "/%09/evil.example",
    "/\n/evil.example",
    "/%0a/evil.example",
    "/%0d/evil.example",
    "/%0d%0aSet-Cookie:x=1",
    "//evil.example",
    "/%2F/evil.example",
    "/%252F/evil.example",
    // Dot segments that the URL parser resolves into a path starting with `//` (found by the property below).
    "/..//evil.example",
    "/./..//evil.example",
    "/a/../..//evil.example",
    "/\\evil.example",
    "/%5Cevil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    " /x",
    "/x y",
    "/\u00a0/evil.example",
    "/\u200b",
    "/%E0%A4%A",
    "",
    "x",
  ])("answers %j with /", (hostile) => {
    expect(safeReturnPath(hostile)).toBe("/");
  });

  it("answers non-strings with /", () => {
    for (const value of [undefined, null, 1, ["/a"], { toString: () => "/a" }]) expect(safeReturnPath(value)).toBe("/");
  });

  it("never throws, never leaves the origin and always answers a valid header value", () => {
    const hostile = fc.oneof(
      fc.string({ unit: "binary" }),
      fc.array(fc.constantFrom(...hostilePieces), { maxLength: 8 }).map((parts) => parts.join("")),
      fc
        .tuple(fc.array(fc.constantFrom(...hostilePieces), { maxLength: 4 }), fc.string({ unit: "binary" }))
        .map(([parts, tail]) => `/${parts.join("")}${tail}`),
    );
    fc.assert(
      fc.property(hostile, (value) => {
        const answer = safeReturnPath(value);
        expect(validHeaderValue(answer)).toBe(true);
        expect(answer.startsWith("/") && !answer.startsWith("//")).toBe(true);
        expect(destination(answer).origin).toBe(base);
      }),
      { numRuns: 5_000 },
    );
  });
});
