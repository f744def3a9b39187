import { foldCanonical } from './canonical-statement.js';
import type { DynamicSqlContext } from './dynamic-sql.js';
import {
  lineAndColumn,
  maskLiteral,
  SqlAbortedError,
  SqlParseError,
  SqlParserNotLoadedError,
} from './errors.js';
import { expandExecutableComments, MAX_EXECUTABLE_COMMENT_DEPTH } from './expand-executable-comments.js';
import { analyzeLexically, knownLeadingWord } from './lexical-analyzer.js';
import { analyzeNodeSqlStatement } from './node-sql-analyzer.js';
import { foldNormalized, textFingerprint } from './normalize-statement.js';
import { loadParser, nodeSqlParser, type PostgresParser, postgresParser } from './parser-loader.js';
import { analyzePostgresStatement, charOffsets, constantOffsets } from './postgres-analyzer.js';
import { PreparedStatements } from './prepared-statements.js';
import { FactCollector } from './risk.js';
import { type StatementTokens, splitStatementTokens } from './split-statements.js';
import { type Token, upperWord } from './sql-lexer.js';
import type { Analysis, SqlDialect, StatementAnalysis } from './types.js';
import { scanVolatility } from './volatility.js';

/** Options of `analyze`. */
export interface AnalyzeOptions {
  /** Aborts loading the parser; the analysis itself is synchronous and short. */
  signal?: AbortSignal;
}

/**
 * Analyzes every statement of `sql`: kind, read-only, tables read and written, risk with reasons,
 * fingerprint and normalized text. Loads the dialect's parser on first use.
 * @example const { statements } = await analyze('DELETE FROM users', 'postgres'); // risk 'critical'
 */
export async function analyze(
  sql: string,
  dialect: SqlDialect,
  options: AnalyzeOptions = {},
): Promise<Analysis> {
  const { signal } = options;
  if (signal?.aborted) throw new SqlAbortedError({ cause: signal.reason });
  await abortable(loadParser(dialect), signal);
  return analyzeSync(sql, dialect);
}

function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return p;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new SqlAbortedError({ cause: signal.reason }));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** `analyze` without loading: throws `SqlParserNotLoadedError` unless `loadParser(dialect)` has run. */
export function analyzeSync(sql: string, dialect: SqlDialect): Analysis {
  const spans = splitStatementTokens(sql, dialect);
  const statements: StatementAnalysis[] = [];
  if (dialect === 'postgres') {
    const pg = postgresParser();
    if (pg === undefined) throw new SqlParserNotLoadedError(dialect);
    const prepared = new PreparedStatements(false);
    spans.forEach((span, index) => {
      statements.push(...analyzePostgresSpan(pg, sql, span, index, prepared));
    });
  } else {
    const parser = nodeSqlParser(dialect);
    if (parser === undefined) throw new SqlParserNotLoadedError(dialect);
    const run = new NodeSqlRun(parser.astify.bind(parser), dialect);
    spans.forEach((span, index) => {
      statements.push(run.statement(sql, span, index));
    });
  }
  return { dialect, statements };
}

function parseError(
  sql: string,
  message: string,
  position: number,
  statementIndex: number,
  cause: unknown,
): SqlParseError {
  const { line, column } = lineAndColumn(sql, position);
  return new SqlParseError(maskLiteral(message), { position, line, column, statementIndex }, { cause });
}

function analyzePostgresSpan(
  pg: PostgresParser,
  sql: string,
  span: StatementTokens,
  index: number,
  prepared: PreparedStatements,
): StatementAnalysis[] {
  let tree: ReturnType<PostgresParser['parseSync']>;
  try {
    tree = pg.parseSync(span.text);
  } catch (error) {
    const details = (error as { sqlDetails?: { cursorPosition?: number; message?: string } }).sqlDetails;
    const message = details?.message ?? (error instanceof Error ? error.message : String(error));
    throw parseError(sql, message, span.start + (details?.cursorPosition ?? 0), index, error);
  }
  const stmts = tree.stmts ?? [];
  const facts = (stmt: Record<string, unknown> | undefined): FactCollector =>
    stmt === undefined ? new FactCollector() : analyzePostgresStatement(stmt, prepared);
  if (stmts.length <= 1) {
    const stmt = stmts[0]?.stmt;
    // tokens keep offsets into the whole input: fold with it, and shift the parser's constants there
    const normalized = foldNormalized(
      sql,
      span.tokens,
      'postgres',
      constantOffsets(stmt, span.text, span.start),
    );
    const found = facts(stmt);
    scanVolatility(sql, span.tokens, found);
    preparedVolatility(stmt, found, prepared);
    const analysis = withPostgresFingerprint(pg, { text: span.text, ...found.facts(), normalized });
    return [withCanonical(analysis, sql, span.tokens, 'postgres')];
  }
  // The splitter kept together what PostgreSQL reads as several statements: follow the parser.
  const bytes = Buffer.from(span.text, 'utf8');
  return stmts.map((s) => {
    const start = s.stmt_location ?? 0;
    const end = s.stmt_len === undefined || s.stmt_len === 0 ? bytes.length : start + s.stmt_len;
    const text = bytes.subarray(start, end).toString('utf8').trim();
    const [from, to] = charOffsets(span.text, [start, end]).map((c) => span.start + c) as [number, number];
    const tokens = span.tokens.filter((t) => t.start >= from && t.end <= to);
    const normalized = foldNormalized(
      sql,
      tokens,
      'postgres',
      constantOffsets(s.stmt, span.text, span.start),
    );
    const found = facts(s.stmt);
    scanVolatility(sql, tokens, found);
    preparedVolatility(s.stmt, found, prepared);
    return withCanonical(
      withPostgresFingerprint(pg, { text, ...found.facts(), normalized }),
      sql,
      tokens,
      'postgres',
    );
  });
}

/** A PREPARE whose text is volatile prepares a volatile statement: its EXECUTE is volatile too. */
function preparedVolatility(
  stmt: Record<string, unknown> | undefined,
  found: FactCollector,
  prepared: PreparedStatements,
): void {
  const name = (stmt?.PrepareStmt as { name?: unknown } | undefined)?.name;
  if (typeof name === 'string' && found.facts().volatile) prepared.get(name)?.markVolatile();
}

/**
 * Adds libpg_query's fingerprint as an enumerable property computed on first read. The guard needs
 * kind and risk before a statement is sent; the fingerprint is for caches, metrics and `sql analyze`,
 * and its first computation in a process costs about 13 ms of WebAssembly warm-up that a one-shot
 * `aishell query` would otherwise spend before its statement leaves.
 */
function withPostgresFingerprint(
  pg: PostgresParser,
  analysis: Omit<StatementAnalysis, 'fingerprint' | 'canonical'>,
): Omit<StatementAnalysis, 'canonical'> {
  let fingerprint: string | undefined;
  return Object.defineProperty(analysis, 'fingerprint', {
    enumerable: true,
    configurable: true,
    get: () => {
      fingerprint ??= pg.fingerprintSync(analysis.text);
      return fingerprint;
    },
  }) as Omit<StatementAnalysis, 'canonical'>;
}

/**
 * Adds the canonical text (the result cache's key, see foldCanonical) as a property computed on first
 * read from the tokens the analysis already has: no second parse, and nothing for a statement that is
 * never looked up. Not enumerable, so that `sql analyze --json` and the history stay as they were.
 */
function withCanonical(
  analysis: Omit<StatementAnalysis, 'canonical'>,
  sql: string,
  tokens: readonly Token[],
  dialect: SqlDialect,
): StatementAnalysis {
  let canonical: string | undefined;
  return Object.defineProperty(analysis, 'canonical', {
    enumerable: false,
    configurable: true,
    get: () => {
      canonical ??= foldCanonical(sql, tokens, dialect, [...analysis.tablesRead, ...analysis.tablesWritten]);
      return canonical;
    },
  }) as StatementAnalysis;
}

interface NodeSqlFailure {
  message: string;
  location?: { start?: { offset?: number } };
}

/** Why node-sql-parser and the lexical classification both gave up on a statement. */
interface Rejection {
  readonly message: string;
  /** Offset in the text the statement was cut from. */
  readonly position: number;
  readonly cause: unknown;
}

type SpanResult =
  | { readonly facts: FactCollector; readonly normalized: string; readonly rejection?: undefined }
  | { readonly rejection: Rejection };

/** One MySQL or SQLite `analyze` call: the parser, and the statements prepared so far. */
class NodeSqlRun {
  readonly #astify: (sql: string, options?: { database?: string }) => unknown;
  readonly #dialect: 'mysql' | 'sqlite';
  readonly #prepared: PreparedStatements;

  constructor(
    astify: (sql: string, options?: { database?: string }) => unknown,
    dialect: 'mysql' | 'sqlite',
  ) {
    this.#astify = astify;
    this.#dialect = dialect;
    this.#prepared = new PreparedStatements(true);
  }

  /** The analysis of one statement of the input `sql`. */
  statement(sql: string, span: StatementTokens, index: number): StatementAnalysis {
    const result = this.#span(sql, span, this.#prepared);
    if (result.rejection !== undefined) {
      const { message, position, cause } = result.rejection;
      throw parseError(sql, message, position, index, cause);
    }
    const { facts, normalized } = result;
    const analysis = {
      text: span.text,
      ...facts.facts(),
      fingerprint: textFingerprint(normalized, this.#dialect),
      normalized,
    };
    return withCanonical(analysis, sql, span.tokens, this.#dialect);
  }

  /**
   * One statement of `source`. MySQL and MariaDB run the content of executable comments (`/*! ... *\/`,
   * `/*!50700 ... *\/`, `/*M! ... *\/`) as SQL: their markers are blanked (same length, so offsets
   * hold) and the result is what is analyzed and normalized. If that holds several statements
   * (`SELECT 1 /*!; DROP TABLE t *\/`), the worst of them counts.
   */
  #span(source: string, span: StatementTokens, prepared: PreparedStatements): SpanResult {
    if (this.#dialect !== 'mysql' || !span.tokens.some((t) => t.type === 'exec-comment'))
      return this.#part(source, span, prepared);
    // the server rejects a comment left open; and one nested too deep is not worth the time to open
    const open = span.tokens.find((t) => t.type === 'exec-comment' && t.unterminated);
    const expanded = open === undefined ? expandExecutableComments(span.text) : undefined;
    if (expanded === undefined) {
      const message =
        open === undefined
          ? `executable comments nested more than ${MAX_EXECUTABLE_COMMENT_DEPTH} deep`
          : 'unterminated executable comment';
      return { rejection: { message, position: open?.start ?? span.start, cause: undefined } };
    }
    const parts: FactCollector[] = [];
    const normalized: string[] = [];
    for (const part of splitStatementTokens(expanded, 'mysql')) {
      const result = this.#part(expanded, part, prepared);
      if (result.rejection !== undefined)
        return { rejection: { ...result.rejection, position: span.start + result.rejection.position } };
      parts.push(result.facts);
      normalized.push(result.normalized);
    }
    const facts = FactCollector.worst(parts);
    facts.find('low', 'MySQL executable comment: analyzed as the SQL the server runs', false);
    if (parts.length > 1)
      facts.find('low', `the executable comments make ${parts.length} statements: the worst counts`, false);
    return { facts, normalized: normalized.join('; ') };
  }

  /** One statement without executable comments: node-sql-parser's tree, else the lexical classification. */
  #part(source: string, span: StatementTokens, prepared: PreparedStatements): SpanResult {
    // node-sql-parser reads offsets relative to the text it is given: pass the span's own text.
    // Tokens keep offsets into `source`.
    const dialect = this.#dialect;
    const local = span.tokens;
    let facts: FactCollector | undefined;
    let lexicalReason = '';
    try {
      const ast = this.#astify(span.text, { database: dialect === 'mysql' ? 'mysql' : 'sqlite' });
      const node = Array.isArray(ast) ? (ast.length === 1 ? ast[0] : undefined) : ast;
      if (node !== undefined && node !== null && typeof node === 'object') {
        facts = analyzeNodeSqlStatement(node as Record<string, unknown>, dialect);
      }
    } catch (error) {
      const failure = error as NodeSqlFailure;
      const unterminated = local.find((t) => t.unterminated && t.type !== 'comment');
      const lead = upperWord(
        source,
        local.find((t) => t.type === 'word'),
      );
      if (
        unterminated !== undefined ||
        !knownLeadingWord(lead) ||
        typeof failure.location?.start?.offset !== 'number'
      ) {
        const localOffset = failure.location?.start?.offset;
        const position =
          localOffset !== undefined ? span.start + localOffset : (unterminated?.start ?? span.start);
        return { rejection: { message: failure.message ?? String(error), position, cause: error } };
      }
      lexicalReason = `classified lexically: node-sql-parser (${dialect}) does not parse this statement`;
    }
    if (facts === undefined) {
      facts = analyzeLexically(source, local, dialect, this.#dynamic(prepared));
      if (lexicalReason !== '') facts.find('low', lexicalReason, false);
    }
    scanVolatility(source, local, facts);
    return { facts, normalized: foldNormalized(source, local, dialect) };
  }

  /** What the lexical classification needs to analyze the SQL that PREPARE and EXECUTE IMMEDIATE hold. */
  #dynamic(prepared: PreparedStatements): DynamicSqlContext {
    return {
      prepared,
      analyze: (text, inner) => {
        const parts: FactCollector[] = [];
        for (const span of splitStatementTokens(text, this.#dialect)) {
          const result = this.#span(text, span, inner);
          if (result.rejection !== undefined) return undefined;
          parts.push(result.facts);
        }
        return FactCollector.worst(parts);
      },
    };
  }
}
