// `migrate test --with-sample N`: the first N rows of every table of the target, copied into the scratch
// copy of its schema so that migrations meet rows (a NOT NULL without a default fails, a rewrite has work
// to do, an ACCESS EXCLUSIVE lock is on a table that holds rows). The target is only read (SELECT ...
// LIMIT N); foreign keys and triggers are off on the scratch while the rows go in.
import type { SchemaModel } from '@aishell/schema';
import { ScratchCopyError } from './errors.js';
import type { ScratchDatabase } from './scratch.js';

/** A query on the target: `SELECT`s only. */
export type TargetRun = (
  sql: string,
  params?: readonly unknown[],
) => Promise<{ rows: Record<string, unknown>[] }>;

/** What was copied. */
export interface SampleCopy {
  /** Rows asked for per table. */
  readonly rowsPerTable: number;
  readonly tables: number;
  readonly rows: number;
}

export interface CopySampleOptions {
  readonly signal?: AbortSignal;
  /** Called after each table. */
  readonly onTable?: (table: string, done: number, total: number) => void;
}

/** Rows sent in one INSERT (MySQL and SQLite bind each value; PostgreSQL sends one JSON document). */
const ROWS_PER_INSERT = 200;

/**
 * Copies up to `rowsPerTable` rows of each table of `model` from the target into the scratch.
 * PostgreSQL: the rows travel as one JSON document per table (`json_agg`, then `json_populate_recordset`
 * on the scratch), so every type arrives through its own input function; identity columns keep their
 * values (OVERRIDING SYSTEM VALUE), generated columns are computed again, sequences are set to the
 * target's values. Foreign keys and triggers: `session_replication_role = replica` (PostgreSQL),
 * `FOREIGN_KEY_CHECKS = 0` (MySQL), `PRAGMA foreign_keys = OFF` (SQLite) while copying.
 * @throws ScratchCopyError naming the table whose rows the scratch refused
 */
export async function copySample(
  target: TargetRun,
  scratch: ScratchDatabase,
  model: SchemaModel,
  rowsPerTable: number,
  options: CopySampleOptions = {},
): Promise<SampleCopy> {
  const tables = sampleTables(model);
  let rows = 0;
  await scratch.pool.withConnection(async (conn) => {
    const run = async (sql: string, params: readonly unknown[] = []) =>
      (await conn.query(sql, params, options.signal ? { signal: options.signal } : {})).rows as Record<
        string,
        unknown
      >[];
    const [off, on] = FOREIGN_KEYS_OFF[model.dialect];
    try {
      await run(off);
    } catch (error) {
      throw new ScratchCopyError(
        `cannot copy sample rows into ${scratch.label}: ${off} was refused (${(error as Error).message}); the scratch role needs to be allowed to turn foreign keys and triggers off`,
        { cause: error },
      );
    }
    try {
      for (const [i, table] of tables.entries()) {
        options.signal?.throwIfAborted();
        try {
          rows += await copyTable(target, run, model.dialect, table, rowsPerTable);
        } catch (error) {
          if (options.signal?.aborted) throw error;
          throw new ScratchCopyError(
            `cannot copy sample rows of ${table.label} into ${scratch.label}: ${(error as Error).message}`,
            { cause: error },
          );
        }
        options.onTable?.(table.label, i + 1, tables.length);
      }
      if (model.dialect === 'postgres') await copySequences(target, run);
    } finally {
      await run(on).catch(() => {});
    }
  });
  return { rowsPerTable, tables: tables.length, rows };
}

const FOREIGN_KEYS_OFF: Readonly<Record<SchemaModel['dialect'], readonly [string, string]>> = {
  postgres: ['SET session_replication_role = replica', 'RESET session_replication_role'],
  mysql: ['SET FOREIGN_KEY_CHECKS = 0', 'SET FOREIGN_KEY_CHECKS = 1'],
  sqlite: ['PRAGMA foreign_keys = OFF', 'PRAGMA foreign_keys = ON'],
};

interface SampleTable {
  /** `public.users`, `users`: for messages. */
  readonly label: string;
  /** The table as SQL (quoted, qualified on PostgreSQL). */
  readonly sql: string;
  /** The columns that take values (generated ones are computed again), quoted. */
  readonly columns: readonly string[];
  /** PostgreSQL: ONLY, so that a parent by inheritance does not copy its children's rows too. */
  readonly only: boolean;
  /** PostgreSQL: an identity column GENERATED ALWAYS takes the copied value only with OVERRIDING SYSTEM VALUE. */
  readonly overriding: boolean;
  /** MySQL: JSON columns, read as text so that big numbers in them keep their digits. */
  readonly asText: ReadonlySet<string>;
}

function sampleTables(model: SchemaModel): SampleTable[] {
  if (model.dialect === 'postgres') {
    return (
      model.tables
        // A partition's rows are its root's: copied through the root, routed again on the scratch.
        .filter((t) => t.partitionOf === null)
        .map((t) => {
          const columns = t.columns.filter((c) => c.generated === null);
          return {
            label: `${t.schema}.${t.name}`,
            sql: `${pgIdent(t.schema)}.${pgIdent(t.name)}`,
            columns: columns.map((c) => pgIdent(c.name)),
            only: t.kind !== 'partitioned',
            overriding: columns.some((c) => c.identity?.generation === 'ALWAYS'),
            asText: new Set<string>(),
          };
        })
        .filter((t) => t.columns.length > 0)
    );
  }
  if (model.dialect === 'mysql') {
    return model.tables
      .map((t) => {
        const columns = t.columns.filter((c) => c.generated === null);
        return {
          label: t.name,
          sql: mysqlIdent(t.name),
          columns: columns.map((c) => mysqlIdent(c.name)),
          only: false,
          overriding: false,
          asText: new Set(columns.filter((c) => /^json\b/i.test(c.type)).map((c) => mysqlIdent(c.name))),
        };
      })
      .filter((t) => t.columns.length > 0);
  }
  return model.tables
    .map((t) => ({
      label: t.name,
      sql: pgIdent(t.name),
      columns: t.columns.filter((c) => c.hidden === 0).map((c) => pgIdent(c.name)),
      only: false,
      overriding: false,
      asText: new Set<string>(),
    }))
    .filter((t) => t.columns.length > 0);
}

async function copyTable(
  target: TargetRun,
  run: (sql: string, params?: readonly unknown[]) => Promise<Record<string, unknown>[]>,
  dialect: SchemaModel['dialect'],
  table: SampleTable,
  limit: number,
): Promise<number> {
  const columns = table.columns.join(', ');
  if (dialect === 'postgres') {
    const read = await target(
      `SELECT coalesce(json_agg(x), '[]')::text AS rows, count(*)::int AS n FROM (SELECT ${columns} FROM ${table.only ? 'ONLY ' : ''}${table.sql} LIMIT ${limit}) x`,
    );
    const n = Number(read.rows[0]?.n ?? 0);
    if (n === 0) return 0;
    // `$1::text`: PGlite serialises a parameter by its type; as text it arrives as it was read.
    await run(
      `INSERT INTO ${table.sql} (${columns})${table.overriding ? ' OVERRIDING SYSTEM VALUE' : ''} SELECT ${columns} FROM json_populate_recordset(NULL::${table.sql}, $1::text::json)`,
      [read.rows[0]?.rows],
    );
    return n;
  }
  const select = table.columns
    .map((c) => (table.asText.has(c) ? `CAST(${c} AS CHAR) AS ${c}` : c))
    .join(', ');
  const read = await target(`SELECT ${select} FROM ${table.sql} LIMIT ${limit}`);
  const names = table.columns.map(unquote);
  for (let i = 0; i < read.rows.length; i += ROWS_PER_INSERT) {
    const batch = read.rows.slice(i, i + ROWS_PER_INSERT);
    const placeholders = batch.map(() => `(${names.map(() => '?').join(', ')})`).join(', ');
    await run(
      `INSERT INTO ${table.sql} (${columns}) VALUES ${placeholders}`,
      batch.flatMap((row) => names.map((name) => bindable(row[name]))),
    );
  }
  return read.rows.length;
}

/**
 * A value read as the driver gives it, bound as it was stored: mysql2 hands MariaDB's JSON (a LONGTEXT
 * with a json_valid check) over parsed, and would bind an object as `key = value` pairs.
 */
function bindable(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'object' && !Buffer.isBuffer(value) && !(value instanceof Uint8Array))
    return JSON.stringify(value);
  return value;
}

/** Sequences continue where the target's are, so that a migration's INSERT does not collide with a copied key. */
async function copySequences(
  target: TargetRun,
  run: (sql: string, params?: readonly unknown[]) => Promise<Record<string, unknown>[]>,
): Promise<void> {
  const { rows } = await target(
    `SELECT schemaname AS schema, sequencename AS name, last_value::text AS value FROM pg_sequences
      WHERE last_value IS NOT NULL AND schemaname NOT IN ('pg_catalog', 'information_schema')`,
  );
  for (const row of rows) {
    await run(`SELECT setval(format('%I.%I', $1::text, $2::text)::regclass, $3::text::bigint)`, [
      row.schema,
      row.name,
      row.value,
    ]).catch(() => {
      // A sequence the scratch does not have (an extension's): nothing to continue.
    });
  }
}

function pgIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function mysqlIdent(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

/** The column's name as a result row keys it. */
function unquote(quoted: string): string {
  const q = quoted[0] ?? '"';
  return quoted.slice(1, -1).replaceAll(`${q}${q}`, q);
}
