import { formatCost, formatCount, formatMs, formatShare, nodeLabel } from './plan-format.js';
import type { AnalyzedPlan, Finding, FindingLevel, PlanNode } from './types.js';

/** Options of renderPlan. */
export interface RenderPlanOptions {
  /** ANSI colours; the app decides (a terminal, no NO_COLOR). @default false */
  color?: boolean;
  /** Plain ASCII instead of box-drawing characters and symbols. @default false */
  ascii?: boolean;
  /** Conditions, sort, hash and worker details under each node. @default true */
  details?: boolean;
  /** The list of findings after the tree. @default true */
  findings?: boolean;
  /** The summary at the end. @default true */
  summary?: boolean;
}

/** The defaults of renderPlan's options. */
export const RENDER_PLAN_DEFAULTS: Readonly<Required<RenderPlanOptions>> = Object.freeze({
  color: false,
  ascii: false,
  details: true,
  findings: true,
  summary: true,
});

const ANSI = {
  reset: '\x1b[0m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  red: '\x1b[31m',
  yellow: '\x1b[33m',
  cyan: '\x1b[36m',
};
const LEVEL_COLOR: Record<FindingLevel, string> = { crit: ANSI.red, warn: ANSI.yellow, info: ANSI.cyan };
const MARK: Record<FindingLevel, string> = { crit: '✖', warn: '▲', info: '●' };
const ASCII_MARK: Record<FindingLevel, string> = { crit: '!!', warn: '!', info: 'i' };

interface Style {
  paint(text: string, code: string): string;
  mark(level: FindingLevel): string;
  branch: string;
  last: string;
  pipe: string;
  space: string;
}

function style(options: Required<RenderPlanOptions>): Style {
  const marks = options.ascii ? ASCII_MARK : MARK;
  return {
    paint: options.color ? (text, code) => `${code}${text}${ANSI.reset}` : (text) => text,
    mark: (level) => (options.color ? `${LEVEL_COLOR[level]}${marks[level]}${ANSI.reset}` : marks[level]),
    branch: options.ascii ? '|- ' : '├─ ',
    last: options.ascii ? '`- ' : '└─ ',
    pipe: options.ascii ? '|  ' : '│  ',
    space: '   ',
  };
}

function figures(node: PlanNode, s: Style, slow: FindingLevel | null): string[] {
  const parts: string[] = [];
  if (node.totalCost !== null)
    parts.push(
      `cost=${node.startupCost === null ? '' : `${formatCost(node.startupCost)}..`}${formatCost(node.totalCost)}`,
    );
  const rows: string[] = [];
  if (node.estimatedRows !== null) rows.push(`est=${formatCount(node.estimatedRows)}`);
  if (node.actualRows !== null) rows.push(`actual=${formatCount(node.actualRows)}`);
  if (rows.length) parts.push(`rows ${rows.join(' ')}`);
  if (node.loops !== null) parts.push(`loops=${formatCount(node.loops)}`);
  if (node.neverExecuted) parts.push('never executed');
  else if (node.exclusiveMs !== null && node.inclusiveMs !== null) {
    const share = node.timeShare === null ? '' : ` (${formatShare(node.timeShare)})`;
    const text = `time ${formatMs(node.exclusiveMs)} self${share}, ${formatMs(node.inclusiveMs)} total`;
    parts.push(slow ? s.paint(text, LEVEL_COLOR[slow]) : text);
  }
  const b = node.buffers;
  if (b) {
    const buf = [`hit=${formatCount(b.sharedHit)}`, `read=${formatCount(b.sharedRead)}`];
    if (b.tempRead || b.tempWritten)
      buf.push(`temp r=${formatCount(b.tempRead)} w=${formatCount(b.tempWritten)}`);
    parts.push(`buffers ${buf.join(' ')}`);
  }
  return parts;
}

function details(node: PlanNode): string[] {
  const out: string[] = [];
  const loops = node.loops ?? 1;
  const removed = (n: number | undefined): string =>
    n === undefined ? '' : `  (removed ${formatCount(Math.round(n * loops))})`;
  if (node.indexCond) out.push(`Index Cond: ${node.indexCond}`);
  if (node.recheckCond)
    out.push(`Recheck Cond: ${node.recheckCond}${removed(node.rowsRemovedByIndexRecheck)}`);
  if (node.hashCond) out.push(`Hash Cond: ${node.hashCond}`);
  if (node.mergeCond) out.push(`Merge Cond: ${node.mergeCond}`);
  if (node.joinFilter) out.push(`Join Filter: ${node.joinFilter}${removed(node.rowsRemovedByJoinFilter)}`);
  if (node.filter) out.push(`Filter: ${node.filter}${removed(node.rowsRemovedByFilter)}`);
  if (node.sortKey) out.push(`Sort Key: ${node.sortKey.join(', ')}`);
  if (node.sortMethod)
    out.push(
      `Sort Method: ${node.sortMethod}${node.sortSpaceType ? `  ${node.sortSpaceType}: ${formatCount(node.sortSpaceUsedKb ?? 0)} kB` : ''}`,
    );
  if (node.hashBatches !== undefined)
    out.push(
      `Hash: ${formatCount(node.hashBuckets ?? 0)} buckets, ${formatCount(node.hashBatches)} batches${node.peakMemoryKb === undefined ? '' : `, ${formatCount(node.peakMemoryKb)} kB`}`,
    );
  if (node.workersPlanned !== undefined)
    out.push(
      `Workers: ${node.workersPlanned} planned${node.workersLaunched === undefined ? '' : `, ${node.workersLaunched} launched`}`,
    );
  if (node.heapFetches !== undefined) out.push(`Heap Fetches: ${formatCount(node.heapFetches)}`);
  return out;
}

/**
 * The plan as an indented tree for a terminal: node, relation and index, cost, estimated and actual
 * rows, loops, exclusive and inclusive time, buffers, and a mark per finding; then the findings and
 * the summary. Libraries never print: the caller writes the string.
 *
 * @example process.stdout.write(renderPlan(plan, { color: process.stdout.isTTY && !process.env.NO_COLOR }))
 */
export function renderPlan(plan: AnalyzedPlan, options: RenderPlanOptions = {}): string {
  const o = { ...RENDER_PLAN_DEFAULTS, ...options };
  const s = style(o);
  const byNode = new Map<string, Finding[]>();
  for (const f of plan.findings) {
    const list = byNode.get(f.node) ?? [];
    list.push(f);
    byNode.set(f.node, list);
  }
  const lines: string[] = [];
  const walk = (node: PlanNode, head: string, rest: string): void => {
    const found = byNode.get(node.id) ?? [];
    const slow = found.find((f) => f.code === 'SLOW_NODE')?.level ?? null;
    const label = `${node.subplanName ? `${node.subplanName}: ` : ''}${nodeLabel(node)}`;
    const marks = found.map((f) => `${s.mark(f.level)} ${f.code}`).join(' ');
    const parts = [s.paint(label, ANSI.bold), s.paint(`[${node.id}]`, ANSI.dim), ...figures(node, s, slow)];
    lines.push(`${head}${parts.join('  ')}${marks ? `  ${marks}` : ''}`);
    if (o.details) {
      const under = rest + (node.children.length > 0 ? s.pipe : s.space);
      for (const d of details(node)) lines.push(`${under}${s.paint(d, ANSI.dim)}`);
    }
    node.children.forEach((child, i) => {
      const last = i === node.children.length - 1;
      walk(child, rest + (last ? s.last : s.branch), rest + (last ? s.space : s.pipe));
    });
  };
  walk(plan.root, '', '');
  if (plan.planningMs !== null || plan.executionMs !== null) {
    const times = [
      plan.planningMs === null ? null : `Planning ${formatMs(plan.planningMs)}`,
      plan.executionMs === null ? null : `Execution ${formatMs(plan.executionMs)}`,
    ].filter((t) => t !== null);
    lines.push(s.paint(times.join('  '), ANSI.dim));
  }
  if (o.findings && plan.findings.length > 0) {
    lines.push('', 'Findings:');
    for (const f of plan.findings)
      lines.push(
        `  ${s.mark(f.level)} ${f.level.padEnd(4)} ${f.code}  ${s.paint(`[${f.node}]`, ANSI.dim)}  ${f.message}`,
      );
  }
  if (o.summary && plan.summary) lines.push('', plan.summary);
  return `${lines.join('\n')}\n`;
}
