import type { Risk, StatementAnalysis, StatementKind } from './types.js';

const RANK: Readonly<Record<Risk, number>> = { low: 0, medium: 1, high: 2, critical: 3 };

/** True when `risk` is `min` or worse: `riskAtLeast('critical', 'high') === true`. */
export function riskAtLeast(risk: Risk, min: Risk): boolean {
  return RANK[risk] >= RANK[min];
}

/**
 * The highest risk of several statements (`low` for none) and the reasons of those at `high` or above,
 * in statement order: what a guard that refuses `high` without confirmation shows.
 * @example highestRisk((await analyze('SELECT 1; DELETE FROM t', 'postgres')).statements); // { risk: 'critical', reasons: ['DELETE without WHERE'] }
 */
export function highestRisk(statements: readonly StatementAnalysis[]): { risk: Risk; reasons: string[] } {
  let risk: Risk = 'low';
  const reasons: string[] = [];
  for (const s of statements) {
    if (RANK[s.risk] > RANK[risk]) risk = s.risk;
    if (riskAtLeast(s.risk, 'high')) reasons.push(...s.reasons);
  }
  return { risk, reasons };
}

/** True for what the analysis proves to be a read: read-only, and a query or a utility that reads. */
export function provenRead(kind: StatementKind, readOnly: boolean): boolean {
  return readOnly && (kind === 'select' || kind === 'utility');
}

/** The reason of every CALL: aishell sees the call, not what the procedure does. */
export const CALL_REASON =
  "CALL runs a procedure that aishell cannot see inside (under --read-only the server's READ ONLY transaction refuses its writes)";

/** What one analyzer found out about a statement, before the fingerprint is added. */
export interface StatementFacts {
  kind: StatementKind;
  readOnly: boolean;
  tablesRead: string[];
  tablesWritten: string[];
  risk: Risk;
  reasons: string[];
  volatile: boolean;
}

/** Gathers tables and findings while an analyzer walks a statement; `facts()` sums them up. */
export class FactCollector {
  kind: StatementKind = 'other';
  readonly #read = new Set<string>();
  readonly #written = new Set<string>();
  readonly #findings: { risk: Risk; reason: string }[] = [];
  #effect = false;
  #volatile = false;

  /** The result may differ from one run to the next without any write (now(), random(), ...). */
  markVolatile(): void {
    this.#volatile = true;
  }

  read(table: string): void {
    if (table !== '') this.#read.add(table);
  }

  write(table: string): void {
    if (table !== '') this.#written.add(table);
  }

  /** Records a finding; `effect` marks the statement as not read-only. */
  find(risk: Risk, reason: string, effect = true): void {
    if (effect) this.#effect = true;
    if (!this.#findings.some((f) => f.reason === reason)) this.#findings.push({ risk, reason });
  }

  /** Adds another collector's tables (and, unless `tablesOnly`, its findings) to this one. */
  merge(other: FactCollector, tablesOnly = false): void {
    for (const t of other.#read) this.read(t);
    if (tablesOnly) {
      for (const t of other.#written) this.read(t);
      return;
    }
    for (const t of other.#written) this.write(t);
    for (const f of other.#findings) this.find(f.risk, f.reason, false);
    if (other.#effect) this.#effect = true;
    if (other.#volatile) this.#volatile = true;
  }

  /**
   * Adds everything `other` found, each reason behind `prefix` (`PREPARE ... FROM: DELETE without WHERE`):
   * for a statement that runs, or will run, another one.
   */
  absorb(other: FactCollector, prefix: string): void {
    for (const t of other.#read) this.read(t);
    for (const t of other.#written) this.write(t);
    for (const f of other.#findings) this.find(f.risk, `${prefix}${f.reason}`, false);
    if (other.#effect) this.#effect = true;
    if (other.#volatile) this.#volatile = true;
  }

  /**
   * One collector for several statements that travel as one (a MySQL executable comment that holds
   * several): every table and finding, and the kind of the worst of them, where a statement that is
   * not a proven read counts as worse than one that is, so that the sum never looks safer than a part.
   */
  static worst(parts: readonly FactCollector[]): FactCollector {
    const [only] = parts;
    if (parts.length === 1 && only !== undefined) return only;
    const out = new FactCollector();
    let worst: FactCollector | undefined;
    const weight = (f: FactCollector): number => RANK[f.risk] * 2 + (provenRead(f.kind, !f.#effect) ? 0 : 1);
    for (const part of parts) {
      out.merge(part);
      if (worst === undefined || weight(part) > weight(worst)) worst = part;
    }
    out.kind = worst?.kind ?? 'other';
    return out;
  }

  get hasEffect(): boolean {
    return this.#effect;
  }

  /** The highest risk found so far. */
  get risk(): Risk {
    let risk: Risk = 'low';
    for (const f of this.#findings) if (RANK[f.risk] > RANK[risk]) risk = f.risk;
    return risk;
  }

  facts(): StatementFacts {
    const risk = this.risk;
    const reasons = [...this.#findings].sort((a, b) => RANK[b.risk] - RANK[a.risk]).map((f) => f.reason);
    return {
      kind: this.kind,
      readOnly: !this.#effect,
      tablesRead: [...this.#read],
      tablesWritten: [...this.#written],
      risk,
      reasons,
      volatile: this.#volatile,
    };
  }
}

/** Functions whose call has an effect (PostgreSQL); the value is the risk of calling them. */
export const POSTGRES_EFFECT_FUNCTIONS: ReadonlyMap<string, Risk> = new Map<string, Risk>([
  ['pg_terminate_backend', 'high'],
  ['pg_cancel_backend', 'high'],
  ['pg_reload_conf', 'high'],
  ['pg_promote', 'high'],
  ['pg_rotate_logfile', 'medium'],
  ['pg_switch_wal', 'medium'],
  ['pg_drop_replication_slot', 'high'],
  ['pg_create_physical_replication_slot', 'medium'],
  ['pg_create_logical_replication_slot', 'medium'],
  ['pg_logical_slot_get_changes', 'medium'],
  ['pg_replication_origin_create', 'medium'],
  ['pg_replication_origin_drop', 'high'],
  ['pg_create_restore_point', 'medium'],
  ['pg_backup_start', 'medium'],
  ['pg_backup_stop', 'medium'],
  ['pg_start_backup', 'medium'],
  ['pg_stop_backup', 'medium'],
  ['pg_file_write', 'high'],
  ['pg_file_unlink', 'high'],
  ['pg_file_rename', 'high'],
  ['pg_stat_reset', 'medium'],
  ['pg_stat_reset_shared', 'medium'],
  ['pg_stat_reset_single_table_counters', 'medium'],
  ['pg_stat_statements_reset', 'medium'],
  ['nextval', 'medium'],
  ['setval', 'medium'],
  ['set_config', 'medium'],
  ['setseed', 'low'],
  ['pg_notify', 'low'],
  ['txid_current', 'low'],
  ['pg_current_xact_id', 'low'],
  ['pg_advisory_lock', 'low'],
  ['pg_advisory_lock_shared', 'low'],
  ['pg_advisory_xact_lock', 'low'],
  ['pg_advisory_xact_lock_shared', 'low'],
  ['pg_try_advisory_lock', 'low'],
  ['pg_try_advisory_lock_shared', 'low'],
  ['pg_try_advisory_xact_lock', 'low'],
  ['pg_try_advisory_xact_lock_shared', 'low'],
  ['pg_advisory_unlock', 'low'],
  ['pg_advisory_unlock_shared', 'low'],
  ['pg_advisory_unlock_all', 'low'],
]);

/** Prefixes of PostgreSQL function families that all have effects (large objects, dblink). */
export const POSTGRES_EFFECT_PREFIXES: readonly (readonly [string, Risk])[] = [
  ['lo_', 'medium'],
  ['dblink', 'high'],
];

/** Functions whose call has an effect (MySQL/MariaDB). */
export const MYSQL_EFFECT_FUNCTIONS: ReadonlyMap<string, Risk> = new Map<string, Risk>([
  ['get_lock', 'low'],
  ['release_lock', 'low'],
  ['release_all_locks', 'low'],
  ['nextval', 'medium'],
  ['setval', 'medium'],
  ['lastval', 'low'],
]);

/** Functions whose call has an effect (SQLite). */
export const SQLITE_EFFECT_FUNCTIONS: ReadonlyMap<string, Risk> = new Map<string, Risk>([
  ['load_extension', 'high'],
  ['writefile', 'high'],
  ['edit', 'medium'],
]);

/** The risk of calling `name` in `dialect`'s function table, if it has an effect. */
export function effectFunctionRisk(
  name: string,
  table: ReadonlyMap<string, Risk>,
  prefixes: readonly (readonly [string, Risk])[] = [],
): Risk | undefined {
  const lower = name.toLowerCase();
  const exact = table.get(lower);
  if (exact !== undefined) return exact;
  for (const [prefix, risk] of prefixes) if (lower.startsWith(prefix)) return risk;
  return undefined;
}

/** Compares two constants the way SQL would; undefined where the answer is not certain. */
export function compare(
  op: string,
  l: string | number | boolean,
  r: string | number | boolean,
): boolean | undefined {
  if (typeof l !== typeof r) {
    if (typeof l === 'string' && typeof r === 'number' && l.trim() !== '' && !Number.isNaN(Number(l)))
      return compare(op, Number(l), r);
    if (typeof r === 'string' && typeof l === 'number' && r.trim() !== '' && !Number.isNaN(Number(r)))
      return compare(op, l, Number(r));
    return undefined;
  }
  switch (op) {
    case '=':
    case '==':
      return l === r;
    case '<>':
    case '!=':
      return l !== r;
    case '<':
      return l < r;
    case '>':
      return l > r;
    case '<=':
      return l <= r;
    case '>=':
      return l >= r;
  }
  return undefined;
}
