// The finding rules, as data: each takes a node and says whether (and how badly) it is worth a look.
// Thresholds are pev2's where pev2 has them (plan node colours: time and cost shares 10/40/90 %,
// estimate factor 10/100/1000, rows removed by filter 50/90 %, heap fetches 0/40/90 %); the others are
// aishell's own and marked so.
import { formatCost, formatCount, formatMs, formatShare, nodeLabel, quoteCondition } from './plan-format.js';
import type { Finding, FindingCode, FindingLevel, PlanDialect, PlanFormat, PlanNode } from './types.js';

/** A rule's levels: a figure above `crit` is crit, above `warn` warn, above `info` info. */
export interface LevelThresholds {
  info?: number;
  warn?: number;
  crit?: number;
}

/** Thresholds of the finding rules. Every comparison is "above". */
export interface PlanThresholds {
  /** SLOW_NODE: a node's exclusive time over the execution time (0..1). @default { info: 0.1, warn: 0.4, crit: 0.9 } (pev2) */
  slowNodeShare: LevelThresholds;
  /** COSTLY_NODE: a node's exclusive cost over the plan's total cost (0..1). @default { info: 0.1, warn: 0.4, crit: 0.9 } (pev2) */
  costlyNodeShare: LevelThresholds;
  /** MISESTIMATE: actual over estimated rows, either way. @default { info: 10, warn: 100, crit: 1000 } (pev2) */
  misestimateFactor: LevelThresholds;
  /** FILTER_REMOVES_ROWS: rows a filter removes over the rows it reads (0..1). @default { warn: 0.5, crit: 0.9 } (pev2) */
  filterRemovedShare: LevelThresholds;
  /** FILTER_REMOVES_ROWS and HEAP_FETCHES: nodes that read fewer rows (all loops) are not reported. @default 1000 (aishell) */
  minRows: number;
  /** HEAP_FETCHES: heap fetches over the rows an index-only scan read (0..1). @default { info: 0, warn: 0.4, crit: 0.9 } (pev2) */
  heapFetchShare: LevelThresholds;
  /** SEQ_SCAN_LARGE: rows a sequential scan reads (all loops): warn above. @default 10000 (aishell) */
  seqScanRows: number;
  /** SEQ_SCAN_LARGE: crit above this many rows read. @default 1000000 (aishell) */
  seqScanCritRows: number;
  /** SEQ_SCAN_LARGE: the filter keeps at most this share of the rows read (0..1). @default 0.1 (aishell) */
  seqScanKeptShare: number;
  /** NESTED_LOOP_MANY: times a nested loop runs its inner side. @default { warn: 10000, crit: 100000 } (aishell) */
  nestedLoopRows: LevelThresholds;
  /** HASH_BATCHES: hash batches above this. @default 1 */
  hashBatches: number;
}

/** The default thresholds. */
export const PLAN_THRESHOLDS: Readonly<PlanThresholds> = Object.freeze({
  slowNodeShare: { info: 0.1, warn: 0.4, crit: 0.9 },
  costlyNodeShare: { info: 0.1, warn: 0.4, crit: 0.9 },
  misestimateFactor: { info: 10, warn: 100, crit: 1000 },
  filterRemovedShare: { warn: 0.5, crit: 0.9 },
  minRows: 1000,
  heapFetchShare: { info: 0, warn: 0.4, crit: 0.9 },
  seqScanRows: 10_000,
  seqScanCritRows: 1_000_000,
  seqScanKeptShare: 0.1,
  nestedLoopRows: { warn: 10_000, crit: 100_000 },
  hashBatches: 1,
});

export function resolveThresholds(given: Partial<PlanThresholds> | undefined): PlanThresholds {
  const out = { ...PLAN_THRESHOLDS };
  for (const [k, v] of Object.entries(given ?? {})) if (v !== undefined) Object.assign(out, { [k]: v });
  return out;
}

/** What the rules know about the whole plan. */
export interface PlanContext {
  dialect: PlanDialect;
  format: PlanFormat;
  analyzed: boolean;
  timed: boolean;
  totalMs: number | null;
  totalCost: number | null;
  thresholds: PlanThresholds;
  /** Nodes under a Limit: they stop early, so fewer rows than estimated is no misestimate. */
  limited: ReadonlySet<PlanNode>;
}

interface Verdict {
  level: FindingLevel;
  value: number;
  message: string;
}

interface FindingRule {
  code: FindingCode;
  /** What the rule looks for, in a sentence (README, docs). */
  description: string;
  check(node: PlanNode, ctx: PlanContext): Verdict | null;
}

function levelOf(value: number, t: LevelThresholds): FindingLevel | null {
  if (t.crit !== undefined && value > t.crit) return 'crit';
  if (t.warn !== undefined && value > t.warn) return 'warn';
  if (t.info !== undefined && value > t.info) return 'info';
  return null;
}

function verdict(value: number, t: LevelThresholds, message: () => string): Verdict | null {
  const level = levelOf(value, t);
  return level ? { level, value, message: message() } : null;
}

const SEQ_SCANS: Record<PlanDialect, ReadonlySet<string>> = {
  postgres: new Set(['Seq Scan']),
  mysql: new Set(['ALL']),
  sqlite: new Set(),
};

/** Children that are the node's input (not InitPlans or SubPlans). */
function inputs(node: PlanNode): PlanNode[] {
  return node.children.filter(
    (c) => c.parentRelationship !== 'InitPlan' && c.parentRelationship !== 'SubPlan',
  );
}

function removedBy(node: PlanNode): { removed: number; what: string; condition: string } | null {
  if (node.rowsRemovedByFilter !== undefined)
    return { removed: node.rowsRemovedByFilter, what: 'filter', condition: node.filter ?? '' };
  if (node.rowsRemovedByJoinFilter !== undefined)
    return { removed: node.rowsRemovedByJoinFilter, what: 'join filter', condition: node.joinFilter ?? '' };
  if (node.rowsRemovedByIndexRecheck !== undefined)
    return {
      removed: node.rowsRemovedByIndexRecheck,
      what: 'index recheck',
      condition: node.recheckCond ?? '',
    };
  return null;
}

const perLoop = (node: PlanNode): string => ((node.loops ?? 1) > 1 ? ' per loop' : '');

/** The rules, in the order their findings are listed for one node. */
export const FINDING_RULES: readonly FindingRule[] = [
  {
    code: 'SLOW_NODE',
    description: "a node's own time is a large share of the execution time",
    check: (node, ctx) =>
      node.timeShare === null || !ctx.totalMs
        ? null
        : verdict(
            node.timeShare,
            ctx.thresholds.slowNodeShare,
            () =>
              `${nodeLabel(node)} takes ${formatShare(node.timeShare ?? 0)} of the execution time (${formatMs(node.exclusiveMs ?? 0)} of ${formatMs(ctx.totalMs ?? 0)})`,
          ),
  },
  {
    code: 'COSTLY_NODE',
    description: "a node's own cost is a large share of the plan's cost",
    check: (node, ctx) =>
      node.costShare === null || !ctx.totalCost
        ? null
        : verdict(
            node.costShare,
            ctx.thresholds.costlyNodeShare,
            () =>
              `${nodeLabel(node)} is ${formatShare(node.costShare ?? 0)} of the plan's estimated cost (${formatCost(node.exclusiveCost ?? 0)} of ${formatCost(ctx.totalCost ?? 0)})`,
          ),
  },
  {
    code: 'MISESTIMATE',
    description: 'the planner expected far more or far fewer rows than the node produced',
    check: (node, ctx) => {
      if (node.estimateFactor === null || node.actualRows === null || node.estimatedRows === null)
        return null;
      // Under a Limit a node stops early: fewer rows than its estimate for a full run is expected.
      if (node.estimateDirection === 'over' && ctx.limited.has(node)) return null;
      const v = verdict(
        node.estimateFactor,
        ctx.thresholds.misestimateFactor,
        () =>
          `${nodeLabel(node)}: the planner expected ${formatCount(node.estimatedRows ?? 0)} rows${perLoop(node)} and got ${formatCount(node.actualRows ?? 0)} (${node.estimateDirection === 'under' ? 'under' : 'over'}estimated ${formatCount(Math.round(node.estimateFactor ?? 1))}x)`,
      );
      if (!v) return null;
      // A node that passes its one input's rows on (Hash, Materialize, Sort) repeats the input's error.
      const only = inputs(node);
      const [input] = only;
      const repeats =
        only.length === 1 &&
        input !== undefined &&
        input.actualRows === node.actualRows &&
        input.estimatedRows === node.estimatedRows &&
        input.loops === node.loops;
      return repeats ? null : v;
    },
  },
  {
    code: 'FILTER_REMOVES_ROWS',
    description: 'a filter throws away most of the rows the node reads',
    check: (node, ctx) => {
      const r = removedBy(node);
      if (!r || node.actualRows === null) return null;
      const loops = node.loops ?? 1;
      const read = (r.removed + node.actualRows) * loops;
      if (read <= 0 || read < ctx.thresholds.minRows) return null;
      const share = r.removed / (r.removed + node.actualRows);
      return verdict(
        share,
        ctx.thresholds.filterRemovedShare,
        () =>
          `${nodeLabel(node)}: the ${r.what}${r.condition ? ` ${quoteCondition(r.condition)}` : ''} removes ${formatShare(share)} of the rows it reads (${formatCount(Math.round(r.removed * loops))} of ${formatCount(Math.round(read))})`,
      );
    },
  },
  {
    code: 'DISK_SORT',
    description: 'a sort did not fit in memory and went to disk',
    check: (node, ctx) => {
      const external = node.sortSpaceType === 'Disk' || /external/i.test(node.sortMethod ?? '');
      if (!external) return null;
      const kb = node.sortSpaceUsedKb;
      const setting = ctx.dialect === 'mysql' ? 'sort_buffer_size' : 'work_mem';
      return {
        level: 'warn',
        value: kb ?? 0,
        message: `${nodeLabel(node)} sorted on disk${node.sortMethod ? ` (${node.sortMethod}${kb !== undefined ? `, ${formatCount(kb)} kB` : ''})` : ''}: more ${setting} would keep it in memory`,
      };
    },
  },
  {
    code: 'HASH_BATCHES',
    description: 'a hash table did not fit in memory and was split into batches',
    check: (node, ctx) => {
      const batches = node.hashBatches ?? node.aggregateBatches;
      if (batches === undefined || batches <= ctx.thresholds.hashBatches) return null;
      const memory =
        node.peakMemoryKb === undefined ? '' : `, ${formatCount(node.peakMemoryKb)} kB in memory`;
      return {
        level: 'warn',
        value: batches,
        message: `${nodeLabel(node)} split its hash table into ${formatCount(batches)} batches${memory}: more work_mem (times hash_mem_multiplier) would keep it in one`,
      };
    },
  },
  {
    code: 'SEQ_SCAN_LARGE',
    description: 'a sequential scan reads a large table to keep few of its rows',
    check: (node, ctx) => {
      if (!SEQ_SCANS[ctx.dialect].has(node.nodeType) || node.filter === undefined || node.actualRows === null)
        return null;
      const loops = node.loops ?? 1;
      const removed = node.rowsRemovedByFilter ?? 0;
      const read = (node.actualRows + removed) * loops;
      const kept = node.actualRows * loops;
      const keptShare = read > 0 ? kept / read : 1;
      const t = ctx.thresholds;
      if (read <= t.seqScanRows || keptShare > t.seqScanKeptShare) return null;
      return {
        level: read > t.seqScanCritRows ? 'crit' : 'warn',
        value: read,
        message: `${nodeLabel(node)} reads ${formatCount(Math.round(read))} rows to keep ${formatCount(Math.round(kept))} (${formatShare(keptShare)}): an index on the filter's columns could find them directly`,
      };
    },
  },
  {
    code: 'NESTED_LOOP_MANY',
    description: 'a nested loop runs its inner side many times',
    check: (node, ctx) => {
      if (!/^nested[ _]loop/i.test(node.nodeType)) return null;
      const [outer, ...inner] = inputs(node);
      if (!outer || inner.length === 0) return null;
      const runs = ctx.analyzed
        ? Math.max(...inner.map((c) => c.loops ?? 0))
        : ctx.dialect === 'postgres'
          ? (outer.estimatedRows ?? 0)
          : 0;
      const innermost = inner.reduce((a, b) => ((b.loops ?? 0) > (a.loops ?? 0) ? b : a));
      return verdict(
        runs,
        ctx.thresholds.nestedLoopRows,
        () =>
          `${nodeLabel(node)} runs its inner side (${nodeLabel(innermost)}) ${formatCount(Math.round(runs))} times${ctx.analyzed ? '' : ' (estimated)'}: a hash or merge join, or fewer outer rows, may do better`,
      );
    },
  },
  {
    code: 'HEAP_FETCHES',
    description: 'an index-only scan had to visit the table for many rows',
    check: (node, ctx) => {
      if (node.nodeType !== 'Index Only Scan' || !node.heapFetches || node.actualRows === null) return null;
      const rows = (node.actualRows + (node.rowsRemovedByFilter ?? 0)) * (node.loops ?? 1);
      if (rows < ctx.thresholds.minRows) return null;
      const share = Math.min(1, node.heapFetches / Math.max(rows, 1));
      return verdict(
        share,
        ctx.thresholds.heapFetchShare,
        () =>
          `${nodeLabel(node)} fetched ${formatCount(node.heapFetches ?? 0)} of ${formatCount(Math.round(rows))} rows from the table (${formatShare(share)}): its visibility map is behind; VACUUM${node.relation ? ` ${node.relation}` : ''} lets the scan skip the table`,
      );
    },
  },
  {
    code: 'WORKERS_NOT_LAUNCHED',
    description: 'fewer parallel workers were launched than planned',
    check: (node) => {
      const planned = node.workersPlanned;
      const launched = node.workersLaunched;
      if (planned === undefined || launched === undefined || launched >= planned) return null;
      return {
        level: launched === 0 ? 'crit' : 'warn',
        value: planned - launched,
        message: `${nodeLabel(node)} planned ${planned} workers and launched ${launched}: the server ran out of parallel workers (max_parallel_workers, max_worker_processes)`,
      };
    },
  },
];

/** Every finding code, in the order of FINDING_RULES. */
export const FINDING_CODES: readonly FindingCode[] = FINDING_RULES.map((r) => r.code);

const LEVEL_ORDER: Record<FindingLevel, number> = { crit: 0, warn: 1, info: 2 };

/** Every rule over every node: the most severe first, then in plan order. */
export function findPlanProblems(nodes: readonly PlanNode[], ctx: PlanContext): Finding[] {
  const found: Finding[] = [];
  for (const node of nodes) {
    for (const rule of FINDING_RULES) {
      const v = rule.check(node, ctx);
      if (v)
        found.push({ code: rule.code, node: node.id, level: v.level, message: v.message, value: v.value });
    }
  }
  return found
    .map((f, i) => ({ f, i }))
    .sort((a, b) => LEVEL_ORDER[a.f.level] - LEVEL_ORDER[b.f.level] || a.i - b.i)
    .map(({ f }) => f);
}
