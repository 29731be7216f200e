const jsonText = Symbol("the answer's JSON text, as the database built it");

/**
 * An answer whose JSON text the database built. Callers in this process get a plain object: `lazy` fields
 * parse their part of the text on first read, so a caller that reads nothing parses nothing. The REST adapter
 * writes `text` through untouched (`prebuiltJsonOf`); JSON.stringify (tRPC's HTTP answers) reads the fields
 * as for any object. For a 1,000-key list this removes a parse, a copy and a serialization of ~300 kB per
 * request (bench/README.md). Nothing validates the text at run time: its shape is the SQL that builds it,
 * checked against the OpenAPI document by the contract tests.
 */
export function withPrebuiltJson<T extends object>(value: T, text: string): T {
  Object.defineProperty(value, jsonText, { value: text });
  return value;
}

/** The JSON text behind an answer made by `withPrebuiltJson`, if it is one. */
export function prebuiltJsonOf(value: unknown): string | undefined {
  return typeof value === "object" && value !== null ? (value as { [jsonText]?: string })[jsonText] : undefined;
}

/** A getter's value that is parsed once, on first read. */
export function parsedOnce<T>(text: string): () => T {
  let parsed: { value: T } | undefined;
  return () => {
    parsed ??= { value: JSON.parse(text) as T };
    return parsed.value;
  };
}
