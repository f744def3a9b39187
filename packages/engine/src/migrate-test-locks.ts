// What `migrate test` reads about locks and rows on PostgreSQL (and PGlite): the relation locks the
// scratch session holds (pg_locks of its own backend, read inside the transaction after each statement,
// as djrobstep/results does), the tables there and the rows they hold before a migration runs, and the
// target's row estimates (pg_class.reltuples), for tables the scratch holds no rows of.
import type { Queryable } from '@aishell/pool';

/** PostgreSQL's table-level lock modes, weakest first, as LOCK TABLE names them. */
export type LockMode =
  | 'ACCESS SHARE'
  | 'ROW SHARE'
  | 'ROW EXCLUSIVE'
  | 'SHARE UPDATE EXCLUSIVE'
  | 'SHARE'
  | 'SHARE ROW EXCLUSIVE'
  | 'EXCLUSIVE'
  | 'ACCESS EXCLUSIVE';

/** What a locked relation is. */
export type RelationKind =
  | 'table'
  | 'partitioned table'
  | 'index'
  | 'partitioned index'
  | 'sequence'
  | 'view'
  | 'materialized view'
  | 'other';

/** One lock a statement took. */
export interface LockTaken {
  /** `public.users`. */
  readonly relation: string;
  readonly kind: RelationKind;
  readonly mode: LockMode;
  /** The relation did not exist before the migration (created by it): nobody else can be waiting on it. */
  readonly created: boolean;
}

const MODES: Readonly<Record<string, LockMode>> = {
  AccessShareLock: 'ACCESS SHARE',
  RowShareLock: 'ROW SHARE',
  RowExclusiveLock: 'ROW EXCLUSIVE',
  ShareUpdateExclusiveLock: 'SHARE UPDATE EXCLUSIVE',
  ShareLock: 'SHARE',
  ShareRowExclusiveLock: 'SHARE ROW EXCLUSIVE',
  ExclusiveLock: 'EXCLUSIVE',
  AccessExclusiveLock: 'ACCESS EXCLUSIVE',
};

const KINDS: Readonly<Record<string, RelationKind>> = {
  r: 'table',
  p: 'partitioned table',
  i: 'index',
  I: 'partitioned index',
  S: 'sequence',
  v: 'view',
  m: 'materialized view',
};

/** A relation of the scratch before a migration ran: its name, kind and the rows it held. */
export interface RelationBefore {
  readonly name: string;
  readonly kind: RelationKind;
  /** Rows in the scratch (tables and populated materialized views), else null. */
  readonly rows: number | null;
}

/** User relations only: the catalog relations the lock query itself locks are not the migration's. */
const USER_NAMESPACE = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'`;

/** Tables counted in one query. */
const COUNTS_PER_QUERY = 100;

/**
 * Every user relation of the scratch by oid, with the exact rows of each table (the scratch holds only a
 * sample or what earlier migrations wrote, so counting is cheap).
 */
export async function relationsBefore(
  conn: Queryable,
  signal?: AbortSignal,
): Promise<Map<string, RelationBefore>> {
  const opts = signal ? { signal } : {};
  const { rows } = await conn.query(
    `SELECT c.oid::text AS oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS kind, c.relispopulated AS populated
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'i', 'I', 'S', 'v', 'm') AND ${USER_NAMESPACE}`,
    [],
    opts,
  );
  const out = new Map<string, RelationBefore>();
  const countable: { oid: string; sql: string }[] = [];
  for (const r of rows) {
    const oid = String(r.oid);
    const kind = KINDS[String(r.kind)] ?? 'other';
    out.set(oid, { name: `${r.schema}.${r.name}`, kind, rows: null });
    const quoted = `${ident(String(r.schema))}.${ident(String(r.name))}`;
    // ONLY: the rows a table holds itself (a parent by inheritance would count its children's too).
    if (kind === 'table') countable.push({ oid, sql: `ONLY ${quoted}` });
    else if (kind === 'partitioned table') countable.push({ oid, sql: quoted });
    else if (kind === 'materialized view' && r.populated === true) countable.push({ oid, sql: quoted });
  }
  for (let i = 0; i < countable.length; i += COUNTS_PER_QUERY) {
    const chunk = countable.slice(i, i + COUNTS_PER_QUERY);
    const sql = chunk
      .map((c) => `SELECT '${c.oid}' AS oid, count(*)::text AS n FROM ${c.sql}`)
      .join(' UNION ALL ');
    const counted = await conn.query(sql, [], opts);
    for (const r of counted.rows) {
      const before = out.get(String(r.oid));
      if (before) out.set(String(r.oid), { ...before, rows: Number(r.n) });
    }
  }
  return out;
}

/** A relation lock held now, keyed `oid:mode`. */
export interface HeldLock {
  readonly oid: string;
  /** Null for a relation dropped in this transaction (its catalog row is gone for this session). */
  readonly relation: string | null;
  readonly kind: RelationKind;
  readonly mode: LockMode;
}

/** The relation locks this session holds now (granted), on user relations. */
export async function heldLocks(conn: Queryable, signal?: AbortSignal): Promise<Map<string, HeldLock>> {
  const { rows } = await conn.query(
    `SELECT l.relation::oid::text AS oid, l.mode, n.nspname AS schema, c.relname AS name, c.relkind::text AS kind
       FROM pg_locks l
       LEFT JOIN pg_class c ON c.oid = l.relation
       LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND (c.oid IS NULL OR (${USER_NAMESPACE}))`,
    [],
    signal ? { signal } : {},
  );
  const out = new Map<string, HeldLock>();
  for (const r of rows) {
    const mode = MODES[String(r.mode)];
    if (mode === undefined) continue;
    const oid = String(r.oid);
    out.set(`${oid}:${mode}`, {
      oid,
      relation: r.name === null || r.name === undefined ? null : `${r.schema}.${r.name}`,
      kind: KINDS[String(r.kind)] ?? 'other',
      mode,
    });
  }
  return out;
}

/** Lock modes from the weakest to the strongest. */
const RANK: readonly LockMode[] = Object.values(MODES);

/**
 * The locks in `now` stronger than any `previous` held on their relation (what the last statement
 * took), the strongest per relation, named; a relation dropped by it is named from `before`, one created and dropped inside the
 * migration is left out.
 */
export function newLocks(
  previous: ReadonlyMap<string, HeldLock>,
  now: ReadonlyMap<string, HeldLock>,
  before: ReadonlyMap<string, RelationBefore>,
): LockTaken[] {
  // What the transaction held already, per relation: a weaker or equal mode taken again adds nothing.
  const held = new Map<string, number>();
  for (const lock of previous.values())
    held.set(lock.oid, Math.max(held.get(lock.oid) ?? -1, RANK.indexOf(lock.mode)));
  const strongest = new Map<string, LockTaken>();
  for (const [key, lock] of now) {
    if (previous.has(key) || RANK.indexOf(lock.mode) <= (held.get(lock.oid) ?? -1)) continue;
    const known = before.get(lock.oid);
    const relation = lock.relation ?? known?.name;
    if (relation === undefined) continue;
    const seen = strongest.get(lock.oid);
    if (seen !== undefined && RANK.indexOf(seen.mode) >= RANK.indexOf(lock.mode)) continue;
    strongest.set(lock.oid, {
      relation,
      kind: known?.kind ?? lock.kind,
      mode: lock.mode,
      created: known === undefined,
    });
  }
  return [...strongest.values()].sort((a, b) => a.relation.localeCompare(b.relation));
}

/** The target's row estimate per table (`schema.name`), from pg_class.reltuples; unknown (never analysed) is left out. */
export async function targetRowEstimates(
  run: (sql: string) => Promise<{ rows: Record<string, unknown>[] }>,
): Promise<Map<string, number>> {
  const { rows } = await run(
    `SELECT n.nspname AS schema, c.relname AS name, c.reltuples::float8 AS rows
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'm') AND c.reltuples >= 0 AND ${USER_NAMESPACE}`,
  );
  return new Map(rows.map((r) => [`${r.schema}.${r.name}`, Math.round(Number(r.rows))]));
}

function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
