import { SchemaError } from './errors.js';
import { diffMysql } from './mysql/mysql-diff.js';
import { PlanBuilder, resolveDiffOptions } from './plan-builder.js';
import { diffPostgres } from './postgres/postgres-diff.js';
import type { SchemaModel } from './schema-model.js';
import type { DiffOptions, SchemaPlan } from './schema-plan.js';
import { diffSqlite } from './sqlite/sqlite-diff.js';

/**
 * The ordered, dependency-correct statements that turn the schema `from` into `to`, each with its
 * hazards and whether it is the online form, and every difference that cannot be planned. Pure: it
 * reads the two models only. A rename is a drop and an add unless `options.renames` names it.
 *
 * @example
 * const plan = diffSchemas(await introspectSchema(prod, 'postgres'), await introspectSchema(scratch, 'postgres'));
 * if (dataLoss(plan).length > 0 && !unsafe) refuse();
 * @throws SchemaError `SCHEMA_BAD_OPTION` for models of two dialects, a malformed option or a rename
 *   that names nothing.
 */
export function diffSchemas(from: SchemaModel, to: SchemaModel, options: DiffOptions = {}): SchemaPlan {
  if (from?.dialect !== to?.dialect)
    throw new SchemaError(
      'SCHEMA_BAD_OPTION',
      `cannot compare a ${String(from?.dialect)} schema with a ${String(to?.dialect)} one`,
    );
  const b = new PlanBuilder(from.dialect, resolveDiffOptions(options));
  if (from.dialect === 'postgres' && to.dialect === 'postgres') diffPostgres(from, to, b);
  else if (from.dialect === 'mysql' && to.dialect === 'mysql') diffMysql(from, to, b);
  else if (from.dialect === 'sqlite' && to.dialect === 'sqlite') diffSqlite(from, to, b);
  else throw new SchemaError('SCHEMA_BAD_OPTION', `unknown dialect ${JSON.stringify(from.dialect)}`);
  return b.build();
}
