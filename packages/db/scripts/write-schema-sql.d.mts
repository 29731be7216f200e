export const schemaSqlPath: string;
/** The header line that names the schema.prisma a schema.sql was made from. */
export function schemaSqlHeader(schemaText: string): string;
export function writeSchemaSql(): Promise<void>;
