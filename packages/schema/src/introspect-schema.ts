import { SchemaError } from './errors.js';
import type { IntrospectOptions, SchemaRun } from './introspect-options.js';
import { introspectMysql } from './mysql/mysql-introspect.js';
import { introspectPostgres } from './postgres/postgres-introspect.js';
import { SCHEMA_DIALECTS, type SchemaDialect, type SchemaModel } from './schema-model.js';
import { introspectSqlite } from './sqlite/sqlite-introspect.js';

/**
 * Reads the schema of the database `run` is connected to into a model (plain data, JSON-serialisable),
 * in a fixed number of catalog queries whatever the number of tables. PGlite is `postgres`, MariaDB is
 * `mysql`. Never writes.
 *
 * @example
 * const model = await introspectSchema((sql) => pool.query(sql), 'postgres', { schemas: ['public'] });
 * @throws SchemaError `SCHEMA_BAD_OPTION` for an unknown dialect, `SCHEMA_INTROSPECTION` when a catalog
 *   query fails, `SCHEMA_UNSUPPORTED` for a server too old, `SCHEMA_ABORTED` when `signal` fires.
 */
export function introspectSchema(
  run: SchemaRun,
  dialect: SchemaDialect,
  options: IntrospectOptions = {},
): Promise<SchemaModel> {
  if (typeof run !== 'function')
    return Promise.reject(new SchemaError('SCHEMA_BAD_OPTION', 'run must be a function'));
  switch (dialect) {
    case 'postgres':
      return introspectPostgres(run, options);
    case 'mysql':
      return introspectMysql(run, options);
    case 'sqlite':
      return introspectSqlite(run, options);
    default:
      return Promise.reject(
        new SchemaError(
          'SCHEMA_BAD_OPTION',
          `unknown dialect ${JSON.stringify(dialect)}; expected one of ${SCHEMA_DIALECTS.join(', ')}`,
        ),
      );
  }
}
