// The catalog queries of advise on PostgreSQL: the server's facts (version, HypoPG, pg_stat_statements),
// the workload from pg_stat_statements, and the tables, columns and indexes the statements name. Each
// carries the same leading comment, so that advise never advises on its own queries.
import { AdviseError } from './errors.js';
import { qualifiedName } from './identifiers.js';
import type { ColumnInfo, ExistingIndex, TableInfo } from './index-candidates.js';
import { list, num, str } from './row-values.js';
import type { RelationName } from './statement-shape.js';
import type { AdviseRun, HypopgStatus } from './types.js';

/** Marks advise's own queries (pg_stat_statements keeps comments). */
export const TAG = '/* aishell advise */';

export interface PostgresFacts {
  /** server_version_num, e.g. 150020. */
  readonly versionNum: number;
  readonly hypopg: HypopgStatus;
  /** The schema HypoPG's functions live in, when created. */
  readonly hypopgSchema: string | null;
  /** The schema of pg_stat_statements' view, when created in this database. */
  readonly statementsSchema: string | null;
  readonly statementsAvailable: boolean;
  readonly preloaded: boolean;
}

/** HypoPG's state from the catalog: its version when created, whether the server has it, the server's major. */
export function hypopgStatus(version: string | null, available: boolean, major: number): HypopgStatus {
  if (version !== null) return { state: 'ready', version, hint: null };
  if (available)
    return {
      state: 'not-created',
      version: null,
      hint: 'HypoPG is installed on the server but not created in this database: run CREATE EXTENSION hypopg; (as a user allowed to)',
    };
  const m = major > 0 ? String(major) : '<major>';
  return {
    state: 'not-available',
    version: null,
    hint: `HypoPG is not installed on the server: install it (Debian/Ubuntu: apt install postgresql-${m}-hypopg; RHEL: dnf install hypopg_${m}), then run CREATE EXTENSION hypopg; in this database`,
  };
}

export async function postgresFacts(run: AdviseRun): Promise<PostgresFacts> {
  const { rows } = await run(`${TAG} SELECT current_setting('server_version_num')::int AS version_num,
       (SELECT e.extversion FROM pg_extension e WHERE e.extname = 'hypopg') AS hypopg_version,
       (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'hypopg') AS hypopg_schema,
       EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'hypopg') AS hypopg_available,
       (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements') AS statements_schema,
       EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_stat_statements') AS statements_available,
       current_setting('shared_preload_libraries') ~ '(^|[ ,/"])pg_stat_statements($|[ ,"])' AS preloaded`);
  const r = rows[0] ?? {};
  const versionNum = num(r.version_num) ?? 0;
  const major = Math.floor(versionNum / 10_000);
  const hypopg = hypopgStatus(
    str(r.hypopg_version),
    r.hypopg_available === true || r.hypopg_available === 't',
    major,
  );
  return {
    versionNum,
    hypopg,
    hypopgSchema: str(r.hypopg_schema),
    statementsSchema: str(r.statements_schema),
    statementsAvailable: r.statements_available === true || r.statements_available === 't',
    preloaded: r.preloaded === true || r.preloaded === 't',
  };
}

/** One statement of the workload. */
export interface WorkloadStatement {
  readonly sql: string;
  readonly calls: number;
  readonly totalMs: number;
  readonly meanMs: number;
}

/**
 * The statements of the current database in pg_stat_statements by total time (planning and
 * execution), with dexter's filters. `limit` rows at most; the caller keeps those it can advise on.
 */
export async function workload(
  run: AdviseRun,
  facts: PostgresFacts,
  filters: { minCalls: number; minMeanMs: number; limit: number },
): Promise<WorkloadStatement[]> {
  if (facts.statementsSchema !== null && !facts.preloaded)
    throw new AdviseError(
      'ADVISE_NO_STATEMENT_STATS',
      'pg_stat_statements is created in this database but the server does not load it: it has recorded nothing',
      {
        hint: "add pg_stat_statements to shared_preload_libraries (ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements') and restart the server. Or pass the statements to advise on.",
      },
    );
  if (facts.statementsSchema === null) {
    const hint = !facts.statementsAvailable
      ? 'install the contrib package of the server (Debian/Ubuntu: postgresql-contrib), add pg_stat_statements to shared_preload_libraries, restart the server, then run CREATE EXTENSION pg_stat_statements in this database'
      : facts.preloaded
        ? 'run CREATE EXTENSION pg_stat_statements in this database (the server already loads it)'
        : "add pg_stat_statements to shared_preload_libraries (ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'), restart the server, then run CREATE EXTENSION pg_stat_statements in this database";
    throw new AdviseError(
      'ADVISE_NO_STATEMENT_STATS',
      'pg_stat_statements is not created in this database: there is no workload to read the top statements from',
      { hint: `${hint}. Or pass the statements to advise on.` },
    );
  }
  const view = qualifiedName(facts.statementsSchema, 'pg_stat_statements', 'postgres');
  const { rows } = await run(
    `${TAG} SELECT s.query, sum(s.calls)::float8 AS calls,
       sum(s.total_exec_time + s.total_plan_time)::float8 AS total_ms
  FROM ${view} s
 WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
   AND s.query ~* '^\\s*(\\(\\s*)*(select|with|insert|update|delete)\\M'
   AND strpos(s.query, $3) = 0
 GROUP BY s.queryid, s.query
HAVING sum(s.calls) >= $1 AND sum(s.total_exec_time + s.total_plan_time) / greatest(sum(s.calls), 1) >= $2
 ORDER BY total_ms DESC
 LIMIT ${Math.trunc(filters.limit)}`,
    [filters.minCalls, filters.minMeanMs, TAG],
  );
  return rows.map((r) => {
    const calls = num(r.calls) ?? 0;
    const totalMs = num(r.total_ms) ?? 0;
    return { sql: String(r.query), calls, totalMs, meanMs: calls > 0 ? totalMs / calls : 0 };
  });
}

/** The text to_regclass reads for a name as the parse tree has it (already folded). */
function regclassText(r: RelationName): string {
  const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;
  return r.schema === null ? quote(r.name) : `${quote(r.schema)}.${quote(r.name)}`;
}

/** A key for a relation name as written (so that equal names resolve once). */
export function relationKey(r: RelationName): string {
  return regclassText(r);
}

/**
 * The user tables (plain, partitioned, materialized views) the names resolve to on the search path,
 * with their columns and indexes, by `relationKey`. Names of views, system catalogs and unknown
 * tables are left out.
 */
export async function postgresTables(
  run: AdviseRun,
  relations: readonly RelationName[],
): Promise<Map<string, TableInfo>> {
  const names = [...new Set(relations.map(regclassText))];
  const out = new Map<string, TableInfo>();
  if (names.length === 0) return out;
  const { rows: tables } = await run(
    `${TAG} SELECT r.name AS written, c.oid::int8 AS oid, n.nspname AS schema_name, c.relname AS table_name
  FROM unnest($1::text[]) AS r(name)
  JOIN pg_class c ON c.oid = to_regclass(r.name)
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'`,
    [names],
  );
  const oids = [...new Set(tables.map((t) => String(t.oid)))];
  if (oids.length === 0) return out;
  const [{ rows: columns }, { rows: indexes }] = await Promise.all([
    run(
      `${TAG} SELECT a.attrelid::int8 AS oid, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type,
       bt.oid <> 'jsonb'::regtype AND EXISTS (
         SELECT 1 FROM pg_opclass oc JOIN pg_am am ON am.oid = oc.opcmethod
          WHERE am.amname = 'btree' AND oc.opcdefault
            AND (oc.opcintype = bt.oid
                 OR EXISTS (SELECT 1 FROM pg_cast ca WHERE ca.castsource = bt.oid AND ca.casttarget = oc.opcintype
                                                       AND ca.castmethod = 'b' AND ca.castcontext = 'i')
                 OR (oc.opcintype = 'anyarray'::regtype AND bt.typcategory = 'A')
                 OR (oc.opcintype = 'anyenum'::regtype AND bt.typtype = 'e')
                 OR (oc.opcintype = 'anyrange'::regtype AND bt.typtype = 'r'))) AS btree
  FROM pg_attribute a
  JOIN pg_type t ON t.oid = a.atttypid
  JOIN pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
 WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY a.attrelid, a.attnum`,
      [oids],
    ),
    run(
      `${TAG} SELECT i.indrelid::int8 AS oid, c.relname AS index_name,
       am.amname = 'btree' AND i.indisvalid AND i.indpred IS NULL AS plain_btree,
       array_to_json(ARRAY(SELECT a.attname::text FROM unnest((i.indkey::int2[])[0:i.indnkeyatts - 1]) WITH ORDINALITY AS k(attnum, ord)
                              LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum > 0
                             ORDER BY k.ord))::text AS columns
  FROM pg_index i
  JOIN pg_class c ON c.oid = i.indexrelid
  JOIN pg_am am ON am.oid = c.relam
 WHERE i.indrelid = ANY($1::oid[])`,
      [oids],
    ),
  ]);
  const columnsOf = new Map<string, Map<string, ColumnInfo>>();
  for (const c of columns) {
    const key = String(c.oid);
    const map = columnsOf.get(key) ?? new Map<string, ColumnInfo>();
    const name = String(c.column_name);
    map.set(name, { name, type: String(c.type), btree: c.btree === true || c.btree === 't' });
    columnsOf.set(key, map);
  }
  const indexesOf = new Map<string, ExistingIndex[]>();
  for (const i of indexes) {
    const key = String(i.oid);
    const entry: ExistingIndex = {
      name: String(i.index_name),
      columns: list(i.columns).map((c) => (typeof c === 'string' ? c : null)),
      plainBtree: i.plain_btree === true || i.plain_btree === 't',
    };
    indexesOf.set(key, [...(indexesOf.get(key) ?? []), entry]);
  }
  for (const t of tables) {
    const key = String(t.oid);
    out.set(String(t.written), {
      key,
      schema: String(t.schema_name),
      name: String(t.table_name),
      columns: columnsOf.get(key) ?? new Map(),
      indexes: indexesOf.get(key) ?? [],
    });
  }
  return out;
}

/** Names of relations in use in these schemas, as `schema.name`, for choosing free index names. */
export async function postgresNamesTaken(run: AdviseRun, schemas: readonly string[]): Promise<Set<string>> {
  if (schemas.length === 0) return new Set();
  const { rows } = await run(
    `${TAG} SELECT n.nspname AS schema_name, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ANY($1::text[])`,
    [[...new Set(schemas)]],
  );
  return new Set(rows.map((r) => `${String(r.schema_name)}.${String(r.name)}`));
}
