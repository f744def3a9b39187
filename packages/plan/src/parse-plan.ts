import { PlanParseError, PlanUnsupportedError } from './errors.js';
import { type JsonPath, jsonPathOffset, jsonProblem, lineIndexAt } from './json-scan.js';
import { readMysqlDocument } from './mysql-json-plan.js';
import { readMysqlTree } from './mysql-tree-plan.js';
import { type PlanLine, planLines } from './plan-text.js';
import { type LocateLine, readPostgresDocument } from './postgres-plan.js';
import { readPostgresText } from './postgres-text-plan.js';
import { readSqliteRows, readSqliteTree, type SqlitePlanRow } from './sqlite-plan.js';
import type { ParsedPlan, PlanFormat } from './types.js';

type Raw = Record<string, unknown>;

const EXPECTED_PLAN =
  'a plan: PostgreSQL EXPLAIN (JSON or text), MySQL/MariaDB EXPLAIN FORMAT=JSON or EXPLAIN ANALYZE, or SQLite EXPLAIN QUERY PLAN';

function isRaw(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isSqliteRow(v: unknown): v is SqlitePlanRow {
  return isRaw(v) && typeof v.detail === 'string' && typeof v.id === 'number' && typeof v.parent === 'number';
}

/** Lines of the JSON text as the input had them. */
function locateInText(json: string, lines: readonly PlanLine[]): LocateLine {
  return (path: JsonPath) => {
    const at = lines[lineIndexAt(json, jsonPathOffset(json, path))];
    return { line: at?.line ?? 1, text: at?.text ?? '' };
  };
}

/** Lines of a JSON value printed as PostgreSQL prints it (two-space indents). */
function locateInValue(value: unknown): LocateLine {
  let text: string | null = null;
  return (path: JsonPath) => {
    text ??= JSON.stringify(value, null, 2) ?? '';
    const index = lineIndexAt(text, jsonPathOffset(text, path));
    return { line: index + 1, text: text.split('\n')[index] ?? '' };
  };
}

function fromDocument(value: unknown, locate: LocateLine): ParsedPlan | null {
  const doc = Array.isArray(value) ? value[0] : value;
  if (isRaw(doc) && 'Plan' in doc) return readPostgresDocument(value, locate);
  if (isRaw(value) && 'query_block' in value) return readMysqlDocument(value, locate);
  return null;
}

function fromJsonText(lines: PlanLine[]): ParsedPlan {
  const start = lines.findIndex((l) => /^\s*[[{]/.test(l.text));
  const body = lines.slice(start);
  let json = body.map((l) => l.text).join('\n');
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    // Text after the document (psql's "Time: 1.2 ms", a log line): cut at the last closing line.
    const end = body.findLastIndex((l) => /^\s*[\]}]\s*$/.test(l.text));
    const cut =
      end >= 0
        ? body
            .slice(0, end + 1)
            .map((l) => l.text)
            .join('\n')
        : json;
    try {
      value = JSON.parse(cut);
      json = cut;
    } catch (cause) {
      const problem = jsonProblem(json);
      const at = body[lineIndexAt(json, problem?.offset ?? json.length)] ?? body.at(-1);
      throw new PlanParseError(at?.line ?? 1, problem?.expected ?? 'valid JSON', at?.text ?? '', { cause });
    }
  }
  const locate = locateInText(json, body);
  const plan = fromDocument(value, locate);
  if (plan) return plan;
  const { line, text } = locate([], value);
  throw new PlanParseError(
    line,
    'a JSON plan: an object with "Plan" (PostgreSQL) or "query_block" (MySQL)',
    text,
  );
}

function fromText(input: string): ParsedPlan {
  // The common case, JSON as EXPLAIN or a driver gave it, without splitting it into lines.
  if (/^\s*[[{]/.test(input)) {
    let value: unknown;
    try {
      value = JSON.parse(input);
    } catch {
      value = undefined;
    }
    if (value !== undefined) {
      const plan = fromDocument(value, (path) => locateInText(input, planLines(input))(path, value));
      if (plan) return plan;
    }
  }
  const lines = planLines(input);
  const content = lines.filter((l) => l.text.trim() !== '');
  const first = content[0];
  if (!first) throw new PlanParseError(lines.length || 1, EXPECTED_PLAN, '');
  const head = first.text.trim();
  if (head.startsWith('[') || head.startsWith('{')) return fromJsonText(lines);
  if (head.startsWith('<')) throw new PlanUnsupportedError('xml');
  if (/^- Plan:/.test(head)) throw new PlanUnsupportedError('yaml');
  // MySQL's tree starts with "-> "; a PostgreSQL subtree copied from its arrow has "->  " and widths.
  if (head.startsWith('-> ') && !head.startsWith('->  ') && !head.includes(' width='))
    return readMysqlTree(content);
  const second = content[1]?.text.trim() ?? '';
  if (/^[|`]--/.test(head) || (head === 'QUERY PLAN' && /^[|`]--/.test(second)))
    return readSqliteTree(content);
  return readPostgresText(content);
}

function fromValue(value: unknown): ParsedPlan {
  if (typeof value === 'string') return fromText(value);
  if (Array.isArray(value) && value.length > 0) {
    const [first] = value;
    // Rows as the drivers return them: pg's "QUERY PLAN" column, mysql2's "EXPLAIN" or "ANALYZE".
    const column = isRaw(first) ? ['QUERY PLAN', 'EXPLAIN', 'ANALYZE'].find((k) => k in first) : undefined;
    if (column && isRaw(first)) {
      const cell = first[column];
      if (typeof cell === 'string')
        return fromText(value.map((row) => (isRaw(row) ? String(row[column] ?? '') : '')).join('\n'));
      return fromValue(cell);
    }
    if (value.every(isSqliteRow)) return readSqliteRows(value);
    if (value.every((r) => Array.isArray(r) && r.length === 4 && typeof r[3] === 'string'))
      return readSqliteRows(
        value.map((r) => ({
          id: Number(r[0]),
          parent: Number(r[1]),
          notused: Number(r[2]),
          detail: String(r[3]),
        })),
      );
  }
  if (isRaw(value)) {
    const column = ['QUERY PLAN', 'EXPLAIN', 'ANALYZE'].find((k) => k in value);
    if (column) return fromValue(value[column]);
  }
  const locate = locateInValue(value);
  const plan = fromDocument(value, locate);
  if (plan) return plan;
  const { text } = locate([], value);
  throw new PlanParseError(1, EXPECTED_PLAN, text);
}

/**
 * Reads a plan: the text of any form aishell knows (psql output, a server log's auto_explain entry,
 * JSON text, MySQL's tree, the sqlite3 shell's tree), a JSON value, or rows as the drivers return them
 * (pg's `QUERY PLAN` column, mysql2's `EXPLAIN`, SQLite's `{ id, parent, notused, detail }`).
 * Throws PlanParseError naming the 1-based line and what was expected there.
 *
 * @example parsePlan((await client.query('EXPLAIN (FORMAT JSON) SELECT 1')).rows)
 */
export function parsePlan(input: unknown): ParsedPlan {
  return fromValue(input);
}

/** The formats parsePlan recognises, for documentation and tests. */
export const PLAN_FORMATS: readonly PlanFormat[] = [
  'postgres-json',
  'postgres-text',
  'mysql-json',
  'mariadb-analyze-json',
  'mysql-tree',
  'sqlite',
];
