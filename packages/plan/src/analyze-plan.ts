import { findPlanProblems, type PlanThresholds, resolveThresholds } from './findings.js';
import { summarize } from './summary.js';
import type { AnalyzedPlan, ParsedNode, ParsedPlan, PlanNode } from './types.js';

/** Options of analyzePlan. */
export interface AnalyzePlanOptions {
  /** Thresholds of the finding rules; each one given replaces the default (PLAN_THRESHOLDS). */
  thresholds?: Partial<PlanThresholds>;
}

const GATHERS = new Set(['Gather', 'Gather Merge']);

function isSubplan(node: ParsedNode): boolean {
  return node.parentRelationship === 'InitPlan' || node.parentRelationship === 'SubPlan';
}

const SCALE = [1, 10, 100, 1000, 10000];
const round = (n: number, digits: 2 | 3 | 4): number =>
  Math.round(n * (SCALE[digits] ?? 1)) / (SCALE[digits] ?? 1);

/** The node tree with ids, the Gather's workers passed down, and inclusive times. */
function build(p: ParsedNode, id: string, workers: number | undefined, out: PlanNode[]): PlanNode {
  const children = p.children;
  const node: PlanNode = {
    id,
    nodeType: p.nodeType,
    relation: p.relation,
    index: p.index,
    startupCost: p.startupCost,
    totalCost: p.totalCost,
    estimatedRows: p.estimatedRows,
    actualRows: p.actualRows,
    loops: p.loops,
    actualStartupMs: p.actualStartupMs,
    actualTotalMs: p.actualTotalMs,
    buffers: p.buffers,
    inclusiveMs: null,
    exclusiveMs: null,
    timeShare: null,
    exclusiveCost: null,
    costShare: null,
    estimateFactor: null,
    estimateDirection: null,
    properties: p.properties,
    children: [],
  };
  for (const key in p)
    if (!(key in node))
      (node as unknown as Record<string, unknown>)[key] = (p as unknown as Record<string, unknown>)[key];
  if (workers !== undefined) node.workers = workers;
  out.push(node);
  // Like pev2: the nodes under a Gather run in its workers and the leader (loops = workers + 1).
  const below = GATHERS.has(p.nodeType) ? (p.workersLaunched ?? p.workersPlanned ?? workers) : workers;
  for (let i = 0; i < children.length; i++) {
    const child = children[i] as ParsedNode;
    node.children.push(build(child, `${id}.${i}`, isSubplan(child) ? undefined : below, out));
  }
  if (p.actualTotalMs !== null && p.loops !== null)
    node.inclusiveMs = (p.actualTotalMs * p.loops) / ((workers ?? 0) + 1);
  else if (p.loops === 0) node.inclusiveMs = 0;
  else if (node.children.some((c) => c.inclusiveMs !== null))
    // MySQL's operations without a time of their own (nested_loop): their children's time.
    node.inclusiveMs = node.children.reduce((s, c) => s + (isSubplan(c) ? 0 : (c.inclusiveMs ?? 0)), 0);
  return node;
}

const CONDITION_FIELDS = [
  'filter',
  'joinFilter',
  'indexCond',
  'recheckCond',
  'hashCond',
  'mergeCond',
] as const;

function mentions(node: PlanNode, pattern: RegExp): boolean {
  for (const f of CONDITION_FIELDS) {
    const v = node[f];
    if (v !== undefined && pattern.test(v)) return true;
  }
  for (const v of Object.values(node.properties)) {
    if (typeof v === 'string' && pattern.test(v)) return true;
    if (Array.isArray(v) && v.some((s) => typeof s === 'string' && pattern.test(s))) return true;
  }
  return false;
}

/** The first node, from `from` down (outside InitPlans), whose conditions use the InitPlan's result. */
function userOf(from: PlanNode, pattern: RegExp): PlanNode | null {
  const stack = [from];
  while (stack.length > 0) {
    const node = stack.pop() as PlanNode;
    if (mentions(node, pattern)) return node;
    for (let i = node.children.length - 1; i >= 0; i--) {
      const c = node.children[i] as PlanNode;
      if (c.parentRelationship !== 'InitPlan') stack.push(c);
    }
  }
  return null;
}

function initPlanPattern(name: string): RegExp | null {
  const params =
    /\(returns (.*)\)/
      .exec(name)?.[1]
      ?.split(',')
      .map((s) => s.trim().replace('$', '\\$')) ?? [];
  const number = /^InitPlan (\d+)/.exec(name)?.[1];
  const alternatives = [...params.map((p) => `${p}(?!\\d)`), ...(number ? [`\\(InitPlan ${number}\\)`] : [])];
  return alternatives.length ? new RegExp(alternatives.join('|')) : null;
}

/**
 * Exclusive time: inclusive time minus the children's. An InitPlan runs once, inside whichever node
 * first needs its value, so (as pev2 does) it is not taken from its parent but from the node whose
 * conditions use it; a Result's InitPlans are its own work. A CTE's time is then taken from its CTE
 * Scans in proportion to the time they have left (pev2 splits by their inclusive time, which counts
 * twice a CTE read inside an InitPlan that another scan of it waits for).
 */
function exclusiveTimes(nodes: PlanNode[]): void {
  const cteScans = new Map<string, PlanNode[]>();
  const ctes: { parent: PlanNode; cte: PlanNode }[] = [];
  for (const n of nodes) {
    if (n.nodeType === 'CTE Scan' && n.cteName !== undefined) {
      const list = cteScans.get(n.cteName) ?? [];
      list.push(n);
      cteScans.set(n.cteName, list);
    }
    if (n.inclusiveMs === null) continue;
    let own = n.inclusiveMs;
    for (const c of n.children)
      if (c.parentRelationship !== 'InitPlan' || n.nodeType === 'Result') own -= c.inclusiveMs ?? 0;
    n.exclusiveMs = own;
  }
  const charge = (target: PlanNode, ms: number): void => {
    if (target.exclusiveMs !== null) target.exclusiveMs -= ms;
  };
  for (const parent of nodes) {
    if (parent.nodeType === 'Result') continue;
    for (const c of parent.children) {
      if (c.parentRelationship !== 'InitPlan' || !c.inclusiveMs) continue;
      const name = c.subplanName ?? '';
      if (name.startsWith('CTE ')) {
        ctes.push({ parent, cte: c });
        continue;
      }
      const pattern = initPlanPattern(name);
      charge((pattern && userOf(parent, pattern)) || parent, c.inclusiveMs);
    }
  }
  for (const { parent, cte } of ctes) {
    const ms = cte.inclusiveMs ?? 0;
    const scans = cteScans.get((cte.subplanName ?? '').slice(4)) ?? [];
    const left = scans.reduce((s, n) => s + Math.max(0, n.exclusiveMs ?? 0), 0);
    const taken = Math.min(ms, left);
    if (left > 0) for (const s of scans) charge(s, (taken * Math.max(0, s.exclusiveMs ?? 0)) / left);
    if (ms > taken) charge(parent, ms - taken);
  }
  for (const n of nodes) if (n.exclusiveMs !== null && n.exclusiveMs < 0) n.exclusiveMs = 0;
}

/**
 * Figures, findings, suggestions and a summary of a parsed plan.
 *
 * @example analyzePlan(parsePlan(text)).findings // [{ code: 'SEQ_SCAN_LARGE', node: '0.0', ... }]
 */
export function analyzePlan(plan: ParsedPlan, options: AnalyzePlanOptions = {}): AnalyzedPlan {
  const thresholds = resolveThresholds(options.thresholds);
  const nodes: PlanNode[] = [];
  const root = build(plan.root, '0', undefined, nodes);
  exclusiveTimes(nodes);

  // A node's cost counts at most its parent's: under a Limit (or a join that stops early) the input's
  // total cost is for all of its rows, most of which are never produced.
  const effective = new Map<PlanNode, number>();
  const limited = new Set<PlanNode>();
  let totalCost: number | null = null;
  for (const n of nodes) {
    if (n.totalCost === null) continue;
    totalCost = Math.max(totalCost ?? 0, n.totalCost);
    for (const c of n.children) {
      if (c.totalCost === null) continue;
      const parent = effective.get(n) ?? n.totalCost;
      effective.set(c, Math.min(c.totalCost, parent));
      const input = c.parentRelationship !== 'InitPlan' && c.parentRelationship !== 'SubPlan';
      if (input && (n.nodeType === 'Limit' || limited.has(n))) limited.add(c);
    }
  }
  for (const n of nodes) {
    if (n.totalCost === null) continue;
    let own = effective.get(n) ?? n.totalCost;
    for (const c of n.children) own -= c.totalCost === null ? 0 : (effective.get(c) ?? c.totalCost);
    n.exclusiveCost = Math.max(0, own);
  }
  const totalMs = plan.executionMs ?? root.inclusiveMs;
  for (const n of nodes) {
    if (n.exclusiveMs !== null && totalMs) n.timeShare = round(Math.min(1, n.exclusiveMs / totalMs), 4);
    if (n.exclusiveCost !== null && totalCost) n.costShare = round(n.exclusiveCost / totalCost, 4);
    if (n.actualRows !== null && n.estimatedRows !== null && n.loops !== 0) {
      const a = n.actualRows;
      const e = n.estimatedRows;
      n.estimateFactor = round(Math.max(a, e, 1) / Math.max(Math.min(a, e), 1), 2);
      n.estimateDirection = a > e ? 'under' : a < e ? 'over' : 'exact';
    }
    if (n.inclusiveMs !== null) n.inclusiveMs = round(n.inclusiveMs, 3);
    if (n.exclusiveMs !== null) n.exclusiveMs = round(n.exclusiveMs, 3);
    if (n.exclusiveCost !== null) n.exclusiveCost = round(n.exclusiveCost, 2);
  }

  const analyzed = nodes.some((n) => n.actualRows !== null);
  const timed = nodes.some((n) => n.inclusiveMs !== null && n.loops !== 0);
  const base = {
    dialect: plan.dialect,
    format: plan.format,
    analyzed,
    timed,
    root,
    planningMs: plan.planningMs,
    executionMs: plan.executionMs,
    totalMs: totalMs === null ? null : round(totalMs, 3),
    totalCost,
    nodeCount: nodes.length,
    queryText: plan.queryText,
    triggers: plan.triggers,
  };
  const findings = findPlanProblems(nodes, { ...base, thresholds, limited });
  const { suggestions, summary } = summarize(nodes, findings, { ...base, thresholds, limited });
  return { ...base, findings, suggestions, summary };
}
