import { SchemaError } from '../errors.js';
import type { IntrospectOptions, SchemaRun } from '../introspect-options.js';
import type { SqliteSchemaModel } from '../schema-model.js';
export async function introspectSqlite(
  _run: SchemaRun,
  _options: IntrospectOptions = {},
): Promise<SqliteSchemaModel> {
  throw new SchemaError('SCHEMA_UNSUPPORTED', 'SQLite introspection is not written yet');
}
