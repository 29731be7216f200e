/** Signs that a response shows our internals: a stack, SQL, a driver's or ORM's own words. */
const internals: [string, RegExp][] = [
  ["a stack frame", /\n\s*at |\bat \S*\/\S+:\d+:\d+/],
  ["a module path", /node_modules|\/src\/\S+\.ts\b/],
  ["SQL", /\bSELECT\b[\s\S]*\bFROM\b|\bINSERT INTO\b|\bUPDATE "|\bWITH \w+ AS \(/],
  ["a PostgreSQL error", /\brelation "|\bSQLSTATE\b|\bsyntax error at\b|\bduplicate key value\b|\bviolates\b/],
  ["a driver error", /\bECONN[A-Z]+\b|\bPrismaClient\w*|\bP[12]\d{3}\b|DriverAdapterError/],
];

/** What `text` leaks, by name; empty when it leaks nothing. */
export function leakedInternals(text: string): string[] {
  return internals.filter(([, pattern]) => pattern.test(text)).map(([name]) => name);
}
