import type { SqlDialect } from './types.js';

/** The parts of libpg-query aishell uses. */
export interface PostgresParser {
  parseSync(query: string): {
    stmts?: { stmt?: Record<string, unknown>; stmt_location?: number; stmt_len?: number }[];
  };
  fingerprintSync(query: string): string;
  normalizeSync(query: string): string;
}

/** The part of node-sql-parser's Parser aishell uses. */
export interface NodeSqlParser {
  astify(sql: string, options?: { database?: string }): unknown;
}

interface Loaded {
  postgres?: PostgresParser;
  mysql?: NodeSqlParser;
  sqlite?: NodeSqlParser;
}

// One parser per dialect per process: the WASM module and the generated grammars are stateless and
// expensive to load (~100 ms each), so they are kept once loaded. They are loaded on first use only.
const loaded: Loaded = {};
const loading = new Map<SqlDialect, Promise<void>>();

async function load(dialect: SqlDialect): Promise<void> {
  if (dialect === 'postgres') {
    const mod = await import('libpg-query');
    await mod.loadModule();
    loaded.postgres = mod;
    return;
  }
  // The per-dialect builds alone: the full bundle holds every grammar and is several times larger.
  const mod =
    dialect === 'mysql'
      ? await import('node-sql-parser/build/mysql.js')
      : await import('node-sql-parser/build/sqlite.js');
  const ParserClass =
    (mod as unknown as { default?: { Parser: new () => NodeSqlParser }; Parser?: new () => NodeSqlParser })
      .Parser ?? (mod as unknown as { default: { Parser: new () => NodeSqlParser } }).default.Parser;
  loaded[dialect] = new ParserClass();
}

/** Loads the parser of `dialect` (once); afterwards `analyzeSync(sql, dialect)` works. */
export function loadParser(dialect: SqlDialect): Promise<void> {
  if (loaded[dialect] !== undefined) return Promise.resolve();
  let p = loading.get(dialect);
  if (p === undefined) {
    p = load(dialect).finally(() => loading.delete(dialect));
    loading.set(dialect, p);
  }
  return p;
}

/** True once `loadParser(dialect)` has finished. */
export function isParserLoaded(dialect: SqlDialect): boolean {
  return loaded[dialect] !== undefined;
}

/** The loaded PostgreSQL parser, or undefined. */
export function postgresParser(): PostgresParser | undefined {
  return loaded.postgres;
}

/** The loaded node-sql-parser for MySQL or SQLite, or undefined. */
export function nodeSqlParser(dialect: 'mysql' | 'sqlite'): NodeSqlParser | undefined {
  return loaded[dialect];
}
