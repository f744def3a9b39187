// PostgreSQL's JSON plan (the document of EXPLAIN (FORMAT JSON), or the one the text parser builds
// under the same key names) -> ParsedPlan.
import { PlanParseError } from './errors.js';
import type { JsonPath } from './json-scan.js';
import type { ParsedNode, ParsedPlan, PlanBuffers, PlanFormat, PlanTrigger, PlanValue } from './types.js';

type Raw = Record<string, unknown>;

/** Says which line of the input a value of the document came from, for errors. */
export type LocateLine = (path: JsonPath, value: unknown) => { line: number; text: string };

const BUFFER_KEYS: Record<string, keyof PlanBuffers> = {
  'Shared Hit Blocks': 'sharedHit',
  'Shared Read Blocks': 'sharedRead',
  'Shared Dirtied Blocks': 'sharedDirtied',
  'Shared Written Blocks': 'sharedWritten',
  'Local Hit Blocks': 'localHit',
  'Local Read Blocks': 'localRead',
  'Local Dirtied Blocks': 'localDirtied',
  'Local Written Blocks': 'localWritten',
  'Temp Read Blocks': 'tempRead',
  'Temp Written Blocks': 'tempWritten',
};

type StringField =
  | 'parentRelationship'
  | 'subplanName'
  | 'joinType'
  | 'strategy'
  | 'partialMode'
  | 'operation'
  | 'command'
  | 'scanDirection'
  | 'schema'
  | 'alias'
  | 'cteName'
  | 'functionName'
  | 'filter'
  | 'joinFilter'
  | 'indexCond'
  | 'recheckCond'
  | 'hashCond'
  | 'mergeCond'
  | 'sortMethod';
type NumberField =
  | 'width'
  | 'rowsRemovedByFilter'
  | 'rowsRemovedByJoinFilter'
  | 'rowsRemovedByIndexRecheck'
  | 'sortSpaceUsedKb'
  | 'hashBuckets'
  | 'hashBatches'
  | 'originalHashBatches'
  | 'peakMemoryKb'
  | 'aggregateBatches'
  | 'diskUsageKb'
  | 'workersPlanned'
  | 'workersLaunched'
  | 'heapFetches';

const STRING_KEYS: Record<string, StringField> = {
  'Parent Relationship': 'parentRelationship',
  'Subplan Name': 'subplanName',
  'Join Type': 'joinType',
  Strategy: 'strategy',
  'Partial Mode': 'partialMode',
  Operation: 'operation',
  Command: 'command',
  'Scan Direction': 'scanDirection',
  Schema: 'schema',
  Alias: 'alias',
  'CTE Name': 'cteName',
  'Function Name': 'functionName',
  Filter: 'filter',
  'Join Filter': 'joinFilter',
  'Index Cond': 'indexCond',
  'Recheck Cond': 'recheckCond',
  'Hash Cond': 'hashCond',
  'Merge Cond': 'mergeCond',
  'Sort Method': 'sortMethod',
};

const NUMBER_KEYS: Record<string, NumberField> = {
  'Plan Width': 'width',
  'Rows Removed by Filter': 'rowsRemovedByFilter',
  'Rows Removed by Join Filter': 'rowsRemovedByJoinFilter',
  'Rows Removed by Index Recheck': 'rowsRemovedByIndexRecheck',
  'Sort Space Used': 'sortSpaceUsedKb',
  'Hash Buckets': 'hashBuckets',
  'Hash Batches': 'hashBatches',
  'Original Hash Batches': 'originalHashBatches',
  'Peak Memory Usage': 'peakMemoryKb',
  'HashAgg Batches': 'aggregateBatches',
  'Disk Usage': 'diskUsageKb',
  'Workers Planned': 'workersPlanned',
  'Workers Launched': 'workersLaunched',
  'Heap Fetches': 'heapFetches',
};

function isRaw(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A node with every field at "unknown", for the readers of each dialect to fill in. */
export function emptyNode(nodeType: string): ParsedNode {
  return {
    nodeType,
    relation: null,
    index: null,
    startupCost: null,
    totalCost: null,
    estimatedRows: null,
    actualRows: null,
    loops: null,
    actualStartupMs: null,
    actualTotalMs: null,
    buffers: null,
    properties: {},
    children: [],
  };
}

export function emptyBuffers(): PlanBuffers {
  return {
    sharedHit: 0,
    sharedRead: 0,
    sharedDirtied: 0,
    sharedWritten: 0,
    localHit: 0,
    localRead: 0,
    localDirtied: 0,
    localWritten: 0,
    tempRead: 0,
    tempWritten: 0,
  };
}

/**
 * Sets what one key of PostgreSQL's JSON says on a node; false when the value has the wrong type.
 * The JSON reader and the text parser (which knows the same names) both write nodes through it.
 */
export function setPostgresKey(node: ParsedNode, key: string, v: unknown): boolean {
  switch (key) {
    case 'Node Type':
      if (typeof v !== 'string' || v === '') return false;
      node.nodeType = v;
      return true;
    case 'Relation Name':
    case 'Index Name':
      if (typeof v !== 'string') return false;
      if (key === 'Relation Name') node.relation = v;
      else node.index = v;
      return true;
    case 'Startup Cost':
    case 'Total Cost':
    case 'Plan Rows':
    case 'Actual Rows':
    case 'Actual Loops':
    case 'Actual Startup Time':
    case 'Actual Total Time':
      if (typeof v !== 'number' || !Number.isFinite(v)) return false;
      if (key === 'Startup Cost') node.startupCost = v;
      else if (key === 'Total Cost') node.totalCost = v;
      else if (key === 'Plan Rows') node.estimatedRows = v;
      else if (key === 'Actual Rows') node.actualRows = v;
      else if (key === 'Actual Loops') {
        node.loops = v;
        if (v === 0) node.neverExecuted = true;
      } else if (key === 'Actual Startup Time') node.actualStartupMs = v;
      else node.actualTotalMs = v;
      return true;
    case 'Parallel Aware':
      if (typeof v !== 'boolean') return false;
      node.parallelAware = v;
      return true;
    case 'Sort Space Type':
      if (v !== 'Memory' && v !== 'Disk') return false;
      node.sortSpaceType = v;
      return true;
    case 'Sort Key':
    case 'Group Key': {
      const list = typeof v === 'string' ? [v] : v;
      if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) return false;
      if (key === 'Sort Key') node.sortKey = list;
      else node.groupKey = list;
      return true;
    }
    default: {
      const buffer = BUFFER_KEYS[key];
      if (buffer !== undefined) {
        if (typeof v !== 'number') return false;
        node.buffers ??= emptyBuffers();
        node.buffers[buffer] = v;
        return true;
      }
      const stringField = STRING_KEYS[key];
      if (stringField !== undefined) {
        if (typeof v !== 'string') return false;
        node[stringField] = v;
        return true;
      }
      const numberField = NUMBER_KEYS[key];
      if (numberField !== undefined) {
        if (typeof v !== 'number' || !Number.isFinite(v)) return false;
        node[numberField] = v;
        return true;
      }
      node.properties[key] = v as PlanValue;
      return true;
    }
  }
}

/** What a key of PostgreSQL's JSON must hold, for the error when it does not. */
function expectedFor(key: string): string {
  if (key === 'Node Type') return 'a "Node Type" in every plan node';
  if (key === 'Sort Space Type') return '"Memory" or "Disk" for "Sort Space Type"';
  if (key === 'Parallel Aware') return `true or false for "${key}"`;
  if (key === 'Sort Key' || key === 'Group Key') return `a list of strings for "${key}"`;
  if (key === 'Relation Name' || key === 'Index Name' || STRING_KEYS[key]) return `a string for "${key}"`;
  return `a number for "${key}"`;
}

class NodeReader {
  readonly #locate: LocateLine;

  constructor(locate: LocateLine) {
    this.#locate = locate;
  }

  fail(path: JsonPath, value: unknown, expected: string): never {
    const { line, text } = this.#locate(path, value);
    throw new PlanParseError(line, expected, text);
  }

  node(raw: unknown, path: JsonPath): ParsedNode {
    if (!isRaw(raw)) return this.fail(path, raw, 'a plan node (an object with "Node Type")');
    if (raw['Node Type'] === undefined) return this.fail(path, raw, 'a "Node Type" in every plan node');
    const node = emptyNode('');
    for (const key in raw) {
      const v = raw[key];
      if (v === undefined) continue;
      if (key === 'Plans') {
        if (!Array.isArray(v)) this.fail([...path, key], raw, 'a list of plan nodes for "Plans"');
        const plans = v as unknown[];
        for (let i = 0; i < plans.length; i++) node.children.push(this.node(plans[i], [...path, key, i]));
      } else if (!setPostgresKey(node, key, v)) this.fail([...path, key], raw, expectedFor(key));
    }
    return node;
  }
}

function triggersOf(value: unknown): PlanTrigger[] {
  if (!Array.isArray(value)) return [];
  const out: PlanTrigger[] = [];
  for (const t of value) {
    if (!isRaw(t)) continue;
    out.push({
      name: typeof t['Trigger Name'] === 'string' ? t['Trigger Name'] : '',
      relation: typeof t.Relation === 'string' ? t.Relation : null,
      timeMs: typeof t.Time === 'number' ? t.Time : 0,
      calls: typeof t.Calls === 'number' ? t.Calls : 0,
    });
  }
  return out;
}

/** The plan-level facts of a PostgreSQL document around its root node. */
export function postgresPlan(doc: Raw, root: ParsedNode, format: PlanFormat): ParsedPlan {
  const number = (key: string): number | null => {
    const v = doc[key];
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  };
  return {
    dialect: 'postgres',
    format,
    root,
    planningMs: number('Planning Time'),
    executionMs: number('Execution Time') ?? number('Total Runtime'),
    queryText: typeof doc['Query Text'] === 'string' ? doc['Query Text'] : null,
    triggers: triggersOf(doc.Triggers),
  };
}

/** A PostgreSQL plan document (the array EXPLAIN returns, or its one element) as a ParsedPlan. */
export function readPostgresDocument(value: unknown, locate: LocateLine): ParsedPlan {
  const reader = new NodeReader(locate);
  let doc = value;
  let path: JsonPath = [];
  if (Array.isArray(doc)) {
    if (doc.length === 0) reader.fail([], value, 'one plan in the array EXPLAIN returns, found none');
    doc = doc[0];
    path = [0];
  }
  if (!isRaw(doc) || !isRaw(doc.Plan))
    return reader.fail(path, doc, 'an object with "Plan" (EXPLAIN (FORMAT JSON))');
  return postgresPlan(doc, reader.node(doc.Plan, [...path, 'Plan']), 'postgres-json');
}
