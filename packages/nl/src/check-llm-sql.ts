import { analyze, type Risk, type StatementKind, tokenizeSql } from '@aishell/sql';
import { NlAbortedError } from './errors.js';
import type { NlDialect, NlSchema, NlTable } from './nl-schema.js';

/** Statements a model may propose: a read, or one write that runs only after confirmation. */
const WRITES: ReadonlySet<StatementKind> = new Set(['insert', 'update', 'delete', 'merge']);

/** A model's SQL that passed the checks. */
export interface CheckedLlmSql {
  readonly ok: true;
  readonly kind: StatementKind;
  readonly readOnly: boolean;
  readonly risk: Risk;
  readonly reasons: readonly string[];
  /** Tables it reads and writes (bare names, as written). */
  readonly tables: string[];
}

/** Why a model's SQL failed: the exact text sent back to the model for a repair. */
export interface FailedLlmSql {
  readonly ok: false;
  readonly error: string;
}

const bare = (name: string): string =>
  name
    .split('.')
    .pop()!
    .replace(/^["`[]|["`\]]$/g, '');

const unquote = (word: string): string => word.replace(/^["`[]|["`\]]$/g, '').replace(/""/g, '"');

/**
 * Qualified column references (`alias.column`, `table.column`) whose table is a table of the schema
 * and whose column it does not have. Unqualified names are left to EXPLAIN, which knows the scope
 * (output aliases, CTE columns, functions) better than a token scan can.
 */
function unknownColumns(
  sql: string,
  dialect: NlDialect,
  tables: ReadonlyMap<string, NlTable>,
  named: ReadonlySet<string>,
): string[] {
  const tokens = tokenizeSql(sql, dialect).filter((t) => t.kind !== 'comment');
  const text = tokens.map((t) => sql.slice(t.start, t.end));
  const isWord = (i: number): boolean =>
    tokens[i] !== undefined && ['identifier', 'quoted-identifier', 'keyword'].includes(tokens[i]!.kind);
  // An alias given to two tables (in two subqueries) is left out: which one a reference means
  // depends on scope, which a token scan does not see.
  const aliases = new Map<string, NlTable | null>();
  const alias = (name: string, table: NlTable): void => {
    const seen = aliases.get(name);
    aliases.set(name, seen === undefined || seen === table ? table : null);
  };
  for (let i = 0; i < tokens.length; i++) {
    const word = text[i]!.toUpperCase();
    if (word !== 'FROM' && word !== 'JOIN' && word !== 'UPDATE' && word !== 'INTO') continue;
    let j = i + 1;
    if (!isWord(j)) continue;
    let name = unquote(text[j]!);
    while (text[j + 1] === '.' && isWord(j + 2)) {
      name = unquote(text[j + 2]!);
      j += 2;
    }
    // Only tables the statement really reads or writes: a CTE of the same name is not the table.
    const table = named.has(name.toLowerCase()) ? tables.get(name.toLowerCase()) : undefined;
    if (!table) continue;
    alias(name.toLowerCase(), table);
    let k = j + 1;
    if (text[k]?.toUpperCase() === 'AS') k++;
    if (tokens[k] && (tokens[k]!.kind === 'identifier' || tokens[k]!.kind === 'quoted-identifier'))
      alias(unquote(text[k]!).toLowerCase(), table);
  }
  const out: string[] = [];
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (!isWord(i) || text[i + 1] !== '.' || !isWord(i + 2)) continue;
    if (text[i + 3] === '.' || text[i + 3] === '(' || text[i - 1] === '.') continue;
    const table = aliases.get(unquote(text[i]!).toLowerCase());
    const column = unquote(text[i + 2]!);
    if (!table || column === '*') continue;
    if (!table.columns.some((c) => c.name.toLowerCase() === column.toLowerCase()))
      out.push(`${unquote(text[i]!)}.${column}`);
  }
  return [...new Set(out)];
}

/**
 * Checks a model's SQL before anything runs: it must parse for the dialect (@aishell/sql), be exactly
 * one statement, a read-only SELECT or one INSERT/UPDATE/DELETE/MERGE (a proposal the engine runs
 * only after confirmation), read and write only tables of the schema, and name no column a table of
 * the schema lacks. The failure's text is what goes back to the model.
 */
export async function checkLlmSql(
  sql: string,
  dialect: NlDialect,
  schema: NlSchema,
  options: { signal?: AbortSignal | undefined } = {},
): Promise<CheckedLlmSql | FailedLlmSql> {
  let analysis: Awaited<ReturnType<typeof analyze>>;
  try {
    analysis = await analyze(sql, dialect, options.signal ? { signal: options.signal } : {});
  } catch (error) {
    if (options.signal?.aborted) throw new NlAbortedError(error);
    return { ok: false, error: `syntax error: ${(error as Error).message}` };
  }
  if (analysis.statements.length !== 1) {
    return { ok: false, error: `${analysis.statements.length} statements; write exactly one` };
  }
  const s = analysis.statements[0]!;
  const write = WRITES.has(s.kind);
  if (s.kind !== 'select' && !write) {
    return { ok: false, error: `a ${s.kind} statement; write one SELECT (or one INSERT, UPDATE or DELETE)` };
  }
  if (s.kind === 'select' && !s.readOnly) {
    return {
      ok: false,
      error: `the SELECT is not read-only (${s.reasons.join('; ') || 'it has an effect'}); write a plain SELECT`,
    };
  }
  const tables = new Map<string, NlTable>();
  for (const t of schema.tables) tables.set(t.name.toLowerCase(), t);
  const named = [...new Set([...s.tablesRead, ...s.tablesWritten].map(bare))];
  const unknown = named.filter((t) => !tables.has(t.toLowerCase()));
  if (unknown.length > 0) {
    return {
      ok: false,
      error: `unknown table${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')}; use only the tables listed in the schema`,
    };
  }
  const columns = unknownColumns(sql, dialect, tables, new Set(named.map((t) => t.toLowerCase())));
  if (columns.length > 0) {
    return {
      ok: false,
      error: `unknown column${columns.length === 1 ? '' : 's'} ${columns.join(', ')}; use only the columns listed in the schema`,
    };
  }
  return { ok: true, kind: s.kind, readOnly: s.readOnly, risk: s.risk, reasons: s.reasons, tables: named };
}
