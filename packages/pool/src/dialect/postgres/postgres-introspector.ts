import type { DialectName } from '../../connection-config.js';
import type { SchemaInfo, TableInfo } from '../../schema-info.js';
import type { RunQuery } from '../dialect.js';

// Five set-based catalog queries whatever the number of tables (a 500-table schema stays well under
// a second); rows are stitched together by table OID here.
const SCHEMAS_SQL = `SELECT nspname AS name FROM pg_catalog.pg_namespace
WHERE nspname <> 'information_schema' AND nspname NOT LIKE 'pg\\_%' ORDER BY 1`;

const TABLES_SQL = `SELECT c.oid::text AS oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS kind,
  d.description AS comment,
  CASE WHEN c.relkind IN ('v') OR c.reltuples < 0 THEN NULL ELSE c.reltuples::float8 END AS row_estimate
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = 0
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname = ANY($1::text[])
ORDER BY n.nspname, c.relname`;

const COLUMNS_SQL = `SELECT a.attrelid::text AS oid, a.attname AS name,
  pg_catalog.format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable,
  pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) AS "default", d.description AS comment
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_description d ON d.objoid = a.attrelid AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = a.attnum
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname = ANY($1::text[]) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum`;

const CONSTRAINTS_SQL = `SELECT con.conrelid::text AS oid, con.contype::text AS type, con.conname AS name,
  ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord)::text[] AS columns,
  fn.nspname AS ref_schema, fc.relname AS ref_table,
  ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord)::text[] AS ref_columns
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
WHERE con.contype IN ('p', 'f') AND n.nspname = ANY($1::text[])
ORDER BY con.conrelid, con.conname`;

const INDEXES_SQL = `SELECT i.indrelid::text AS oid, ic.relname AS name, i.indisunique AS "unique", i.indisprimary AS "primary",
  ARRAY(SELECT pg_catalog.pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) k ORDER BY k)::text[] AS columns
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY($1::text[])
ORDER BY i.indrelid, ic.relname`;

const KINDS: Readonly<Record<string, TableInfo['kind']>> = {
  r: 'table',
  p: 'table',
  f: 'table',
  v: 'view',
  m: 'materialized_view',
};

const str = (v: unknown): string => String(v);
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** Introspects PostgreSQL and PGlite (same catalogs). */
export async function introspectPostgres(
  dialect: DialectName,
  run: RunQuery,
  options: { schemas?: readonly string[] | undefined },
): Promise<SchemaInfo> {
  const db = await run('SELECT current_database() AS name');
  const all = (await run(SCHEMAS_SQL)).rows.map((r) => str(r.name));
  const schemas = options.schemas ? all.filter((s) => options.schemas?.includes(s)) : all;
  const byOid = new Map<string, TableInfo>();
  const tables: TableInfo[] = [];
  for (const r of (await run(TABLES_SQL, [schemas])).rows) {
    const table: TableInfo = {
      schema: str(r.schema),
      name: str(r.name),
      kind: KINDS[str(r.kind)] ?? 'table',
      comment: strOrNull(r.comment),
      rowEstimate: r.row_estimate === null || r.row_estimate === undefined ? null : Number(r.row_estimate),
      columns: [],
      primaryKey: [],
      foreignKeys: [],
      indexes: [],
    };
    byOid.set(str(r.oid), table);
    tables.push(table);
  }
  for (const r of (await run(COLUMNS_SQL, [schemas])).rows) {
    byOid.get(str(r.oid))?.columns.push({
      name: str(r.name),
      type: str(r.type),
      nullable: r.nullable === true,
      default: strOrNull(r.default),
      comment: strOrNull(r.comment),
    });
  }
  for (const r of (await run(CONSTRAINTS_SQL, [schemas])).rows) {
    const table = byOid.get(str(r.oid));
    if (!table) continue;
    if (r.type === 'p') table.primaryKey = strings(r.columns);
    else {
      table.foreignKeys.push({
        name: strOrNull(r.name),
        columns: strings(r.columns),
        referencedSchema: strOrNull(r.ref_schema),
        referencedTable: str(r.ref_table),
        referencedColumns: strings(r.ref_columns),
      });
    }
  }
  for (const r of (await run(INDEXES_SQL, [schemas])).rows) {
    byOid.get(str(r.oid))?.indexes.push({
      name: str(r.name),
      columns: strings(r.columns),
      unique: r.unique === true,
      primary: r.primary === true,
    });
  }
  return { dialect, database: strOrNull(db.rows[0]?.name), schemas, tables };
}
