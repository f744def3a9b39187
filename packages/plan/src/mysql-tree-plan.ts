// MySQL 8's EXPLAIN ANALYZE / EXPLAIN FORMAT=TREE:
//   -> Filter: (t.a > 10)  (cost=1.25 rows=3) (actual time=0.034..0.040 rows=2 loops=1)
//       -> Table scan on t  (cost=1.25 rows=10) (actual time=0.030..0.036 rows=10 loops=1)
// Table accesses get MySQL's access type names (Table scan -> ALL, Index lookup -> ref, ...); a Filter
// over one table access is folded into it, as PostgreSQL shows a scan's filter on the scan.
import { PlanParseError } from './errors.js';
import type { PlanLine } from './plan-text.js';
import { emptyNode } from './postgres-plan.js';
import type { ParsedNode, ParsedPlan } from './types.js';

const N = String.raw`[\d.]+(?:e[+-]?\d+)?`;
const HEADER = new RegExp(
  String.raw`^(.*?)(?:\s+\(cost=(${N})(?:\.\.(${N}))? rows=(${N})\))?(?:\s+\((?:actual time=(${N})\.\.(${N}) rows=(${N}) loops=(\d+)|(never executed))\))?\s*$`,
);

/** Access descriptions of the tree format and the access type EXPLAIN's table column gives them. */
const ACCESS: readonly [RegExp, string][] = [
  [/^Table scan on (\S+)/, 'ALL'],
  [/^(?:Covering )?[Ii]ndex scan on (\S+) using (\S+)/, 'index'],
  [/^(?:Covering )?[Ii]ndex (?:range|skip) scan on (\S+) using (\S+)(?: over (.*))?/, 'range'],
  [/^Single-row (?:covering )?index lookup on (\S+) using (\S+) \((.*)\)/, 'eq_ref'],
  [/^(?:Covering )?[Ii]ndex lookup on (\S+) using (\S+) \((.*?)\)(?:, with index condition: (.*))?$/, 'ref'],
  [/^Full-text index search on (\S+) using (\S+)/, 'fulltext'],
  [/^Constant row from (\S+)/, 'const'],
];
const ACCESS_TYPES = new Set(ACCESS.map(([, t]) => t));

function describe(node: ParsedNode, text: string): void {
  for (const [re, type] of ACCESS) {
    const m = re.exec(text);
    if (!m) continue;
    node.nodeType = type;
    node.relation = m[1] ?? null;
    node.index = m[2] ?? null;
    if (m[3]) node.indexCond = m[3];
    node.properties.detail = text;
    return;
  }
  const filter = /^Filter: (.*)$/.exec(text);
  const hash = /^(\w+(?: \w+)? hash join) (\(.*\))$/.exec(text);
  const labelled = /^([A-Z][^:]*): (.*)$/.exec(text);
  if (filter?.[1]) {
    node.nodeType = 'Filter';
    node.filter = filter[1];
  } else if (hash?.[1] && hash[2]) {
    node.nodeType = hash[1];
    node.hashCond = hash[2];
  } else if (labelled?.[1]) {
    node.nodeType = labelled[1];
    node.properties.detail = labelled[2] ?? '';
    if (labelled[1] === 'Sort') node.sortKey = (labelled[2] ?? '').split(/,\s*/);
  } else node.nodeType = text;
}

function fold(node: ParsedNode): ParsedNode {
  node.children = node.children.map(fold);
  const [only] = node.children;
  if (node.nodeType !== 'Filter' || node.children.length !== 1 || !only || !ACCESS_TYPES.has(only.nodeType))
    return node;
  const read = only.actualRows !== null && only.loops !== null ? only.actualRows * only.loops : null;
  const merged: ParsedNode = {
    ...only,
    filter: node.filter ?? '',
    estimatedRows: node.estimatedRows ?? only.estimatedRows,
    actualRows: node.actualRows,
    loops: node.loops ?? only.loops,
    actualStartupMs: node.actualStartupMs ?? only.actualStartupMs,
    actualTotalMs: node.actualTotalMs ?? only.actualTotalMs,
    totalCost: node.totalCost ?? only.totalCost,
  };
  if (read !== null && node.actualRows !== null && node.loops)
    merged.rowsRemovedByFilter = Math.max(0, read / node.loops - node.actualRows);
  return merged;
}

/** Reads MySQL's tree plan from its cleaned lines (each node on a line starting with "->"). */
export function readMysqlTree(lines: PlanLine[]): ParsedPlan {
  const stack: { depth: number; node: ParsedNode }[] = [];
  let root: ParsedNode | null = null;
  const entries: { line: PlanLine; text: string; depth: number }[] = [];
  for (const line of lines) {
    if (line.text.trim() === '') continue;
    const depth = line.text.length - line.text.trimStart().length;
    const body = line.text.trim();
    if (!body.startsWith('->')) {
      // A wrapped line continues the node above it.
      const prev = entries.at(-1);
      if (!prev) throw new PlanParseError(line.line, 'a node starting with "->"', line.text);
      prev.text += ` ${body}`;
      continue;
    }
    entries.push({ line, text: body.replace(/^->\s*/, ''), depth });
  }
  for (const { line, text, depth } of entries) {
    const m = HEADER.exec(text);
    if (!m?.[1])
      throw new PlanParseError(line.line, 'a node such as "-> Table scan on t  (cost=1.25 rows=10)"', text);
    const node = emptyNode('');
    describe(node, m[1].trim());
    if (m[3] !== undefined) {
      node.startupCost = Number(m[2]);
      node.totalCost = Number(m[3]);
    } else if (m[2] !== undefined) node.totalCost = Number(m[2]);
    if (m[4] !== undefined) node.estimatedRows = Number(m[4]);
    if (m[9]) {
      node.actualRows = 0;
      node.loops = 0;
      node.neverExecuted = true;
    } else if (m[8] !== undefined) {
      node.actualStartupMs = Number(m[5]);
      node.actualTotalMs = Number(m[6]);
      node.actualRows = Number(m[7]);
      node.loops = Number(m[8]);
    }
    while (stack.length > 0 && (stack.at(-1)?.depth ?? 0) >= depth) stack.pop();
    const parent = stack.at(-1);
    if (!root) root = node;
    else if (!parent)
      throw new PlanParseError(line.line, 'one root node: this line is not indented under it', text);
    else parent.node.children.push(node);
    stack.push({ depth, node });
  }
  if (!root) {
    const line = lines.at(-1) ?? { text: '', line: 1 };
    throw new PlanParseError(line.line, 'a node starting with "->"', line.text);
  }
  return {
    dialect: 'mysql',
    format: 'mysql-tree',
    root: fold(root),
    planningMs: null,
    executionMs: null,
    queryText: null,
    triggers: [],
  };
}
