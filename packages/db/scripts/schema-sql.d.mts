export const schemaPath: string;
/** The SQL that takes a database from `fromSchemaText` (empty when undefined) to the current schema. */
export function schemaDiffSql(fromSchemaText: string | undefined): Promise<string>;
