/**
 * SQL that builds a JSON object as compact text, byte for byte what `JSON.stringify` writes for the same
 * values (PostgreSQL's `json_build_object` puts " : " between names and values). `to_json` escapes strings as
 * JSON.stringify does: \" \\ \b \f \n \r \t, other control characters as \u00xx. `fields` are SQL expressions
 * of text, enum or number type, in the order the object lists them; NULL becomes `null`.
 */
export function compactJsonObjectSql(fields: Record<string, string>): string {
  const parts = Object.entries(fields).map(
    ([name, expression], i) =>
      `'${i === 0 ? "{" : ","}${JSON.stringify(name)}:' || COALESCE(to_json(${expression})::text, 'null')`,
  );
  return `${parts.join(" || ")} || '}'`;
}

/** The rows' objects (`compactJsonObjectSql`) as one compact JSON array, in `orderBy` order; `[]` for none. */
export function compactJsonArraySql(object: string, orderBy: string): string {
  return `'[' || COALESCE(string_agg(${object}, ',' ORDER BY ${orderBy}), '') || ']'`;
}
