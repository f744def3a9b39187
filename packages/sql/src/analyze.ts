import {
  lineAndColumn,
  maskLiteral,
  SqlAbortedError,
  SqlParseError,
  SqlParserNotLoadedError,
} from './errors.js';
import { analyzeLexically, knownLeadingWord } from './lexical-analyzer.js';
import { analyzeNodeSqlStatement } from './node-sql-analyzer.js';
import { foldNormalized, normalizeStatement, textFingerprint } from './normalize-statement.js';
import { loadParser, nodeSqlParser, type PostgresParser, postgresParser } from './parser-loader.js';
import { analyzePostgresStatement, constantOffsets } from './postgres-analyzer.js';
import { FactCollector } from './risk.js';
import { type StatementTokens, splitStatementTokens } from './split-statements.js';
import { tokenize, upperWord } from './sql-lexer.js';
import type { Analysis, SqlDialect, StatementAnalysis } from './types.js';

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
    spans.forEach((span, index) => {
      statements.push(...analyzePostgresSpan(pg, sql, span, index));
    });
  } else {
    const parser = nodeSqlParser(dialect);
    if (parser === undefined) throw new SqlParserNotLoadedError(dialect);
    spans.forEach((span, index) => {
      statements.push(analyzeNodeSqlSpan(parser.astify.bind(parser), sql, span, index, dialect));
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
  if (stmts.length <= 1) {
    const stmt = stmts[0]?.stmt;
    const facts = stmt === undefined ? new FactCollector() : analyzePostgresStatement(stmt);
    // tokens keep offsets into the whole input: fold with it, and shift the parser's constants there
    const normalized = foldNormalized(
      sql,
      span.tokens,
      'postgres',
      constantOffsets(stmt, span.text, span.start),
    );
    return [withPostgresFingerprint(pg, { text: span.text, ...facts.facts(), normalized })];
  }
  // The splitter kept together what PostgreSQL reads as several statements: follow the parser.
  const bytes = Buffer.from(span.text, 'utf8');
  return stmts.map((s) => {
    const start = s.stmt_location ?? 0;
    const end = s.stmt_len === undefined || s.stmt_len === 0 ? bytes.length : start + s.stmt_len;
    const text = bytes.subarray(start, end).toString('utf8').trim();
    return postgresStatement(pg, text, s.stmt);
  });
}

function postgresStatement(
  pg: PostgresParser,
  text: string,
  stmt: Record<string, unknown> | undefined,
): StatementAnalysis {
  const facts = stmt === undefined ? new FactCollector() : analyzePostgresStatement(stmt);
  const normalized = normalizeStatement(pg.normalizeSync(text), 'postgres');
  return withPostgresFingerprint(pg, { text, ...facts.facts(), normalized });
}

/**
 * Adds libpg_query's fingerprint as an enumerable property computed on first read. The guard needs
 * kind and risk before a statement is sent; the fingerprint is for caches, metrics and `sql analyze`,
 * and its first computation in a process costs about 13 ms of WebAssembly warm-up that a one-shot
 * `aishell query` would otherwise spend before its statement leaves.
 */
function withPostgresFingerprint(
  pg: PostgresParser,
  analysis: Omit<StatementAnalysis, 'fingerprint'>,
): StatementAnalysis {
  let fingerprint: string | undefined;
  return Object.defineProperty(analysis, 'fingerprint', {
    enumerable: true,
    configurable: true,
    get: () => {
      fingerprint ??= pg.fingerprintSync(analysis.text);
      return fingerprint;
    },
  }) as StatementAnalysis;
}

interface NodeSqlFailure {
  message: string;
  location?: { start?: { offset?: number } };
}

function analyzeNodeSqlSpan(
  astify: (sql: string, options?: { database?: string }) => unknown,
  sql: string,
  span: StatementTokens,
  index: number,
  dialect: 'mysql' | 'sqlite',
): StatementAnalysis {
  // node-sql-parser reads offsets relative to the text it is given: pass the span's own text.
  // Tokens keep offsets into the whole input `sql`.
  const text = span.text;
  const local = span.tokens;
  let facts: FactCollector | undefined;
  let lexicalReason = '';
  if (local.length > 0 && local.every((t) => t.type === 'exec-comment')) {
    // mysqldump's /*!40101 SET NAMES utf8 */: MySQL runs the comment's content; read that.
    const inner = local
      .map((t) =>
        sql
          .slice(t.start, t.end)
          .replace(/^\/\*!\d*/, '')
          .replace(/\*\/$/, ''),
      )
      .join(' ');
    facts = analyzeLexically(inner, tokenize(inner, dialect), dialect);
    facts.find('low', 'classified lexically: MySQL executable comment', false);
    const normalized = foldNormalized(sql, local, dialect);
    return { text, ...facts.facts(), fingerprint: textFingerprint(normalized, dialect), normalized };
  }
  try {
    const ast = astify(text, { database: dialect === 'mysql' ? 'mysql' : 'sqlite' });
    const node = Array.isArray(ast) ? (ast.length === 1 ? ast[0] : undefined) : ast;
    if (node !== undefined && node !== null && typeof node === 'object') {
      facts = analyzeNodeSqlStatement(node as Record<string, unknown>, dialect);
    }
  } catch (error) {
    const failure = error as NodeSqlFailure;
    const unterminated = local.find((t) => t.unterminated && t.type !== 'comment');
    const lead = upperWord(
      sql,
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
      throw parseError(sql, failure.message ?? String(error), position, index, error);
    }
    lexicalReason = `classified lexically: node-sql-parser (${dialect}) does not parse this statement`;
  }
  if (facts === undefined) {
    facts = analyzeLexically(sql, local, dialect);
    if (lexicalReason !== '') facts.find('low', lexicalReason, false);
  }
  const normalized = foldNormalized(sql, local, dialect);
  return { text, ...facts.facts(), fingerprint: textFingerprint(normalized, dialect), normalized };
}
