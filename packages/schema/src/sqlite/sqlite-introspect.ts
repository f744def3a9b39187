// Reads a SQLite database from sqlite_schema and the table-valued pragmas, in a fixed number of
// queries. Statements are kept as SQLite stores them; the differ compares them normalised.
import { messageOf, SchemaError, sqlStateOf, throwIfAborted } from '../errors.js';
import type { IntrospectOptions, SchemaRun } from '../introspect-options.js';
import { bool, numberOrNull, text, textOrNull } from '../row-values.js';
import type {
  SqliteColumn,
  SqliteObject,
  SqliteSchemaModel,
  SqliteTable,
  UnmodelledObject,
} from '../schema-model.js';

type Row = Record<string, unknown>;

/** Reads the `main` database of the connection `run` uses. */
export async function introspectSqlite(
  run: SchemaRun,
  options: IntrospectOptions = {},
): Promise<SqliteSchemaModel> {
  const { signal } = options;
  throwIfAborted(signal);
  const query = async (name: string, sql: string): Promise<readonly Row[]> => {
    try {
      const { rows } = await run(sql);
      throwIfAborted(signal);
      return rows;
    } catch (error) {
      if (error instanceof SchemaError) throw error;
      const sqlState = sqlStateOf(error);
      throw new SchemaError('SCHEMA_INTROSPECTION', `cannot read the ${name}: ${messageOf(error)}`, {
        cause: error,
        ...(sqlState === undefined ? {} : { sqlState }),
      });
    }
  };
  const [head] = await query('version', 'select sqlite_version() as version');
  const version = text(head?.version);
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major < 3 || (major === 3 && minor < 37))
    throw new SchemaError(
      'SCHEMA_UNSUPPORTED',
      `SQLite ${version} is older than 3.37, the oldest this differ reads`,
    );
  const [objects, columns, kinds, fk] = await Promise.all([
    query(
      'schema',
      `select type, name, tbl_name, sql from sqlite_schema where name not like 'sqlite\\_%' escape '\\' and sql is not null order by type, name`,
    ),
    query(
      'columns',
      `select m.name as table_name, p.name, p.type, p."notnull" as not_null, p.dflt_value, p.pk, p.hidden
       from sqlite_schema m join pragma_table_xinfo(m.name) p
       where m.type = 'table' and m.name not like 'sqlite\\_%' escape '\\' order by m.name, p.cid`,
    ),
    query('table kinds', `select name, type from pragma_table_list where schema = 'main'`),
    query('foreign key setting', 'pragma foreign_keys'),
  ]);
  const kindOf = new Map(kinds.map((r) => [text(r.name), text(r.type)]));
  const columnsBy = new Map<string, SqliteColumn[]>();
  for (const r of columns) {
    const t = text(r.table_name);
    const list = columnsBy.get(t) ?? [];
    columnsBy.set(t, list);
    list.push({
      name: text(r.name),
      type: text(r.type),
      notNull: bool(r.not_null),
      default: textOrNull(r.dflt_value),
      primaryKey: numberOrNull(r.pk) ?? 0,
      hidden: numberOrNull(r.hidden) ?? 0,
    });
  }
  const tables: SqliteTable[] = [];
  const indexes: SqliteObject[] = [];
  const views: SqliteObject[] = [];
  const triggers: SqliteObject[] = [];
  const unmodelled: UnmodelledObject[] = [];
  for (const r of objects) {
    const type = text(r.type);
    const name = text(r.name);
    const sql = text(r.sql);
    const object = { name, table: text(r.tbl_name), sql };
    if (type === 'table') {
      const kind = kindOf.get(name) ?? 'table';
      if (kind === 'virtual') unmodelled.push({ kind: 'virtual table', name, definition: sql });
      else if (kind === 'table') tables.push({ name, sql, columns: columnsBy.get(name) ?? [] });
    } else if (type === 'index') indexes.push(object);
    else if (type === 'view') views.push(object);
    else if (type === 'trigger') triggers.push(object);
  }
  const foreignKeys = bool(Object.values(fk[0] ?? {})[0]);
  return {
    dialect: 'sqlite',
    serverVersion: version,
    foreignKeys,
    tables,
    indexes,
    views,
    triggers,
    unmodelled,
  };
}
