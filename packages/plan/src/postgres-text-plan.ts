// PostgreSQL's text plan -> ParsedPlan. Each line's facts are set under the names the JSON format
// gives them (setPostgresKey), so that both forms fill nodes the same way. Structure comes from
// indentation: a node's properties, subplan headers and children's "->" sit right of its name.
import { PlanParseError } from './errors.js';
import type { PlanLine } from './plan-text.js';
import { describeNodeName } from './postgres-node-name.js';
import { emptyBuffers, emptyNode, postgresPlan, setPostgresKey } from './postgres-plan.js';
import type { ParsedNode, ParsedPlan, PlanBuffers, PlanValue } from './types.js';

type Raw = Record<string, unknown>;

interface Entry {
  /** Column of the line that opened the entry; a line at this column or left of it closes it. */
  depth: number;
  kind: 'node' | 'subplan' | 'section';
  node: ParsedNode | null;
  relationship?: string;
  name?: string;
}

const NUM = String.raw`\d+(?:\.\d+)?`;
const COST = new RegExp(String.raw`^(${NUM})\.\.(${NUM}) rows=(${NUM}) width=(\d+)$`);
const ACTUAL = new RegExp(String.raw`^actual (?:time=(${NUM})\.\.(${NUM}) )?rows=(${NUM}) loops=(\d+)$`);
const SUBPLAN = /^((?:InitPlan|SubPlan) \d+)(?: \(returns .*\))?$/;
const CTE = /^CTE ("(?:[^"]|"")*"|\S+)$/;
const WORKER = /^Worker (\d+):\s*(.*)$/;
const PROPERTY = /^([A-Za-z][A-Za-z0-9 /_()-]*?):(?:\s+(.*))?$/;
const PROPERTY_KEY = /^[A-Za-z][A-Za-z0-9 /_()-]*$/;

/** `Key: value` -> [key, value]; `Key:` -> [key, undefined]; null for other lines. */
function keyValue(body: string): [string, string | undefined] | null {
  const colon = body.indexOf(':');
  if (colon <= 0) return null;
  const key = body.slice(0, colon);
  if (!PROPERTY_KEY.test(key)) return null;
  if (colon === body.length - 1) return [key, undefined];
  const next = body.charCodeAt(colon + 1);
  if (next !== 32 && next !== 9) return null;
  return [key, body.slice(colon + 2).trimStart()];
}
const TRIGGER = new RegExp(String.raw`^Trigger (.+?)(?: on (\S+))?: time=(${NUM}) calls=(\d+)$`);
const FIGURES = /\(cost=\d|\(actual (?:time|rows)=|\(never executed\)/;

const NODE_EXAMPLE = 'a plan node such as "Seq Scan on t  (cost=0.00..35.50 rows=2550 width=4)"';

function count(text: string, c: string): number {
  let n = 0;
  for (let i = text.indexOf(c); i >= 0; i = text.indexOf(c, i + 1)) n++;
  return n;
}

/** Parentheses outside single-quoted literals: open minus close. */
function openParens(text: string): number {
  // indexOf is native and fast; walking characters is needed only around quotes.
  if (!text.includes("'")) return count(text, '(') - count(text, ')');
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 39) quoted = !quoted;
    else if (!quoted && c === 40) depth++;
    else if (!quoted && c === 41) depth--;
  }
  return depth;
}

/** Columns of leading spaces. */
function indentOf(text: string): number {
  const i = text.search(/\S/);
  return i < 0 ? text.length : i;
}

/** Splits a list (Sort Key, Output) at commas outside parentheses and quotes. */
export function splitList(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let current = '';
  for (const c of text) {
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      out.push(current.trim());
      current = '';
      continue;
    }
    current += c;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

function value(text: string): string | number {
  return /^-?\d+(?:\.\d+)?$/.test(text) ? Number(text) : text;
}

/** Lines a terminal or an editor wrapped, joined again (unbalanced parentheses continue). */
function joinWrapped(lines: PlanLine[]): PlanLine[] {
  const out: PlanLine[] = [];
  let inQuery = false;
  let open = 0;
  for (const l of lines) {
    const tabbed = l.text.includes('\t');
    const text = tabbed ? l.text.replace(/\t/g, '    ') : l.text;
    if (inQuery || text.includes('Query Text:')) {
      const trimmed = text.trim();
      if (trimmed.startsWith('Query Text:')) inQuery = true;
      else if (FIGURES.test(trimmed) || describeNodeName(trimmed, true)) inQuery = false;
    }
    const last = out[out.length - 1];
    if (!inQuery && last && open > 0) {
      out[out.length - 1] = { text: last.text + text, line: last.line };
      open += openParens(text);
      continue;
    }
    out.push(tabbed ? { text, line: l.line } : l);
    open = inQuery ? 0 : openParens(text);
  }
  return out;
}

function fail(line: PlanLine, expected: string): never {
  throw new PlanParseError(line.line, expected, line.text);
}

function set(node: ParsedNode, key: string, v: unknown, line: PlanLine): void {
  if (!setPostgresKey(node, key, v)) fail(line, `a valid value for "${key}"`);
}

/** Splits `name  (cost=...) (actual ...)` without a backtracking regular expression. */
function splitHeader(text: string): { name: string; cost: string | undefined; actual: string | undefined } {
  let rest = text.trimEnd();
  let actual: string | undefined;
  let cost: string | undefined;
  if (rest.endsWith(')')) {
    const a = Math.max(rest.lastIndexOf(' (actual '), rest.lastIndexOf(' (never executed)'));
    if (a >= 0) {
      actual = rest.slice(a + 2, -1);
      rest = rest.slice(0, a).trimEnd();
    }
  }
  if (rest.endsWith(')')) {
    const c = rest.lastIndexOf(' (cost=');
    if (c >= 0) {
      cost = rest.slice(c + 7, -1);
      rest = rest.slice(0, c).trimEnd();
    }
  }
  return { name: rest, cost, actual };
}

/** The node of a node line, or null when the text is not one. */
function nodeOf(text: string, line: PlanLine, strict: boolean): ParsedNode | null {
  const { name, cost, actual } = splitHeader(text);
  const described = describeNodeName(name, strict && cost === undefined && actual === undefined);
  if (!described) return null;
  const node = emptyNode('');
  for (const key in described) set(node, key, described[key], line);
  if (cost !== undefined) {
    const c = COST.exec(cost);
    if (!c) fail(line, 'costs as "(cost=<startup>..<total> rows=<n> width=<n>)"');
    node.startupCost = Number(c[1]);
    node.totalCost = Number(c[2]);
    node.estimatedRows = Number(c[3]);
    node.width = Number(c[4]);
  }
  if (actual === 'never executed') {
    node.actualRows = 0;
    node.loops = 0;
    node.neverExecuted = true;
  } else if (actual !== undefined) {
    const a = ACTUAL.exec(actual);
    if (!a) fail(line, 'actuals as "(actual time=<first>..<last> rows=<n> loops=<n>)"');
    if (a[1] !== undefined) node.actualStartupMs = Number(a[1]);
    if (a[2] !== undefined) node.actualTotalMs = Number(a[2]);
    node.actualRows = Number(a[3]);
    node.loops = Number(a[4]);
    if (node.loops === 0) node.neverExecuted = true;
  }
  return node;
}

const BUFFER_FIELDS: Record<string, Record<string, keyof PlanBuffers>> = {
  shared: { hit: 'sharedHit', read: 'sharedRead', dirtied: 'sharedDirtied', written: 'sharedWritten' },
  local: { hit: 'localHit', read: 'localRead', dirtied: 'localDirtied', written: 'localWritten' },
  temp: { read: 'tempRead', written: 'tempWritten' },
};

/** `shared hit=190 read=3, temp read=998 written=1060`: counts not shown are 0. */
function buffers(text: string): PlanBuffers {
  const out = emptyBuffers();
  let scope: Record<string, keyof PlanBuffers> | undefined;
  for (const word of text.split(/[\s,]+/)) {
    const eq = word.indexOf('=');
    if (eq < 0) {
      scope = BUFFER_FIELDS[word];
      continue;
    }
    const field = scope?.[word.slice(0, eq)];
    if (field) out[field] = Number(word.slice(eq + 1));
  }
  return out;
}

/** `Key: value  Other Key: value` of one line (Sort Method, Buckets, Batches, Memoize's Hits). */
function pairs(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of text.split(/\s{2,}/)) {
    const m = /^([^:]+):\s*(.*)$/.exec(part.trim());
    if (m?.[1]) out.set(m[1], m[2] ?? '');
  }
  return out;
}

function kb(text: string | undefined): number | undefined {
  const m = /^(\d+)kB$/.exec(text?.trim() ?? '');
  return m ? Number(m[1]) : undefined;
}

function originally(text: string | undefined): [number | undefined, number | undefined] {
  const m = /^(\d+)(?: \(originally (\d+)\))?$/.exec(text?.trim() ?? '');
  return m ? [Number(m[1]), m[2] === undefined ? Number(m[1]) : Number(m[2])] : [undefined, undefined];
}

function property(node: ParsedNode, key: string, text: string, line: PlanLine): void {
  switch (key) {
    case 'Sort Method': {
      const m = /^(.*?)\s+(Memory|Disk):\s+(\d+)kB$/.exec(text);
      node.sortMethod = m?.[1] ?? text;
      if (m) {
        node.sortSpaceType = m[2] === 'Disk' ? 'Disk' : 'Memory';
        node.sortSpaceUsedKb = Number(m[3]);
      }
      return;
    }
    case 'Buckets': {
      const p = pairs(`Buckets: ${text}`);
      const [b, ob] = originally(p.get('Buckets'));
      const [h, oh] = originally(p.get('Batches'));
      const memory = kb(p.get('Memory Usage'));
      if (b !== undefined) node.hashBuckets = b;
      if (ob !== undefined) node.properties['Original Hash Buckets'] = ob;
      if (h !== undefined) node.hashBatches = h;
      if (oh !== undefined) node.originalHashBatches = oh;
      if (memory !== undefined) node.peakMemoryKb = memory;
      return;
    }
    case 'Batches':
    case 'Planned Partitions': {
      const p = pairs(`${key}: ${text}`);
      const planned = p.get('Planned Partitions');
      const batches = p.get('Batches');
      const memory = kb(p.get('Memory Usage'));
      const disk = kb(p.get('Disk Usage'));
      if (planned !== undefined) node.properties['Planned Partitions'] = Number(planned);
      if (batches !== undefined) node.aggregateBatches = Number(batches);
      if (memory !== undefined) node.peakMemoryKb = memory;
      if (disk !== undefined) node.diskUsageKb = disk;
      return;
    }
    case 'Buffers':
      node.buffers = buffers(text);
      return;
    case 'Heap Blocks':
      for (const pair of text.split(/\s+/)) {
        const [kind = '', n = ''] = pair.split('=');
        if (kind) node.properties[`${kind[0]?.toUpperCase()}${kind.slice(1)} Heap Blocks`] = Number(n);
      }
      return;
    case 'Sort Key':
    case 'Group Key':
    case 'Presorted Key':
    case 'Output':
      set(node, key, splitList(text), line);
      return;
    default:
      set(node, key, value(text), line);
  }
}

const MEMBER_PARENTS = new Set(['Append', 'Merge Append', 'BitmapAnd', 'BitmapOr']);

/** Text plans do not say Outer/Inner/Member; the JSON form does, and the order says it. */
function relationships(root: ParsedNode): void {
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop() as ParsedNode;
    let position = 0;
    for (const child of node.children) {
      if (child.parentRelationship === undefined) {
        if (MEMBER_PARENTS.has(node.nodeType)) child.parentRelationship = 'Member';
        else if (node.nodeType === 'Subquery Scan') child.parentRelationship = 'Subquery';
        else child.parentRelationship = position === 0 ? 'Outer' : 'Inner';
        position++;
      }
      stack.push(child);
    }
  }
}

function topLevel(doc: Raw, body: string, line: PlanLine, stack: Entry[], indent: number): void {
  const time = /^(Planning Time|Execution Time|Total runtime): (\d+(?:\.\d+)?) ms$/.exec(body);
  if (time?.[1]) {
    doc[time[1] === 'Total runtime' ? 'Total Runtime' : time[1]] = Number(time[2]);
    return;
  }
  const trigger = TRIGGER.exec(body);
  if (trigger) {
    const triggers = (doc.Triggers as Raw[] | undefined) ?? [];
    triggers.push({
      'Trigger Name': trigger[1],
      ...(trigger[2] ? { Relation: trigger[2] } : {}),
      Time: Number(trigger[3]),
      Calls: Number(trigger[4]),
    });
    doc.Triggers = triggers;
    return;
  }
  const p = PROPERTY.exec(body);
  if (!p?.[1]) fail(line, 'a plan property such as "Execution Time: 1.2 ms" after the plan');
  // Sections such as "Planning:" and "JIT:" hold their own lines, which are not the plan's.
  if (p[2] === undefined) stack.push({ depth: indent, kind: 'section', node: null });
  else doc[p[1]] = value(p[2]);
}

/** Reads PostgreSQL's text plan from its cleaned lines. */
export function readPostgresText(input: PlanLine[]): ParsedPlan {
  const lines = joinWrapped(input);
  const doc: Raw = {};
  const stack: Entry[] = [];
  let root: ParsedNode | null = null;
  let query: string[] | null = null;

  for (const line of lines) {
    const text = line.text;
    const indent = indentOf(text);
    const body = text.slice(indent).trimEnd();
    if (body === '') continue;
    if (root === null) {
      const q = /^Query Text:\s?(.*)$/.exec(body);
      if (q) {
        query = [q[1] ?? ''];
        continue;
      }
      const node = nodeOf(body.startsWith('->') ? body.replace(/^->\s*/, '') : body, line, true);
      if (node) {
        root = node;
        stack.push({ depth: indent, kind: 'node', node });
        continue;
      }
      if (query) {
        query.push(text);
        continue;
      }
      fail(line, NODE_EXAMPLE);
    }
    while (stack.length > 0 && (stack[stack.length - 1]?.depth ?? 0) >= indent) stack.pop();
    const top = stack[stack.length - 1];
    if (body.startsWith('->')) {
      const node = nodeOf(body.slice(2).trimStart(), line, false);
      if (!node) fail(line, `${NODE_EXAMPLE} after "->"`);
      if (!top?.node || top.kind === 'section') fail(line, 'a node indented under the node it belongs to');
      if (top.kind === 'subplan') {
        if (top.relationship) node.parentRelationship = top.relationship;
        if (top.name) node.subplanName = top.name;
      }
      top.node.children.push(node);
      stack.push({ depth: indent, kind: 'node', node });
      continue;
    }
    if (!top) {
      topLevel(doc, body, line, stack, indent);
      continue;
    }
    if (top.kind === 'section') continue;
    const c0 = body.charCodeAt(0);
    // I(nitPlan), S(ubPlan), C(TE), W(orker): the few lines that are not "Key: value".
    const special = c0 === 73 || c0 === 83 || c0 === 67 || c0 === 87;
    const sub = special ? SUBPLAN.exec(body) : null;
    const cte = special && !sub ? CTE.exec(body) : null;
    if (sub || cte) {
      if (top.kind !== 'node') fail(line, 'a node ("->  ...") under the subplan header above');
      stack.push({
        depth: indent,
        kind: 'subplan',
        node: top.node,
        relationship: sub ? (sub[1]?.startsWith('InitPlan') ? 'InitPlan' : 'SubPlan') : 'InitPlan',
        name: sub ? body : `CTE ${cte?.[1]?.replace(/^"(.*)"$/, '$1')}`,
      });
      continue;
    }
    if (top.kind !== 'node' || !top.node) fail(line, 'a node ("->  ...") under the subplan header above');
    const worker = special ? WORKER.exec(body) : null;
    if (worker) {
      // A worker's own figures stay with the worker: its Buffers must not become the node's.
      const workers = (top.node.properties.Workers as PlanValue[] | undefined) ?? [];
      top.node.properties.Workers = [
        ...workers,
        { 'Worker Number': Number(worker[1]), Details: worker[2] ?? '' },
      ];
      stack.push({ depth: indent, kind: 'section', node: null });
      continue;
    }
    const p = keyValue(body);
    if (!p) fail(line, 'a property ("Filter: ..."), a subplan ("SubPlan 1") or a child node ("->  ...")');
    if (p[1] === undefined) stack.push({ depth: indent, kind: 'section', node: null });
    else property(top.node, p[0], p[1], line);
  }
  if (root === null) fail(lines.at(-1) ?? input.at(-1) ?? { text: '', line: 1 }, NODE_EXAMPLE);
  if (query) doc['Query Text'] = query.join('\n').trim();
  relationships(root);
  return postgresPlan(doc, root, 'postgres-text');
}
