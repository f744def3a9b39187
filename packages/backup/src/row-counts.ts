// What a backup records about its database and what a restore checks of its target: the tables (and
// their exact row counts), and whether a target already holds anything. Catalog SQL per engine, as data.
import { abortedError } from './errors.js';
import type { BackupEngine, BackupRun, BackupTable } from './types.js';

type Family = 'postgres' | 'mysql' | 'sqlite';
const FAMILY: Readonly<Record<BackupEngine, Family>> = {
  postgres: 'postgres',
  pglite: 'postgres',
  mysql: 'mysql',
  sqlite: 'sqlite',
};

/** Schemas that hold no user data on PostgreSQL. */
const PG_USER_SCHEMAS =
  "n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%' and n.nspname not like 'pg_temp_%'";
/** Objects that belong to an extension are the extension's, restored by CREATE EXTENSION. */
const PG_NOT_EXTENSION =
  "not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')";

/** The tables whose rows are counted: ordinary tables (partitions included, their parents not: no row twice). */
const TABLES_SQL: Readonly<Record<Family, string>> = {
  postgres:
    'select n.nspname as schema, c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace ' +
    `where c.relkind = 'r' and ${PG_USER_SCHEMAS} and ${PG_NOT_EXTENSION} order by 1, 2`,
  mysql:
    "select table_name as name from information_schema.tables where table_schema = database() and table_type = 'BASE TABLE' order by 1",
  sqlite: "select name from sqlite_schema where type = 'table' and name not like 'sqlite_%' order by name",
};

/** Tables, views, sequences and other relations a user made: a target holding one is not empty. */
const OBJECTS_SQL: Readonly<Record<Family, string>> = {
  postgres:
    'select count(*) as n from pg_class c join pg_namespace n on n.oid = c.relnamespace ' +
    `where c.relkind in ('r', 'p', 'v', 'm', 'f', 'S') and ${PG_USER_SCHEMAS} and ${PG_NOT_EXTENSION}`,
  mysql: 'select count(*) as n from information_schema.tables where table_schema = database()',
  sqlite: "select count(*) as n from sqlite_schema where name not like 'sqlite_%'",
};

const quotePg = (name: string) => `"${name.replace(/"/g, '""')}"`;
const quoteMysql = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/** Orders names as the catalog does (code point order, not the locale's). */
const byName = (a: BackupTable, b: BackupTable): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Every table of the database with its exact row count (`count(*)`, one table after the other), sorted
 * by name: `schema.table` on PostgreSQL and PGlite, the table's name on MySQL/MariaDB and SQLite.
 * @example const tables = await countRows(run, 'postgres'); // [{ name: 'public.orders', rows: 1200 }]
 */
export async function countRows(
  run: BackupRun,
  engine: BackupEngine,
  options: { signal?: AbortSignal; onTable?: (done: number, total: number) => void } = {},
): Promise<BackupTable[]> {
  const family = FAMILY[engine];
  const { rows } = await run(TABLES_SQL[family]);
  const out: BackupTable[] = [];
  for (const row of rows) {
    if (options.signal?.aborted) throw abortedError(options.signal, 'counting rows');
    const name = String(row.name);
    const schema = family === 'postgres' ? String(row.schema) : undefined;
    const from =
      family === 'mysql'
        ? quoteMysql(name)
        : schema === undefined
          ? quotePg(name)
          : `${quotePg(schema)}.${quotePg(name)}`;
    const counted = await run(`select count(*) as n from ${from}`);
    out.push({
      name: schema === undefined ? name : `${schema}.${name}`,
      rows: Number(counted.rows[0]?.n ?? 0),
    });
    options.onTable?.(out.length, rows.length);
  }
  return out.sort(byName);
}

/** How many tables, views, sequences and the like a database holds (0: a restore may go there unasked). */
export async function countObjects(run: BackupRun, engine: BackupEngine): Promise<number> {
  const { rows } = await run(OBJECTS_SQL[FAMILY[engine]]);
  return Number(rows[0]?.n ?? 0);
}

/** One difference between the row counts a backup recorded and those of its restored copy. */
export interface RowCountDifference {
  readonly table: string;
  /** Rows the catalog recorded, or null when the table was not in the backup. */
  readonly expected: number | null;
  /** Rows in the restored copy, or null when the table is missing there. */
  readonly actual: number | null;
}

/** The tables whose counts differ (missing on either side included), in name order. */
export function compareRowCounts(
  expected: readonly BackupTable[],
  actual: readonly BackupTable[],
): RowCountDifference[] {
  const seen = new Map(actual.map((t) => [t.name, t.rows]));
  const out: RowCountDifference[] = [];
  for (const t of expected) {
    const got = seen.get(t.name);
    if (got !== t.rows) out.push({ table: t.name, expected: t.rows, actual: got ?? null });
    seen.delete(t.name);
  }
  for (const [table, rows] of seen) out.push({ table, expected: null, actual: rows });
  return out.sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0));
}
