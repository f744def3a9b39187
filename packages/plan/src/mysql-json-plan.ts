// MySQL's and MariaDB's EXPLAIN FORMAT=JSON, and MariaDB's ANALYZE FORMAT=JSON (r_* actuals) ->
// ParsedPlan. Tables become nodes named by their access type (ALL, ref, eq_ref, range, ...); the
// operations around them (query_block, nested_loop, filesort, temporary_table, ...) by their key.
import { PlanParseError } from './errors.js';
import type { JsonPath } from './json-scan.js';
import type { LocateLine } from './postgres-plan.js';
import { emptyNode } from './postgres-plan.js';
import type { ParsedNode, ParsedPlan, PlanValue } from './types.js';

type Raw = Record<string, unknown>;

/** Keys whose objects describe their owner, not an operation below it. */
const DETAIL_KEYS = new Set([
  'cost_info',
  'r_engine_stats',
  'used_columns',
  'possible_keys',
  'used_key_parts',
  'ref',
  'query_optimization',
  'rowid_filter',
  'range-checked-for-each-record',
]);

function isRaw(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** MySQL prints many numbers as strings ("filtered": "10.00", "read_cost": "1.25"). */
function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i.test(v.trim())) return Number(v);
  return null;
}

function isScalarList(v: unknown): boolean {
  return Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object');
}

class MysqlReader {
  analyzed = false;
  readonly #locate: LocateLine;

  constructor(locate: LocateLine) {
    this.#locate = locate;
  }

  fail(path: JsonPath, value: unknown, expected: string): never {
    const { line, text } = this.#locate(path, value);
    throw new PlanParseError(line, expected, text);
  }

  node(key: string, obj: Raw, path: JsonPath): ParsedNode {
    const node = emptyNode(key === 'table' ? String(obj.access_type ?? 'table') : key);
    const loops = num(obj.r_loops);
    if (loops !== null) {
      this.analyzed = true;
      node.loops = loops;
      if (loops === 0) node.neverExecuted = true;
    }
    const totalMs = num(obj.r_total_time_ms);
    if (totalMs !== null) node.actualTotalMs = loops ? totalMs / loops : totalMs;
    if (key === 'table') this.#table(node, obj);
    else if (key === 'filesort') this.#filesort(node, obj);
    else {
      const rows = num(obj.r_rows);
      if (rows !== null) node.actualRows = rows;
    }
    const cost = isRaw(obj.cost_info) ? obj.cost_info : null;
    const ownCost = cost ? (num(cost.query_cost) ?? num(cost.sort_cost)) : null;
    for (const k in obj) {
      const v = obj[k];
      if (DETAIL_KEYS.has(k) || v === undefined) {
        if (k !== 'cost_info' && v !== undefined) node.properties[k] = v as PlanValue;
        continue;
      }
      if (isRaw(v)) {
        node.children.push(this.#child(k, v, [...path, k]));
      } else if (Array.isArray(v) && !isScalarList(v)) {
        const children = v.map((el, i) => {
          if (!isRaw(el)) return this.fail([...path, k, i], v, `an object in "${k}"`);
          return this.#element(k, el, [...path, k, i]);
        });
        if (k === 'nested_loop') {
          const loop = emptyNode('nested_loop');
          loop.children = children;
          node.children.push(loop);
        } else {
          for (const c of children) c.parentRelationship ??= k;
          node.children.push(...children);
        }
      } else if (!(key === 'table' && TABLE_KEYS.has(k)) && !(k.startsWith('r_') && k !== 'r_sort_mode')) {
        node.properties[k] = v as PlanValue;
      }
    }
    const childCost = node.children.reduce<number | null>(
      (sum, c) => (c.totalCost === null ? sum : (sum ?? 0) + c.totalCost),
      null,
    );
    if (node.totalCost === null) node.totalCost = ownCost ?? childCost;
    return node;
  }

  #child(key: string, obj: Raw, path: JsonPath): ParsedNode {
    return this.node(key, obj, path);
  }

  /** An element of a list: `{ "table": {...} }`, `{ "query_block": {...}, "dependent": true }`, ... */
  #element(listKey: string, el: Raw, path: JsonPath): ParsedNode {
    const nodeKeys = Object.keys(el).filter((k) => isRaw(el[k]) && !DETAIL_KEYS.has(k));
    const only = nodeKeys[0];
    if (nodeKeys.length === 1 && only) {
      const node = this.node(only, el[only] as Raw, [...path, only]);
      for (const k in el) if (k !== only) node.properties[k] = el[k] as PlanValue;
      return node;
    }
    return this.node(listKey, el, path);
  }

  #table(node: ParsedNode, t: Raw): void {
    if (typeof t.table_name === 'string') node.relation = t.table_name;
    if (typeof t.key === 'string') node.index = t.key;
    const filtered = num(t.filtered) ?? 100;
    const examined = num(t.rows_examined_per_scan) ?? num(t.rows);
    if (examined !== null) node.estimatedRows = (examined * filtered) / 100;
    if (typeof t.attached_condition === 'string') node.filter = t.attached_condition;
    if (typeof t.index_condition === 'string') node.indexCond = t.index_condition;
    const cost = isRaw(t.cost_info) ? t.cost_info : null;
    if (cost) {
      const read = num(cost.read_cost);
      const evaluate = num(cost.eval_cost);
      if (read !== null || evaluate !== null) node.totalCost = (read ?? 0) + (evaluate ?? 0);
    }
    const rRows = num(t.r_rows);
    if (rRows !== null) {
      this.analyzed = true;
      const kept = ((num(t.r_filtered) ?? 100) * rRows) / 100;
      node.actualRows = kept;
      if (node.filter !== undefined || kept < rRows) node.rowsRemovedByFilter = rRows - kept;
      node.properties.r_rows = rRows;
    }
    const tableMs = num(t.r_table_time_ms);
    const otherMs = num(t.r_other_time_ms);
    if (tableMs !== null || otherMs !== null) {
      const total = (tableMs ?? 0) + (otherMs ?? 0);
      node.actualTotalMs = node.loops ? total / node.loops : total;
    }
  }

  #filesort(node: ParsedNode, f: Raw): void {
    if (typeof f.sort_key === 'string') node.sortKey = [f.sort_key];
    const rows = num(f.r_output_rows);
    if (rows !== null) node.actualRows = rows;
    if (typeof f.r_sort_mode === 'string') node.sortMethod = f.r_sort_mode;
    const passes = num(f.r_sort_passes);
    if (passes !== null) node.sortSpaceType = passes > 0 ? 'Disk' : 'Memory';
  }
}

/** Table keys that became fields. */
const TABLE_KEYS = new Set([
  'table_name',
  'access_type',
  'key',
  'rows',
  'rows_examined_per_scan',
  'filtered',
  'attached_condition',
  'index_condition',
]);

/** A MySQL or MariaDB JSON plan document (`{ "query_block": ... }`) as a ParsedPlan. */
export function readMysqlDocument(value: unknown, locate: LocateLine): ParsedPlan {
  const reader = new MysqlReader(locate);
  if (!isRaw(value) || !isRaw(value.query_block))
    return reader.fail([], value, 'an object with "query_block" (EXPLAIN FORMAT=JSON)');
  const root = reader.node('query_block', value.query_block, ['query_block']);
  const optimization = isRaw(value.query_optimization) ? num(value.query_optimization.r_total_time_ms) : null;
  return {
    dialect: 'mysql',
    format: reader.analyzed ? 'mariadb-analyze-json' : 'mysql-json',
    root,
    planningMs: optimization,
    executionMs: null,
    queryText: null,
    triggers: [],
  };
}
