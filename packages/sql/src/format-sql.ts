import { maskLiteral, SqlAbortedError, SqlFormatError } from './errors.js';
import type { SqlDialect } from './types.js';

/** Options of `formatSql`. */
export interface FormatSqlOptions {
  /** Case of keywords. @default 'upper' */
  keywordCase?: 'upper' | 'lower' | 'preserve';
  /** Spaces per indentation level. @default 2 */
  indentWidth?: number;
  /** Empty lines between statements. @default 1 */
  linesBetweenStatements?: number;
  /** Aborts loading the formatter. */
  signal?: AbortSignal;
}

/** Defaults of `FormatSqlOptions`. */
export const FORMAT_SQL_DEFAULTS = Object.freeze({
  keywordCase: 'upper',
  indentWidth: 2,
  linesBetweenStatements: 1,
} as const satisfies Required<Omit<FormatSqlOptions, 'signal'>>);

const LANGUAGE: Readonly<Record<SqlDialect, 'postgresql' | 'mysql' | 'sqlite'>> = {
  postgres: 'postgresql',
  mysql: 'mysql',
  sqlite: 'sqlite',
};

/**
 * Formats `sql` with sql-formatter in the dialect's grammar (loaded on first use).
 * @example await formatSql('select a,b from t where x=1', 'postgres') // 'SELECT\n  a,\n  b\nFROM ...'
 */
export async function formatSql(
  sql: string,
  dialect: SqlDialect,
  options: FormatSqlOptions = {},
): Promise<string> {
  const { signal } = options;
  if (signal?.aborted) throw new SqlAbortedError({ cause: signal.reason });
  const { format } = await import('sql-formatter');
  if (signal?.aborted) throw new SqlAbortedError({ cause: signal.reason });
  try {
    return format(sql, {
      language: LANGUAGE[dialect],
      keywordCase: options.keywordCase ?? FORMAT_SQL_DEFAULTS.keywordCase,
      tabWidth: options.indentWidth ?? FORMAT_SQL_DEFAULTS.indentWidth,
      linesBetweenQueries: options.linesBetweenStatements ?? FORMAT_SQL_DEFAULTS.linesBetweenStatements,
    });
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
    throw new SqlFormatError(maskLiteral(message), { cause: error });
  }
}
