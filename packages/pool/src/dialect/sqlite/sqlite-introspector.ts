import type { SchemaInfo, TableInfo } from '../../schema-info.js';
import type { RunQuery } from '../dialect.js';

// Set-based through the pragma table-valued functions (SQLite >= 3.16): one query per kind of
// object whatever the number of tables.
const TABLES_SQL = `SELECT name, type FROM sqlite_schema
WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`;

const COLUMNS_SQL = `SELECT m.name AS tbl, p.name AS name, p.type AS type, p."notnull" AS not_null,
  p.dflt_value AS dflt, p.pk AS pk
FROM sqlite_schema m JOIN pragma_table_info(m.name) p
WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY m.name, p.cid`;

const FOREIGN_KEYS_SQL = `SELECT m.name AS tbl, f.id AS id, f."table" AS ref_table, f."from" AS col, f."to" AS ref_col
FROM sqlite_schema m JOIN pragma_foreign_key_list(m.name) f
WHERE m.type = 'table' ORDER BY m.name, f.id, f.seq`;

const INDEXES_SQL = `SELECT m.name AS tbl, il.name AS name, il."unique" AS is_unique, il.origin AS origin, ii.name AS col
FROM sqlite_schema m JOIN pragma_index_list(m.name) il JOIN pragma_index_info(il.name) ii
WHERE m.type = 'table' ORDER BY m.name, il.name, ii.seqno`;

const str = (v: unknown): string => String(v);
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** Introspects a SQLite database (schema `main`). Row estimates come from `sqlite_stat1` after ANALYZE. */
export async function introspectSqlite(
  run: RunQuery,
  options: { schemas?: readonly string[] | undefined },
): Promise<SchemaInfo> {
  const file = strOrNull(
    (await run("SELECT file FROM pragma_database_list WHERE name = 'main'")).rows[0]?.file,
  );
  const database = file === null || file === '' ? null : file;
  if (options.schemas !== undefined && !options.schemas.includes('main')) {
    return { dialect: 'sqlite', database, schemas: [], tables: [] };
  }
  const byName = new Map<string, TableInfo>();
  const tables: TableInfo[] = [];
  for (const r of (await run(TABLES_SQL)).rows) {
    const table: TableInfo = {
      schema: 'main',
      name: str(r.name),
      kind: r.type === 'view' ? 'view' : 'table',
      comment: null,
      rowEstimate: null,
      columns: [],
      primaryKey: [],
      foreignKeys: [],
      indexes: [],
    };
    byName.set(table.name, table);
    tables.push(table);
  }
  const pkOrder = new Map<TableInfo, Array<[number, string]>>();
  for (const r of (await run(COLUMNS_SQL)).rows) {
    const table = byName.get(str(r.tbl));
    if (!table) continue;
    table.columns.push({
      name: str(r.name),
      type: str(r.type ?? ''),
      nullable: Number(r.not_null) === 0 && Number(r.pk) === 0,
      default: strOrNull(r.dflt),
      comment: null,
    });
    if (Number(r.pk) > 0) {
      const list = pkOrder.get(table) ?? [];
      list.push([Number(r.pk), str(r.name)]);
      pkOrder.set(table, list);
    }
  }
  for (const [table, list] of pkOrder) table.primaryKey = list.sort((a, b) => a[0] - b[0]).map(([, n]) => n);
  const fkById = new Map<string, TableInfo['foreignKeys'][number]>();
  for (const r of (await run(FOREIGN_KEYS_SQL)).rows) {
    const table = byName.get(str(r.tbl));
    if (!table) continue;
    const id = `${table.name}\u0000${str(r.id)}`;
    let fk = fkById.get(id);
    if (!fk) {
      fk = {
        name: null,
        columns: [],
        referencedSchema: 'main',
        referencedTable: str(r.ref_table),
        referencedColumns: [],
      };
      fkById.set(id, fk);
      table.foreignKeys.push(fk);
    }
    fk.columns.push(str(r.col));
    // REFERENCES t without columns means t's primary key.
    const refCol =
      strOrNull(r.ref_col) ?? byName.get(fk.referencedTable)?.primaryKey[fk.columns.length - 1] ?? '';
    fk.referencedColumns.push(refCol);
  }
  for (const r of (await run(INDEXES_SQL)).rows) {
    const table = byName.get(str(r.tbl));
    if (!table) continue;
    const name = str(r.name);
    let index = table.indexes.find((i) => i.name === name);
    if (!index) {
      index = { name, columns: [], unique: Number(r.is_unique) === 1, primary: r.origin === 'pk' };
      table.indexes.push(index);
    }
    index.columns.push(r.col === null ? '(expression)' : str(r.col));
  }
  const stat = await run("SELECT 1 AS present FROM sqlite_schema WHERE name = 'sqlite_stat1'");
  if (stat.rows.length > 0) {
    for (const r of (await run('SELECT tbl, stat FROM sqlite_stat1')).rows) {
      const table = byName.get(str(r.tbl));
      const rows = Number.parseInt(str(r.stat), 10);
      if (table && Number.isFinite(rows)) table.rowEstimate = rows;
    }
  }
  return { dialect: 'sqlite', database, schemas: ['main'], tables };
}
