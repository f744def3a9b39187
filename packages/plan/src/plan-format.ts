// How figures and nodes read in findings, summaries and the terminal tree.
import type { PlanNode } from './types.js';

/** `Seq Scan on orders`, `Index Scan on t using t_pkey`, `Hash Join (Left)`, `ref on mu using PRIMARY`. */
export function nodeLabel(node: PlanNode): string {
  let label = node.nodeType;
  if (node.parallelAware) label = `Parallel ${label}`;
  if (node.partialMode && node.partialMode !== 'Simple') label = `${node.partialMode} ${label}`;
  if (node.joinType && node.joinType !== 'Inner') label += ` (${node.joinType})`;
  if (node.nodeType === 'Aggregate' && node.strategy && node.strategy !== 'Plain')
    label += ` (${node.strategy})`;
  if (node.nodeType === 'ModifyTable' && node.operation) label = node.operation;
  const target = node.relation ?? node.cteName ?? node.functionName;
  if (target) label += ` on ${target}`;
  if (node.index) label += ` using ${node.index}`;
  return label;
}

/** `0.042 ms`, `12.3 ms`, `1,234 ms`. */
export function formatMs(ms: number): string {
  if (ms < 10) return `${ms.toFixed(3)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  return `${formatCount(Math.round(ms))} ms`;
}

/** Rows as whole numbers with separators; fractions (per-loop averages) with up to two decimals. */
export function formatCount(n: number): string {
  return Number.isInteger(n)
    ? n.toLocaleString('en-US')
    : n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** A share 0..1 as `42%`, `0.3%`, `<0.1%`. */
export function formatShare(share: number): string {
  const pct = share * 100;
  if (pct > 0 && pct < 0.1) return '<0.1%';
  if (pct > 99.9 && pct < 100) return '>99.9%';
  if (pct > 99.5 && pct < 100) return `${pct.toFixed(1)}%`;
  if (pct < 10 && !Number.isInteger(pct)) return `${pct.toFixed(1)}%`;
  return `${Math.round(pct)}%`;
}

export function formatCost(n: number): string {
  return n.toFixed(2);
}

/** A condition as a message quotes it: at most 80 characters. */
export function quoteCondition(text: string): string {
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
