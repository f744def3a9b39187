import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { SchemaInfo, SqlDialect, SqlToken, TableInfo } from '@aishell/engine';
import { tokenizeSql } from '@aishell/engine';
import { META_COMMAND_NAMES } from './meta-help.js';

// The words people type most, not a grammar: completion suggests, the parser decides. (No maintained
// package exports a plain keyword list; sql-formatter keeps its lists internal. @aishell/sql's own
// list, which tells keywords apart for colouring, holds two hundred words that would crowd a Tab.)
const KEYWORDS = [
  'ALTER',
  'AND',
  'AS',
  'ASC',
  'BEGIN',
  'BETWEEN',
  'BY',
  'CASE',
  'COMMIT',
  'CREATE',
  'CROSS',
  'DELETE',
  'DESC',
  'DISTINCT',
  'DROP',
  'ELSE',
  'END',
  'EXISTS',
  'EXPLAIN',
  'FALSE',
  'FROM',
  'FULL',
  'GROUP',
  'HAVING',
  'ILIKE',
  'IN',
  'INDEX',
  'INNER',
  'INSERT',
  'INTO',
  'IS',
  'JOIN',
  'LEFT',
  'LIKE',
  'LIMIT',
  'NOT',
  'NULL',
  'OFFSET',
  'ON',
  'OR',
  'ORDER',
  'OUTER',
  'RETURNING',
  'RIGHT',
  'ROLLBACK',
  'SELECT',
  'SET',
  'TABLE',
  'THEN',
  'TRUE',
  'TRUNCATE',
  'UNION',
  'UPDATE',
  'USING',
  'VALUES',
  'VIEW',
  'WHEN',
  'WHERE',
  'WITH',
];

/** Functions every engine has, or that people reach for on each; the database's own come from `\df`'s query. */
const FUNCTIONS: Record<SqlDialect, readonly string[]> = {
  postgres: [
    'abs',
    'array_agg',
    'avg',
    'cast',
    'ceil',
    'coalesce',
    'concat',
    'count',
    'current_date',
    'current_timestamp',
    'date_part',
    'date_trunc',
    'extract',
    'floor',
    'generate_series',
    'greatest',
    'json_agg',
    'jsonb_build_object',
    'least',
    'length',
    'lower',
    'max',
    'min',
    'now',
    'nullif',
    'random',
    'replace',
    'round',
    'row_number',
    'string_agg',
    'substring',
    'sum',
    'to_char',
    'trim',
    'upper',
  ],
  mysql: [
    'abs',
    'avg',
    'cast',
    'ceil',
    'coalesce',
    'concat',
    'count',
    'curdate',
    'current_date',
    'current_timestamp',
    'date_format',
    'datediff',
    'extract',
    'floor',
    'group_concat',
    'greatest',
    'ifnull',
    'json_arrayagg',
    'json_object',
    'least',
    'length',
    'lower',
    'max',
    'min',
    'now',
    'nullif',
    'rand',
    'replace',
    'round',
    'row_number',
    'substring',
    'sum',
    'trim',
    'upper',
  ],
  sqlite: [
    'abs',
    'avg',
    'cast',
    'coalesce',
    'count',
    'date',
    'datetime',
    'group_concat',
    'ifnull',
    'instr',
    'json_extract',
    'julianday',
    'length',
    'lower',
    'max',
    'min',
    'nullif',
    'printf',
    'random',
    'replace',
    'round',
    'row_number',
    'strftime',
    'substr',
    'sum',
    'total',
    'trim',
    'upper',
  ],
};

/** After these words a table (or view, or schema) comes next. */
const TABLE_WORDS = new Set(['FROM', 'JOIN', 'INTO', 'UPDATE', 'TABLE', 'TRUNCATE', 'DESCRIBE']);
/** After these a column (of the tables in scope), a function or an expression comes next. */
const COLUMN_WORDS = new Set([
  'SELECT',
  'WHERE',
  'ON',
  'BY',
  'HAVING',
  'AND',
  'OR',
  'SET',
  'RETURNING',
  'WHEN',
  'THEN',
  'ELSE',
  'DISTINCT',
  'NOT',
  'CASE',
  'IN',
  'USING',
  'LIKE',
  'ILIKE',
  'BETWEEN',
  'IS',
]);
/** The words that start a clause: a `,` belongs to the nearest one before it. */
const CLAUSE_WORDS = new Set([...TABLE_WORDS, ...COLUMN_WORDS, 'VALUES', 'LIMIT', 'OFFSET', 'WITH']);
/** Backslash commands whose argument is a file, a connection, a table. */
const FILE_COMMANDS = new Set(['\\i', '\\ir', '\\o', '\\include', '\\out']);
const CONNECTION_COMMANDS = new Set(['\\c', '\\connect']);
const TABLE_COMMANDS = new Set(['\\d', '\\d+', '\\dt', '\\dv', '\\di']);
const SETTING_VALUES: Record<string, readonly string[]> = {
  '\\x': ['auto', 'off', 'on'],
  '\\timing': ['off', 'on'],
  '\\pset': ['format', 'null', 'pager'],
};

/** What completion knows beyond the text: the schema (when read), the database's functions, saved connections. */
export interface CompletionData {
  readonly dialect: SqlDialect;
  readonly schema?: SchemaInfo | undefined;
  /** Functions of the database itself (`\df`), beside the common ones of its engine. */
  readonly functions?: readonly string[];
  /** Saved connection names, for `\c`. */
  readonly connections?: readonly string[];
  /** Where relative file names are read from. @default process.cwd() */
  readonly cwd?: string;
}

/** Candidates that replace `text.slice(start, end)`. */
export interface Completion {
  readonly candidates: string[];
  readonly start: number;
  readonly end: number;
}

/** A schema's names arranged for prefix look-ups, built once per introspection (1,000 tables: see bench shell). */
class SchemaIndex {
  readonly tables: readonly string[];
  readonly schemas: readonly string[];
  readonly #byName = new Map<string, TableInfo[]>();
  readonly #bySchema = new Map<string, string[]>();

  constructor(schema: SchemaInfo) {
    const names = new Set<string>();
    const schemas = new Set<string>();
    for (const t of schema.tables) {
      names.add(t.name);
      const key = t.name.toLowerCase();
      const same = this.#byName.get(key);
      if (same) same.push(t);
      else this.#byName.set(key, [t]);
      if (t.schema) {
        schemas.add(t.schema);
        const inSchema = this.#bySchema.get(t.schema.toLowerCase());
        if (inSchema) inSchema.push(t.name);
        else this.#bySchema.set(t.schema.toLowerCase(), [t.name]);
      }
    }
    for (const s of schema.schemas) schemas.add(s);
    this.tables = [...names].sort();
    this.schemas = [...schemas].filter((s) => !HIDDEN_SCHEMAS.has(s.toLowerCase())).sort();
  }

  table(name: string, schema?: string): TableInfo | undefined {
    const found = this.#byName.get(name.toLowerCase());
    if (!found) return undefined;
    return schema ? found.find((t) => t.schema?.toLowerCase() === schema.toLowerCase()) : found[0];
  }

  tablesOf(schema: string): readonly string[] {
    return this.#bySchema.get(schema.toLowerCase()) ?? [];
  }
}
const HIDDEN_SCHEMAS = new Set(['public', 'main', 'information_schema', 'pg_catalog']);
const indexes = new WeakMap<SchemaInfo, SchemaIndex>();
function indexOf(schema: SchemaInfo | undefined): SchemaIndex | undefined {
  if (!schema) return undefined;
  let index = indexes.get(schema);
  if (!index) {
    index = new SchemaIndex(schema);
    indexes.set(schema, index);
  }
  return index;
}

const startsWith = (candidate: string, prefix: string): boolean =>
  candidate.toLowerCase().startsWith(unquote(prefix).toLowerCase());

function unquote(name: string): string {
  return name.replace(/^["`[]|["`\]]$/g, '');
}

/** A name as it must be written: quoted when it is not a plain identifier of the dialect. */
function quoteName(name: string, dialect: SqlDialect): string {
  const plain = dialect === 'mysql' ? /^[A-Za-z_][A-Za-z0-9_$]*$/ : /^[a-z_][a-z0-9_$]*$/;
  if (plain.test(name)) return name;
  const q = dialect === 'mysql' ? '`' : '"';
  return `${q}${name.split(q).join(q + q)}${q}`;
}

/** A table named in the statement, and the alias it goes by. */
interface TableRef {
  readonly schema?: string;
  readonly name: string;
  readonly alias?: string;
}

const wordOf = (text: string, t: SqlToken | undefined): string =>
  t === undefined ? '' : unquote(text.slice(t.start, t.end));
const isName = (t: SqlToken | undefined): boolean =>
  t?.kind === 'identifier' || t?.kind === 'quoted-identifier';
const punct = (text: string, t: SqlToken | undefined): string =>
  t?.kind === 'punctuation' || t?.kind === 'operator' ? text.slice(t.start, t.end) : '';

/** The tables a statement names after FROM, JOIN, UPDATE and INTO (and `,` in a FROM list), with their aliases. */
function tablesInScope(text: string, tokens: readonly SqlToken[]): TableRef[] {
  const refs: TableRef[] = [];
  let inFrom = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const upper = t?.kind === 'keyword' ? text.slice(t.start, t.end).toUpperCase() : '';
    if (upper) {
      if (TABLE_WORDS.has(upper)) inFrom = upper === 'FROM';
      else if (CLAUSE_WORDS.has(upper) || upper === 'ON') inFrom = false;
    }
    const startsRef = TABLE_WORDS.has(upper) || (inFrom && punct(text, t) === ',');
    if (!startsRef || !isName(tokens[i + 1])) continue;
    let j = i + 1;
    let schema: string | undefined;
    let name = wordOf(text, tokens[j]);
    if (punct(text, tokens[j + 1]) === '.' && isName(tokens[j + 2])) {
      schema = name;
      name = wordOf(text, tokens[j + 2]);
      j += 2;
    }
    let alias: string | undefined;
    const next = tokens[j + 1];
    if (
      next?.kind === 'keyword' &&
      text.slice(next.start, next.end).toUpperCase() === 'AS' &&
      isName(tokens[j + 2])
    )
      alias = wordOf(text, tokens[j + 2]);
    else if (isName(next)) alias = wordOf(text, next);
    refs.push({ ...(schema ? { schema } : {}), name, ...(alias ? { alias } : {}) });
  }
  return refs;
}

/** The statement around `cursor`: from after the `;` before it to the `;` after it. */
function statementAround(text: string, tokens: readonly SqlToken[], cursor: number): [number, number] {
  let start = 0;
  let end = text.length;
  for (const t of tokens) {
    if (t.kind !== 'punctuation' || text[t.start] !== ';') continue;
    if (t.end <= cursor) start = t.end;
    else if (t.start >= cursor) {
      end = t.start;
      break;
    }
  }
  return [start, end];
}

type Context = 'keyword' | 'table' | 'column' | 'alias' | 'any';

/** What comes at the cursor, from the tokens before the word being typed. */
function contextOf(text: string, before: readonly SqlToken[]): Context {
  const prev = before[before.length - 1];
  if (prev === undefined) return 'keyword';
  const upper = prev.kind === 'keyword' ? text.slice(prev.start, prev.end).toUpperCase() : '';
  if (TABLE_WORDS.has(upper)) return 'table';
  if (COLUMN_WORDS.has(upper)) return 'column';
  if (upper) return 'any';
  const p = punct(text, prev);
  if (p === ',') {
    let depth = 0;
    for (let i = before.length - 2; i >= 0; i--) {
      const t = before[i];
      const q = punct(text, t);
      if (q === ')') depth++;
      else if (q === '(') {
        if (depth === 0) return 'column';
        depth--;
      } else if (depth === 0 && t?.kind === 'keyword') {
        const w = text.slice(t.start, t.end).toUpperCase();
        if (CLAUSE_WORDS.has(w)) return w === 'FROM' ? 'table' : 'column';
      }
    }
    return 'column';
  }
  if (p && p !== ')' && p !== ';') return 'column';
  // A name right after a table reference is where an alias or the next keyword goes.
  if (isName(prev)) {
    const beforePrev = before[before.length - 2];
    const w =
      beforePrev?.kind === 'keyword' ? text.slice(beforePrev.start, beforePrev.end).toUpperCase() : '';
    if (TABLE_WORDS.has(w)) return 'alias';
  }
  return 'any';
}

/**
 * Completion at `cursor` in `text` (the whole input, several lines and statements perhaps): backslash
 * commands, file names after `\i` and `\o`, saved connections after `\c`, tables after `\d`; in SQL,
 * tables, views and schemas after FROM/JOIN/INTO/UPDATE; `alias.` and `table.` give that table's
 * columns, `schema.` its tables; after SELECT/WHERE/ON/BY/... the columns of the statement's tables
 * (its FROM may come after the cursor), its aliases and functions, else keywords; keywords follow the
 * case the person types in.
 */
export function complete(text: string, cursor: number, data: CompletionData): Completion {
  const head = text.slice(0, cursor);
  const lineStart = head.lastIndexOf('\n') + 1;
  const line = head.slice(lineStart);
  if (/^\s*\\/.test(line)) return completeMeta(line, lineStart, data);
  const word = /(?:[\w$]+|"[^"]*"?|`[^`]*`?|\.)*$/.exec(head)?.[0] ?? '';
  const start = cursor - word.length;
  const none: Completion = { candidates: [], start, end: cursor };
  const tokens = tokenizeSql(text, data.dialect);
  // Inside a string or a comment there is nothing to complete.
  const inside = tokens.find(
    (t) => t.start < start && t.end > start - (t.unterminated ? 1 : 0) && t.end >= cursor,
  );
  if (inside && (inside.kind === 'string' || inside.kind === 'comment')) return none;
  const [stmtStart, stmtEnd] = statementAround(text, tokens, start);
  const statement = tokens.filter((t) => t.start >= stmtStart && t.end <= stmtEnd);
  const before = statement.filter((t) => t.end <= start);
  const index = indexOf(data.schema);
  const lowerCase = /[a-z]/.test(word) || (word === '' && /[a-z]/.test(text.slice(stmtStart, start)));
  const keywords = (prefix: string): string[] =>
    KEYWORDS.filter((k) => startsWith(k, prefix)).map((k) => (lowerCase ? k.toLowerCase() : k));
  const scope = tablesInScope(text, statement);
  const dot = word.lastIndexOf('.');
  if (dot > 0) {
    const qualifier = unquote(word.slice(0, dot));
    const partial = word.slice(dot + 1);
    const prefix = word.slice(0, dot + 1);
    const ref = scope.find((r) => r.alias?.toLowerCase() === qualifier.toLowerCase());
    const table = ref
      ? index?.table(ref.name, ref.schema)
      : (index?.table(qualifier) ??
        (() => {
          // `schema.table.` names a column of a qualified table.
          const parts = word.slice(0, dot).split('.');
          return parts.length === 2
            ? index?.table(unquote(parts[1] ?? ''), unquote(parts[0] ?? ''))
            : undefined;
        })());
    const names = table
      ? table.columns.map((c) => c.name)
      : index && word.slice(0, dot).split('.').length === 1
        ? [...index.tablesOf(qualifier)]
        : [];
    return {
      candidates: names
        .filter((n) => startsWith(n, partial))
        .sort()
        .map((n) => prefix + quoteName(n, data.dialect)),
      start,
      end: cursor,
    };
  }
  const context = contextOf(text, before);
  const tables = index?.tables ?? [];
  const quote = (names: Iterable<string>): string[] => [...names].map((n) => quoteName(n, data.dialect));
  let candidates: string[];
  switch (context) {
    case 'keyword':
      candidates = word === '' ? [] : keywords(word);
      break;
    case 'table':
      candidates = quote([...tables, ...(index?.schemas ?? [])].filter((n) => startsWith(n, word)).sort());
      break;
    case 'alias':
      candidates = word === '' ? [] : keywords(word);
      break;
    case 'column': {
      const columns = new Set<string>();
      for (const ref of scope) {
        for (const c of index?.table(ref.name, ref.schema)?.columns ?? []) columns.add(c.name);
      }
      const aliases = scope.map((r) => r.alias ?? r.name);
      const functions = [...FUNCTIONS[data.dialect], ...(data.functions ?? [])];
      const named = [
        ...quote([...columns].filter((c) => startsWith(c, word)).sort()),
        ...quote([...new Set(aliases)].filter((a) => startsWith(a, word)).sort()),
        ...[...new Set(functions)].filter((f) => word !== '' && startsWith(f, word)).sort(),
      ];
      candidates = named.length > 0 ? named : word === '' ? [] : keywords(word);
      break;
    }
    default: {
      if (word === '') return none;
      const named = new Set(scope.map((r) => r.name.toLowerCase()));
      const columns = (data.schema?.tables ?? [])
        .filter((t) => named.has(t.name.toLowerCase()))
        .flatMap((t) => t.columns.map((c) => c.name));
      candidates = [
        ...new Set([
          ...quote(columns.filter((c) => startsWith(c, word))),
          ...quote(tables.filter((n) => startsWith(n, word))),
          ...keywords(word),
        ]),
      ].sort();
    }
  }
  return { candidates: [...new Set(candidates)], start, end: cursor };
}

/** Completion on a backslash command's line. */
function completeMeta(line: string, lineStart: number, data: CompletionData): Completion {
  const m = /^(\s*)(\\\S*)(\s+.*)?$/s.exec(line);
  const verb = m?.[2] ?? '';
  const end = lineStart + line.length;
  if (m?.[3] === undefined) {
    return {
      candidates: META_COMMAND_NAMES.filter((c) => c.startsWith(verb)),
      start: end - verb.length,
      end,
    };
  }
  const rest = m[3];
  if (FILE_COMMANDS.has(verb) || verb === '\\copy') {
    const file = /'?([^\s']*)$/.exec(rest)?.[1] ?? '';
    if (verb === '\\copy' && !/\b(to|from)\s+'?[^\s']*$/i.test(rest))
      return { candidates: [], start: end, end };
    return { candidates: fileCandidates(file, data.cwd ?? process.cwd()), start: end - file.length, end };
  }
  const arg = /\S*$/.exec(rest)?.[0] ?? '';
  const start = end - arg.length;
  if (CONNECTION_COMMANDS.has(verb)) {
    return {
      candidates: [...(data.connections ?? []), 'demo'].filter((c) => c.startsWith(arg)).sort(),
      start,
      end,
    };
  }
  if (TABLE_COMMANDS.has(verb)) {
    const index = indexOf(data.schema);
    return {
      candidates: quoteAll(index?.tables.filter((n) => startsWith(n, arg)) ?? [], data.dialect),
      start,
      end,
    };
  }
  const values = SETTING_VALUES[verb];
  if (values) return { candidates: values.filter((v) => v.startsWith(arg)), start, end };
  if (verb === '\\explain' || verb === '\\sql') {
    const sql = rest.trimStart();
    const inner = complete(sql, sql.length, data);
    const offset = end - sql.length;
    return { candidates: inner.candidates, start: inner.start + offset, end };
  }
  return { candidates: [], start: end, end };
}

function quoteAll(names: readonly string[], dialect: SqlDialect): string[] {
  return names.map((n) => quoteName(n, dialect));
}

/** Files and folders (with a `/`) whose names start with the last part of `partial`. */
function fileCandidates(partial: string, cwd: string): string[] {
  const slash = partial.lastIndexOf('/');
  const dir = slash === -1 ? '' : partial.slice(0, slash + 1);
  const base = partial.slice(slash + 1);
  try {
    return readdirSync(path.resolve(cwd, dir || '.'), { withFileTypes: true })
      .filter((e) => e.name.startsWith(base) && (base.startsWith('.') || !e.name.startsWith('.')))
      .map((e) => `${dir}${e.name}${e.isDirectory() ? '/' : ''}`)
      .sort();
  } catch {
    return [];
  }
}

/**
 * The candidates for the word at the end of `line`, in readline's shape (`[candidates, word]`): what
 * the shell offered before it had a context of its own, kept for callers that complete one line.
 */
export function completeSql(line: string, schema: SchemaInfo | undefined): [string[], string] {
  const { candidates, start, end } = complete(line, line.length, { dialect: 'postgres', schema });
  return [candidates, line.slice(start, end)];
}

/** The longest prefix that all candidates share (what one Tab inserts when several fit). */
export function commonPrefix(candidates: readonly string[]): string {
  if (candidates.length === 0) return '';
  let prefix = candidates[0] ?? '';
  for (const c of candidates) {
    let i = 0;
    while (i < prefix.length && i < c.length && prefix[i]?.toLowerCase() === c[i]?.toLowerCase()) i++;
    prefix = prefix.slice(0, i);
  }
  return prefix;
}
