// dexter's method on one PostgreSQL session: EXPLAIN each statement, create every candidate as a HypoPG
// hypothetical index (one-column ones first, then two-column orders), EXPLAIN again, and keep what the
// planner uses when it cuts the cost enough. Everything runs in one READ ONLY transaction (a real
// index could not even be built in it); the hypothetical indexes are removed with hypopg_reset()
// before it ends, whatever happens.
import { loadParser, parsePostgres } from '@aishell/sql';
import { throwIfAborted } from './errors.js';
import { chooseIndexName, qualifiedName, quoteIdentifier } from './identifiers.js';
import {
  type Candidate,
  candidate,
  statementCandidates,
  type UsedColumn,
  usedColumns,
} from './index-candidates.js';
import { planCandidates, unprovenAdvice } from './plan-candidates.js';
import {
  type PostgresFacts,
  postgresFacts,
  postgresNamesTaken,
  postgresTables,
  relationKey,
  TAG,
  type WorkloadStatement,
  workload,
} from './postgres-catalog.js';
import { explainPostgres, type PlanCost } from './postgres-explain.js';
import { num } from './row-values.js';
import { inSavepoint } from './savepoint.js';
import { type StatementShape, statementShape } from './statement-shape.js';
import type {
  AdviceReport,
  AdviseRun,
  IndexAdvice,
  StatementAdvice,
  StatementCost,
  StatementStatus,
} from './types.js';

/** Options with their defaults applied. */
export interface ResolvedOptions {
  readonly statements: readonly string[] | undefined;
  readonly top: number;
  readonly minCalls: number;
  readonly minMeanMs: number;
  readonly minCost: number;
  readonly minSavings: number;
  readonly signal: AbortSignal | undefined;
}

/** One statement on its way through. */
interface Work {
  readonly sql: string;
  readonly stats: WorkloadStatement | undefined;
  shape: StatementShape | null;
  used: UsedColumn[];
  base: PlanCost | null;
  /** Costs with every one-column candidate, then with the two-column ones too. */
  pass1: PlanCost | null;
  pass2: PlanCost | null;
  status: StatementStatus | null;
  reason: string;
  /** The candidate chosen for it, and the cost it must stay at or below with it alone. */
  chosen: Candidate | null;
  bar: number;
  /** Chosen by the two-column rule (half again against the best one-column index). */
  pair: boolean;
  costAfter: number | null;
}

/** A hypothetical index that exists now. */
interface Hypothetical {
  readonly candidate: Candidate;
  readonly name: string;
  readonly oid: number;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'failed';
}

/** The text without a trailing `;` (PREPARE and EXPLAIN take one statement). */
function bare(sql: string): string {
  return sql.trim().replace(/;\s*$/, '');
}

class HypotheticalIndexes {
  readonly #run: AdviseRun;
  readonly #fn: (name: string) => string;
  readonly byName = new Map<string, Hypothetical>();

  constructor(run: AdviseRun, schema: string) {
    this.#run = run;
    this.#fn = (name) => `${quoteIdentifier(schema, 'postgres')}.${name}`;
  }

  /** Creates it; null when HypoPG refuses it (the reason is the candidate's loss, not the run's). */
  async create(c: Candidate): Promise<Hypothetical | null> {
    const cols = c.columns.map((col) => quoteIdentifier(col, 'postgres')).join(', ');
    const ddl = `CREATE INDEX ON ${qualifiedName(c.table.schema, c.table.name, 'postgres')} USING btree (${cols})`;
    try {
      const { rows } = await inSavepoint(this.#run, () =>
        this.#run(`${TAG} SELECT indexrelid, indexname FROM ${this.#fn('hypopg_create_index')}($1)`, [ddl]),
      );
      const row = rows[0];
      if (!row) return null;
      const h = { candidate: c, name: String(row.indexname), oid: num(row.indexrelid) ?? 0 };
      this.byName.set(h.name, h);
      return h;
    } catch {
      return null;
    }
  }

  async size(h: Hypothetical): Promise<number | null> {
    const { rows } = await this.#run(`${TAG} SELECT ${this.#fn('hypopg_relation_size')}($1::oid) AS size`, [
      h.oid,
    ]);
    return num(rows[0]?.size);
  }

  /** The hypothetical indexes a plan uses. */
  usedBy(plan: PlanCost): Hypothetical[] {
    return [...plan.indexes].flatMap((name) => this.byName.get(name) ?? []);
  }

  async reset(): Promise<void> {
    await this.#run(`${TAG} SELECT ${this.#fn('hypopg_reset')}()`);
    this.byName.clear();
  }
}

/** The advice on PostgreSQL (see `adviseIndexes`). */
export async function advisePostgres(run: AdviseRun, o: ResolvedOptions): Promise<AdviceReport> {
  await loadParser('postgres');
  throwIfAborted(o.signal);
  const facts = await postgresFacts(run);
  const notes: string[] = [];
  const source = o.statements ? 'statements' : 'pg_stat_statements';
  let inputs: { sql: string; stats?: WorkloadStatement }[];
  if (o.statements) inputs = o.statements.map((sql) => ({ sql }));
  else {
    // More than `top`: the statements that name no user table (catalog queries) are dropped below.
    inputs = (await workload(run, facts, { ...o, limit: o.top + 50 })).map((stats) => ({
      sql: stats.sql,
      stats,
    }));
    if (inputs.length === 0)
      notes.push(
        `pg_stat_statements holds no statement of this database with at least ${o.minCalls} calls and a mean of ${o.minMeanMs} ms`,
      );
  }
  const work: Work[] = inputs.map((i) => ({
    sql: i.sql,
    stats: i.stats,
    shape: null,
    used: [],
    base: null,
    pass1: null,
    pass2: null,
    status: null,
    reason: '',
    chosen: null,
    bar: 0,
    pair: false,
    costAfter: null,
  }));
  for (const w of work) readShape(w);
  const tables = await postgresTables(
    run,
    work.flatMap((w) => w.shape?.relations ?? []),
  );
  for (const w of work) {
    if (w.status !== null || !w.shape) continue;
    const tableOf = (r: Parameters<typeof relationKey>[0]) => tables.get(relationKey(r));
    if (!w.shape.relations.some((r) => tableOf(r) !== undefined)) {
      w.status = 'skipped';
      w.reason = 'it names no user table';
      continue;
    }
    w.used = usedColumns(w.shape, tableOf, 'exact');
  }
  let active = work;
  if (!o.statements) {
    // The workload's top N among the statements that name a user table.
    active = work.filter((w) => w.status === null).slice(0, o.top);
  }

  const hypo = facts.hypopgSchema !== null ? new HypotheticalIndexes(run, facts.hypopgSchema) : null;
  await run('BEGIN READ ONLY');
  try {
    // Generic plans for PREPARE/EXECUTE; never wait long for a lock a migration holds.
    await run("SET LOCAL plan_cache_mode = 'force_generic_plan'");
    await run("SET LOCAL lock_timeout = '5s'");
    await run("SET LOCAL statement_timeout = '60s'");
    for (const w of active) {
      if (w.status !== null || !w.shape) continue;
      throwIfAborted(o.signal);
      try {
        w.base = await explainPostgres(run, bare(w.sql), {
          parameters: w.shape.parameters,
          versionNum: facts.versionNum,
        });
      } catch (error) {
        w.status = 'skipped';
        w.reason = `EXPLAIN failed: ${firstLine(error)}`;
        continue;
      }
      if (w.base.cost < o.minCost) {
        w.status = 'cheap';
        w.reason = `its cost ${round(w.base.cost)} is below ${o.minCost}: an index cannot win much`;
      }
    }
    const live = active.filter((w) => w.status === null);
    let indexes: IndexAdvice[];
    if (hypo === null) {
      notes.push(`not proven: ${facts.hypopg.hint}`);
      indexes = unprovenAdvice(
        live.flatMap((w) => {
          const found = planCandidates(w.base?.plan ?? null, w.used, 'exact');
          w.status = found.length > 0 ? 'unproven' : 'no-gain';
          w.reason =
            found.length > 0
              ? `its plan reads ${found.map((f) => f.table.name).join(', ')} without an index on the columns it filters or sorts on (not proven: HypoPG is ${facts.hypopg.state === 'not-created' ? 'not created in this database' : 'not installed'})`
              : 'its plan shows no scan an index on one of its columns would obviously replace';
          return found.map((f) => ({ ...f, statement: w.sql, costBefore: w.base?.cost ?? null }));
        }),
        'postgres',
        await postgresNamesTaken(
          run,
          [...tables.values()].map((t) => t.schema ?? 'public'),
        ),
        `not proven: ${facts.hypopg.hint}`,
      );
    } else {
      indexes = await prove(run, hypo, live, o, facts);
    }
    const report: AdviceReport = {
      dialect: 'postgres',
      source,
      proven: hypo !== null,
      hypopg: facts.hypopg,
      indexes,
      statements: (o.statements ? work : active).map((w) => statementAdvice(w, indexes)),
      notes,
    };
    await end(run, hypo);
    return report;
  } catch (error) {
    // The first error is the one to report; a lost connection takes the hypothetical indexes with it.
    await end(run, hypo).catch(() => {});
    throw error;
  }
}

/** Removes the hypothetical indexes and ends the read-only transaction. */
async function end(run: AdviseRun, hypo: HypotheticalIndexes | null): Promise<void> {
  if (hypo !== null) await hypo.reset();
  await run('ROLLBACK');
}

function readShape(w: Work): void {
  let tree: ReturnType<typeof parsePostgres>;
  try {
    tree = parsePostgres(w.sql);
  } catch (error) {
    w.status = 'skipped';
    w.reason = `it does not parse: ${firstLine(error)}`;
    return;
  }
  if (tree.stmts.length !== 1) {
    w.status = 'skipped';
    w.reason = `advise takes one statement at a time (this text holds ${tree.stmts.length})`;
    return;
  }
  w.shape = statementShape(tree.stmts[0]?.stmt);
  if (!w.shape) {
    w.status = 'skipped';
    w.reason = 'only SELECT, INSERT, UPDATE and DELETE can use an index';
  }
}

const round = (n: number): number => Math.round(n * 100) / 100;

async function prove(
  run: AdviseRun,
  hypo: HypotheticalIndexes,
  live: Work[],
  o: ResolvedOptions,
  facts: PostgresFacts,
): Promise<IndexAdvice[]> {
  const keep = 1 - o.minSavings;
  const explain = (w: Work) =>
    explainPostgres(run, bare(w.sql), {
      parameters: w.shape?.parameters ?? false,
      versionNum: facts.versionNum,
    });
  const singles = new Map<string, Candidate>();
  const pairs = new Map<string, Candidate>();
  for (const w of live) {
    const c = statementCandidates(w.used, 'exact');
    for (const s of c.singles) singles.set(s.key, s);
    for (const p of c.pairs) pairs.set(p.key, p);
    if (c.singles.length === 0 && c.pairs.length === 0) {
      w.status = 'no-gain';
      w.reason =
        w.used.length === 0
          ? 'it filters, joins, sorts and groups on no column of its tables'
          : w.used.every((u) => !u.column.btree)
            ? 'the columns it uses are of types a btree index cannot serve'
            : 'existing indexes already lead with every column it uses';
    }
  }
  const trying = live.filter((w) => w.status === null);
  if (trying.length === 0) return [];

  // Pass 1 and 2, as dexter: all one-column candidates at once, then the two-column orders added.
  for (const c of singles.values()) await hypo.create(c);
  for (const w of trying) {
    throwIfAborted(o.signal);
    w.pass1 = await explain(w).catch(() => null);
  }
  for (const c of pairs.values()) await hypo.create(c);
  for (const w of trying) {
    throwIfAborted(o.signal);
    w.pass2 = await explain(w).catch(() => null);
  }

  const alone = async (c: Candidate, ws: readonly Work[]): Promise<Map<Work, PlanCost | null>> => {
    await hypo.reset();
    const h = await hypo.create(c);
    const out = new Map<Work, PlanCost | null>();
    for (const w of ws) {
      throwIfAborted(o.signal);
      const plan = h ? await explain(w).catch(() => null) : null;
      out.set(w, plan && hypo.usedBy(plan).length > 0 ? plan : null);
    }
    return out;
  };
  // The candidates the planner picked, each measured alone: the best one-column index, the best pair.
  const picked = new Map<Work, { singles: Candidate[]; pairs: Candidate[] }>();
  for (const w of trying) {
    if (!w.pass1 || !w.pass2) {
      w.status = 'skipped';
      w.reason = 'EXPLAIN failed with hypothetical indexes';
      continue;
    }
    const singles = hypo.usedBy(w.pass1).map((h) => h.candidate);
    const pairs = hypo
      .usedBy(w.pass2)
      .map((h) => h.candidate)
      .filter((c) => c.columns.length === 2);
    picked.set(w, { singles, pairs });
  }
  const bestAlone = async (
    w: Work,
    cs: readonly Candidate[],
  ): Promise<{ c: Candidate; cost: number } | null> => {
    let best: { c: Candidate; cost: number } | null = null;
    for (const c of cs) {
      const plan = (await alone(c, [w])).get(w);
      if (plan && (!best || plan.cost < best.cost)) best = { c, cost: plan.cost };
    }
    return best;
  };
  for (const [w, { singles, pairs }] of picked) {
    const cost0 = w.base?.cost ?? 0;
    const one = await bestAlone(w, singles);
    const two = await bestAlone(w, pairs);
    const oneCost = Math.min(cost0, one?.cost ?? cost0);
    // A pair must take half again off the best one-column index (and only where that still costs
    // more than minCost, as dexter: a cheap statement does not earn a wider index).
    if (two && oneCost > o.minCost && two.cost <= oneCost * keep && two.cost <= cost0 * keep) {
      w.chosen = two.c;
      w.costAfter = two.cost;
      w.bar = oneCost * keep;
      w.pair = true;
    } else if (one && one.cost <= cost0 * keep) {
      w.chosen = one.c;
      w.costAfter = one.cost;
      w.bar = cost0 * keep;
    } else {
      const best = Math.min(oneCost, two?.cost ?? cost0, w.pass1?.cost ?? cost0, w.pass2?.cost ?? cost0);
      w.status = 'no-gain';
      w.reason =
        singles.length === 0 && pairs.length === 0
          ? `the planner uses none of the hypothetical indexes on its columns (cost ${round(cost0)})`
          : `hypothetical indexes take its cost from ${round(cost0)} to ${round(best)} at best, not ${Math.round(o.minSavings * 100)} % less with one index`;
    }
  }

  // Across statements: one index for several. A one-column index goes when a chosen pair on the same
  // table that holds its column (in the order that leads with it) serves its statements as well.
  const byKey = new Map<string, { c: Candidate; ws: Work[] }>();
  for (const w of trying)
    if (w.chosen) {
      const entry = byKey.get(w.chosen.key) ?? { c: w.chosen, ws: [] };
      entry.ws.push(w);
      byKey.set(w.chosen.key, entry);
    }
  for (const [key, narrow] of [...byKey]) {
    const column = narrow.c.columns[0];
    if (narrow.c.columns.length !== 1 || column === undefined) continue;
    for (const [wideKey, wide] of [...byKey]) {
      if (
        wide.c.table.key !== narrow.c.table.key ||
        wide.c.columns.length !== 2 ||
        !wide.c.columns.includes(column)
      )
        continue;
      const other = wide.c.columns.find((c) => c !== column) as string;
      const merged = wide.c.columns[0] === column ? wide.c : candidate(wide.c.table, [column, other]);
      const ws = merged === wide.c ? narrow.ws : [...narrow.ws, ...wide.ws];
      const plans = await alone(merged, ws);
      if (!ws.every((w) => (plans.get(w)?.cost ?? Number.POSITIVE_INFINITY) <= w.bar)) continue;
      for (const w of [...narrow.ws, ...wide.ws]) w.chosen = merged;
      byKey.delete(key);
      byKey.delete(wideKey);
      byKey.set(merged.key, { c: merged, ws: [...wide.ws, ...narrow.ws] });
      break;
    }
  }

  // Each advised index alone: its size, and the cost of each statement it serves with it.
  const taken = await postgresNamesTaken(
    run,
    [...byKey.values()].map((e) => e.c.table.schema ?? 'public'),
  );
  const advice: IndexAdvice[] = [];
  for (const { c, ws } of byKey.values()) {
    throwIfAborted(o.signal);
    await hypo.reset();
    const h = await hypo.create(c);
    if (!h) continue;
    const sizeBytes = await hypo.size(h);
    const costs: StatementCost[] = [];
    const served: Work[] = [];
    for (const w of ws) {
      const plan = await explain(w).catch(() => null);
      const cost0 = w.base?.cost ?? 0;
      if (plan && hypo.usedBy(plan).length > 0 && plan.cost <= w.bar) {
        w.costAfter = plan.cost;
        served.push(w);
        costs.push({ statement: w.sql, costBefore: round(cost0), costAfter: round(plan.cost) });
      } else {
        w.chosen = null;
        w.status = 'no-gain';
        w.reason = 'the index that helped it among the others does not cut its cost enough alone';
      }
    }
    if (served.length === 0) continue;
    for (const w of served) w.status = 'improved';
    const schema = c.table.schema ?? 'public';
    const name = chooseIndexName(
      c.table.name,
      c.columns,
      new Set([...taken].filter((t) => t.startsWith(`${schema}.`)).map((t) => t.slice(schema.length + 1))),
    );
    taken.add(`${schema}.${name}`);
    const before = costs.reduce((s, x) => s + (x.costBefore ?? 0), 0);
    const after = costs.reduce((s, x) => s + (x.costAfter ?? 0), 0);
    const cols = c.columns.map((col) => quoteIdentifier(col, 'postgres')).join(', ');
    advice.push({
      table: c.table.name,
      schema: c.table.schema,
      columns: c.columns,
      name,
      sql: `CREATE INDEX CONCURRENTLY ${quoteIdentifier(name, 'postgres')} ON ${qualifiedName(c.table.schema, c.table.name, 'postgres')} (${cols});`,
      costBefore: round(before),
      costAfter: round(after),
      proven: true,
      statements: served.map((w) => w.sql),
      statementCosts: costs,
      sizeBytes,
      reason: `a hypothetical index (HypoPG) takes the cost of ${served.length === 1 ? 'its statement' : `its ${served.length} statements`} from ${round(before)} to ${round(after)}${served.some((w) => w.pair) ? ', and its second column halves the cost again against the best one-column index' : ''}`,
    });
  }
  return advice.sort(
    (a, b) => (b.costBefore ?? 0) - (b.costAfter ?? 0) - ((a.costBefore ?? 0) - (a.costAfter ?? 0)),
  );
}

function statementAdvice(w: Work, indexes: readonly IndexAdvice[]): StatementAdvice {
  const serving = indexes.filter((i) => i.statements.includes(w.sql));
  const status: StatementStatus = w.status ?? 'no-gain';
  return {
    sql: w.sql,
    status,
    costBefore: w.base ? round(w.base.cost) : null,
    costAfter: status === 'improved' && w.costAfter !== null ? round(w.costAfter) : null,
    indexes: serving.map((i) => i.name),
    ...(w.stats
      ? { calls: w.stats.calls, totalMs: round(w.stats.totalMs), meanMs: round(w.stats.meanMs) }
      : {}),
    reason:
      status === 'improved'
        ? `${serving.map((i) => i.name).join(', ')} takes its cost from ${round(w.base?.cost ?? 0)} to ${round(w.costAfter ?? 0)}`
        : w.reason,
  };
}
