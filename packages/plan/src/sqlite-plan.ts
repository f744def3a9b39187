// SQLite's EXPLAIN QUERY PLAN: rows (id, parent, notused, detail), as better-sqlite3 or node:sqlite
// return them, or the tree the sqlite3 shell prints:
//   QUERY PLAN
//   |--SCAN t1
//   `--SEARCH t2 USING INDEX i2 (a=?)
// SQLite shows no costs, rows or times: the nodes carry the access and the index only.
import { PlanParseError } from './errors.js';
import type { PlanLine } from './plan-text.js';
import { emptyNode } from './postgres-plan.js';
import type { ParsedNode, ParsedPlan } from './types.js';

/** One row of EXPLAIN QUERY PLAN. */
export interface SqlitePlanRow {
  id: number;
  parent: number;
  notused?: number;
  detail: string;
}

const ACCESS =
  /^(SCAN|SEARCH) (?:TABLE )?(\S+)(?: AS (\S+))?(?: USING (?:((?:AUTOMATIC )?(?:PARTIAL )?(?:COVERING )?)INDEX (\S+)|(INTEGER PRIMARY KEY|PRIMARY KEY)))?(?: \((.*)\))?/;

function nodeOf(detail: string): ParsedNode {
  const m = ACCESS.exec(detail);
  const node = emptyNode(detail);
  node.properties.detail = detail;
  if (m?.[1] && m[2]) {
    node.nodeType = m[1];
    node.relation = m[2];
    if (m[3]) node.alias = m[3];
    node.index = m[5] ?? m[6] ?? null;
    if (m[4]?.includes('COVERING')) node.properties.covering = true;
    if (m[7]) node.indexCond = m[7];
  } else if (detail.startsWith('USE TEMP B-TREE')) node.nodeType = 'USE TEMP B-TREE';
  return node;
}

/** A plan from EXPLAIN QUERY PLAN rows (parent 0 is the top). */
export function readSqliteRows(rows: readonly SqlitePlanRow[]): ParsedPlan {
  const root = emptyNode('QUERY PLAN');
  const byId = new Map<number, ParsedNode>([[0, root]]);
  for (const row of rows) {
    const node = nodeOf(row.detail);
    byId.set(row.id, node);
    (byId.get(row.parent) ?? root).children.push(node);
  }
  return {
    dialect: 'sqlite',
    format: 'sqlite',
    root,
    planningMs: null,
    executionMs: null,
    queryText: null,
    triggers: [],
  };
}

/** A plan from the sqlite3 shell's tree. */
export function readSqliteTree(lines: PlanLine[]): ParsedPlan {
  const rows: SqlitePlanRow[] = [];
  const parents: number[] = [0];
  let id = 0;
  for (const line of lines) {
    const text = line.text.trimEnd();
    if (text.trim() === '' || text.trim() === 'QUERY PLAN') continue;
    const m = /^((?:[| ] {2})*)[|`]--(.*)$/.exec(text);
    if (!m) throw new PlanParseError(line.line, 'a line of the tree such as "|--SCAN t"', text);
    const depth = (m[1] ?? '').length / 3;
    if (depth > parents.length - 1)
      throw new PlanParseError(line.line, 'a line at most one level deeper than the one above', text);
    id++;
    rows.push({ id, parent: parents[depth] ?? 0, detail: (m[2] ?? '').trim() });
    parents.length = depth + 1;
    parents.push(id);
  }
  if (rows.length === 0) {
    const last = lines.at(-1) ?? { text: '', line: 1 };
    throw new PlanParseError(last.line, 'a line of the tree such as "|--SCAN t"', last.text);
  }
  return readSqliteRows(rows);
}
