// Which columns of a scanned table a condition compares with constants, to name an index:
//   ((status)::text = 'paid'::text) AND (created_at > '2024-01-01'::date)  ->  status =, created_at >
// PostgreSQL's deparsed conditions and MySQL's attached_condition (`db`.`t`.`a` > 5) both read.

/** Columns compared with a value: equality (=, IN, IS NULL) and range (<, >, BETWEEN, LIKE 'x%'). */
export interface ConditionColumns {
  equality: string[];
  range: string[];
}

const CAST =
  /::(?:timestamp(?:\(\d+\))? with(?:out)? time zone|time(?:\(\d+\))? with(?:out)? time zone|character varying(?:\(\d+\))?|double precision|bit varying|"[^"]+"|[\w.]+(?:\(\d+(?:,\d+)?\))?)(?:\[\])*/g;
const IDENT = String.raw`(?:"(?:[^"]|"")+"|\x60[^\x60]+\x60|[A-Za-z_][\w$]*)`;
const COLUMN = new RegExp(String.raw`^((?:${IDENT}\.)*)(${IDENT})$`);
const NOT_COLUMNS = new Set([
  'true',
  'false',
  'null',
  'current_date',
  'current_timestamp',
  'now',
  'localtimestamp',
]);

interface Operator {
  text: string;
  kind: 'equality' | 'range' | 'like' | 'null' | 'other';
  word: boolean;
}

// Longest first, so that "<=" is not read as "<".
const OPERATORS: readonly Operator[] = [
  { text: 'IS NOT NULL', kind: 'other', word: true },
  { text: 'IS NULL', kind: 'null', word: true },
  { text: 'NOT LIKE', kind: 'other', word: true },
  { text: 'BETWEEN', kind: 'range', word: true },
  { text: 'LIKE', kind: 'like', word: true },
  { text: 'IN', kind: 'equality', word: true },
  { text: '!~~*', kind: 'other', word: false },
  { text: '!~~', kind: 'other', word: false },
  { text: '~~*', kind: 'other', word: false },
  { text: '~~', kind: 'like', word: false },
  { text: '<>', kind: 'other', word: false },
  { text: '!=', kind: 'other', word: false },
  { text: '<=>', kind: 'equality', word: false },
  { text: '<=', kind: 'range', word: false },
  { text: '>=', kind: 'range', word: false },
  { text: '=', kind: 'equality', word: false },
  { text: '<', kind: 'range', word: false },
  { text: '>', kind: 'range', word: false },
];

/** The whole text in one pair of parentheses? */
function wrapped(text: string): boolean {
  if (!text.startsWith('(') || !text.endsWith(')')) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    if (depth === 0 && i < text.length - 1) return false;
  }
  return true;
}

function unwrap(text: string): string {
  let t = text.trim();
  while (wrapped(t)) t = t.slice(1, -1).trim();
  return t;
}

/** Splits at a keyword (AND, OR) outside parentheses. */
function splitTop(text: string, word: string): string[] {
  const parts: string[] = [];
  const re = new RegExp(String.raw`\s${word}\s`, 'iy');
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && (c === ' ' || c === '\t')) {
      re.lastIndex = i;
      if (re.test(text)) {
        parts.push(text.slice(start, i));
        start = re.lastIndex;
        i = re.lastIndex - 1;
      }
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

function findOperator(text: string): { op: Operator; at: number } | null {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    if (depth !== 0) continue;
    for (const op of OPERATORS) {
      if (op.word) {
        if (i === 0 || text[i - 1] !== ' ') continue;
        const next = text[i + op.text.length];
        if (next !== undefined && next !== ' ' && next !== '(') continue;
        if (text.slice(i, i + op.text.length).toUpperCase() !== op.text) continue;
      } else if (!text.startsWith(op.text, i)) continue;
      return { op, at: i };
    }
  }
  return null;
}

function unquote(name: string): string {
  if (name.startsWith('"')) return name.slice(1, -1).replaceAll('""', '"');
  if (name.startsWith('`')) return name.slice(1, -1);
  return name;
}

/** The column a side names, if it is a column of the scanned table. */
function columnOf(side: string, tables: ReadonlySet<string>): string | null {
  const m = COLUMN.exec(unwrap(side));
  if (!m?.[2]) return null;
  const name = unquote(m[2]);
  if (NOT_COLUMNS.has(name.toLowerCase())) return null;
  const qualifiers = (m[1] ?? '').split('.').filter((q) => q !== '');
  const qualifier = qualifiers.at(-1);
  if (qualifier !== undefined && tables.size > 0 && !tables.has(unquote(qualifier))) return null;
  return name;
}

/**
 * Columns of the scanned table that a condition compares with values. `tables` are the names the
 * table goes by in the condition (relation and alias); a column qualified by another name is a value
 * (the outer side of a join). Disjunctions (OR) are left out: one index does not serve them.
 *
 * @example conditionColumns("((status)::text = 'paid'::text) AND (total > 100)") // { equality: ['status'], range: ['total'] }
 */
export function conditionColumns(condition: string, tables: readonly string[] = []): ConditionColumns {
  const literals: string[] = [];
  const masked = condition
    .replace(/'(?:[^']|'')*'/g, (lit) => {
      literals.push(lit);
      return `\uE000${literals.length - 1}\uE000`;
    })
    .replace(CAST, '');
  const names = new Set(tables);
  const out: ConditionColumns = { equality: [], range: [] };
  const add = (list: string[], column: string): void => {
    if (!out.equality.includes(column) && !out.range.includes(column)) list.push(column);
  };
  const visit = (text: string): void => {
    const inner = unwrap(text);
    const conjuncts = splitTop(inner, 'AND');
    if (conjuncts.length > 1) {
      for (const c of conjuncts) visit(c);
      return;
    }
    if (splitTop(inner, 'OR').length > 1) return;
    const found = findOperator(inner);
    if (!found) return;
    const { op, at } = found;
    const left = inner.slice(0, at).trim();
    const right = inner.slice(at + op.text.length).trim();
    const l = columnOf(left, names);
    const r = op.kind === 'null' ? null : columnOf(right, names);
    if ((l === null) === (r === null) && op.kind !== 'null') return;
    const column = l ?? r;
    if (column === null) return;
    if (op.kind === 'equality' || op.kind === 'null') add(out.equality, column);
    else if (op.kind === 'range') add(out.range, column);
    else if (op.kind === 'like') {
      const value = l !== null ? right : left;
      const literal = /^\uE000(\d+)\uE000$/.exec(unwrap(value));
      const pattern = literal ? (literals[Number(literal[1])] ?? '') : '';
      if (pattern && !/^'[%_]/.test(pattern)) add(out.range, column);
    }
  };
  visit(masked);
  // "= ANY (...)" reads as "=": already equality.
  return out;
}

/** Index columns in the order to create them: the equality columns, then one range column. */
export function indexColumns(columns: ConditionColumns): string[] {
  return [...columns.equality, ...columns.range.slice(0, 1)];
}
