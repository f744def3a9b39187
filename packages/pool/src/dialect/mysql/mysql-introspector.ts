import type { SchemaInfo, TableInfo } from '../../schema-info.js';
import type { RunQuery } from '../dialect.js';

// Four set-based information_schema queries whatever the number of tables.
const SYSTEM_SCHEMAS = ['information_schema', 'mysql', 'performance_schema', 'sys'];

const TABLES_SQL = `SELECT TABLE_SCHEMA AS \`schema\`, TABLE_NAME AS name, TABLE_TYPE AS type,
  TABLE_COMMENT AS comment, TABLE_ROWS AS row_estimate
FROM information_schema.TABLES WHERE TABLE_SCHEMA IN (?) ORDER BY TABLE_SCHEMA, TABLE_NAME`;

const COLUMNS_SQL = `SELECT TABLE_SCHEMA AS \`schema\`, TABLE_NAME AS tbl, COLUMN_NAME AS name, COLUMN_TYPE AS type,
  IS_NULLABLE AS nullable, COLUMN_DEFAULT AS dflt, COLUMN_COMMENT AS comment
FROM information_schema.COLUMNS WHERE TABLE_SCHEMA IN (?) ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION`;

const KEYS_SQL = `SELECT TABLE_SCHEMA AS \`schema\`, TABLE_NAME AS tbl, CONSTRAINT_NAME AS name, COLUMN_NAME AS col,
  REFERENCED_TABLE_SCHEMA AS ref_schema, REFERENCED_TABLE_NAME AS ref_table, REFERENCED_COLUMN_NAME AS ref_col
FROM information_schema.KEY_COLUMN_USAGE
WHERE TABLE_SCHEMA IN (?) AND (CONSTRAINT_NAME = 'PRIMARY' OR REFERENCED_TABLE_NAME IS NOT NULL)
ORDER BY TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION`;

const INDEXES_SQL = `SELECT TABLE_SCHEMA AS \`schema\`, TABLE_NAME AS tbl, INDEX_NAME AS name, NON_UNIQUE AS non_unique,
  COLUMN_NAME AS col
FROM information_schema.STATISTICS WHERE TABLE_SCHEMA IN (?)
ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`;

const str = (v: unknown): string => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : str(v));
const key = (schema: unknown, table: unknown) => `${str(schema)}\u0000${str(table)}`;

/** MariaDB reports the default of a nullable column without one as the text NULL. */
function columnDefault(v: unknown): string | null {
  const s = strOrNull(v);
  return s === 'NULL' ? null : s;
}

/** Introspects MySQL / MariaDB; a schema is a database. */
export async function introspectMysql(
  run: RunQuery,
  options: { schemas?: readonly string[] | undefined },
): Promise<SchemaInfo> {
  const current = strOrNull((await run('SELECT DATABASE() AS db')).rows[0]?.db);
  let schemas: string[];
  if (options.schemas !== undefined) schemas = [...options.schemas];
  else if (current !== null) schemas = [current];
  else {
    const all = await run('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA ORDER BY 1');
    schemas = all.rows.map((r) => str(r.name)).filter((s) => !SYSTEM_SCHEMAS.includes(s));
  }
  if (schemas.length === 0) return { dialect: 'mysql', database: current, schemas, tables: [] };
  const byKey = new Map<string, TableInfo>();
  const tables: TableInfo[] = [];
  for (const r of (await run(TABLES_SQL, [schemas])).rows) {
    const view = str(r.type).includes('VIEW');
    const comment = strOrNull(r.comment);
    const table: TableInfo = {
      schema: str(r.schema),
      name: str(r.name),
      kind: view ? 'view' : 'table',
      comment: view || comment === '' ? null : comment,
      rowEstimate: view || r.row_estimate === null ? null : Number(r.row_estimate),
      columns: [],
      primaryKey: [],
      foreignKeys: [],
      indexes: [],
    };
    byKey.set(key(r.schema, r.name), table);
    tables.push(table);
  }
  for (const r of (await run(COLUMNS_SQL, [schemas])).rows) {
    const comment = strOrNull(r.comment);
    byKey.get(key(r.schema, r.tbl))?.columns.push({
      name: str(r.name),
      type: str(r.type),
      nullable: str(r.nullable) === 'YES',
      default: columnDefault(r.dflt),
      comment: comment === '' ? null : comment,
    });
  }
  for (const r of (await run(KEYS_SQL, [schemas])).rows) {
    const table = byKey.get(key(r.schema, r.tbl));
    if (!table) continue;
    const name = str(r.name);
    if (r.ref_table === null || r.ref_table === undefined) {
      table.primaryKey.push(str(r.col));
      continue;
    }
    let fk = table.foreignKeys.find((f) => f.name === name);
    if (!fk) {
      fk = {
        name,
        columns: [],
        referencedSchema: strOrNull(r.ref_schema),
        referencedTable: str(r.ref_table),
        referencedColumns: [],
      };
      table.foreignKeys.push(fk);
    }
    fk.columns.push(str(r.col));
    fk.referencedColumns.push(str(r.ref_col));
  }
  for (const r of (await run(INDEXES_SQL, [schemas])).rows) {
    const table = byKey.get(key(r.schema, r.tbl));
    if (!table) continue;
    const name = str(r.name);
    let index = table.indexes.find((i) => i.name === name);
    if (!index) {
      index = { name, columns: [], unique: Number(r.non_unique) === 0, primary: name === 'PRIMARY' };
      table.indexes.push(index);
    }
    index.columns.push(r.col === null ? '(expression)' : str(r.col));
  }
  return { dialect: 'mysql', database: current, schemas, tables };
}
