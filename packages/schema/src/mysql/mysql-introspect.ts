import { SchemaError } from '../errors.js';
import type { IntrospectOptions, SchemaRun } from '../introspect-options.js';
import type { MysqlSchemaModel } from '../schema-model.js';
export async function introspectMysql(_run: SchemaRun, _options: IntrospectOptions = {}): Promise<MysqlSchemaModel> {
  throw new SchemaError('SCHEMA_UNSUPPORTED', 'MySQL introspection is not written yet');
}
