// @aishell/nl (and its language models) loads only when a question is asked: `aishell query` never pays for it.
import type { NlSchema, SchemaIndex } from '@aishell/nl';
import type { SchemaInfo } from '@aishell/pool';
import type { Session, StatementResult } from './session.js';

/** Options of {@link ask}. */
export interface AskOptions {
  /** Translate and check only; run nothing. @default false */
  readonly dryRun?: boolean;
  /** Statement timeout of the read-only query, in milliseconds. @default 30000 */
  readonly timeoutMillis?: number;
  /** Below this confidence nothing is produced (NL_NO_TRANSLATION). @default 0.5 (the translator's) */
  readonly minConfidence?: number;
  /** Reference time for relative dates ("last month"). @default new Date() */
  readonly now?: Date;
  /** Introspect the schema and read the value index again (after changes made outside aishell). @default false */
  readonly refreshSchema?: boolean;
  readonly signal?: AbortSignal;
}

/** Defaults of {@link AskOptions}. */
export const ASK_DEFAULTS = Object.freeze({ timeoutMillis: 30_000 });

/** The JSON of `aishell ask --json` (PRODUCT.md); `result` is absent on a dry run. */
export interface AskResult {
  readonly question: string;
  readonly sql: string;
  readonly params: unknown[];
  readonly explanation: string;
  readonly engine: 'offline';
  readonly confidence: number;
  readonly tables: string[];
  readonly result?: StatementResult;
}

interface CachedIndex {
  readonly schema: SchemaInfo;
  readonly index: Promise<SchemaIndex>;
}

// One linking index per session, rebuilt when the session's schema changes (after DDL run through
// aishell the session introspects again and hands out a new SchemaInfo object).
const indexes = new WeakMap<Session, CachedIndex>();

/** The session's linking index: schema from the session's cache plus the value index, built once. */
export async function schemaIndexOf(
  session: Session,
  options: { refresh?: boolean; signal?: AbortSignal } = {},
): Promise<SchemaIndex> {
  const signal = options.signal ? { signal: options.signal } : {};
  const schema = await session.introspect({ ...signal, ...(options.refresh ? { refresh: true } : {}) });
  const cached = indexes.get(session);
  if (cached && cached.schema === schema && !options.refresh) return cached.index;
  const nlSchema: NlSchema = schema;
  const index = import('@aishell/nl').then(async (nl) => {
    const values = await nl.buildValueIndex(
      nlSchema,
      async (sql, params) =>
        (await session.pool.query(sql, params, options.signal ? { signal: options.signal } : {})).rows,
      signal,
    );
    return nl.buildSchemaIndex(nlSchema, { values });
  });
  indexes.set(session, { schema, index });
  index.catch(() => {
    if (indexes.get(session)?.index === index) indexes.delete(session);
  });
  return index;
}

/**
 * Answers a question in plain English: translates it offline into one parameterised SELECT, checks
 * it with @aishell/sql, then (unless `dryRun`) runs it through the session's guard inside a READ ONLY
 * transaction with a statement timeout. Throws NlNoTranslationError (NL_NO_TRANSLATION) when the
 * question cannot be answered or asks to change data.
 * @example const a = await ask(session, 'customers in Paris'); // a.sql, a.params, a.result.rows
 */
export async function ask(session: Session, question: string, options: AskOptions = {}): Promise<AskResult> {
  const index = await schemaIndexOf(session, {
    ...(options.refreshSchema ? { refresh: true } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const { translateChecked } = await import('@aishell/nl');
  const t = await translateChecked(question, index, {
    dialect: session.sqlDialect,
    ...(options.now ? { now: options.now } : {}),
    ...(options.minConfidence !== undefined ? { minConfidence: options.minConfidence } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const answer: AskResult = {
    question,
    sql: t.sql,
    params: t.params,
    explanation: t.explanation,
    engine: 'offline',
    confidence: t.confidence,
    tables: t.tables,
  };
  if (options.dryRun) return answer;
  const { results } = await session.run(t.sql, {
    params: t.params,
    readOnly: true,
    timeoutMillis: options.timeoutMillis ?? ASK_DEFAULTS.timeoutMillis,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const [result] = results;
  return result ? { ...answer, result } : answer;
}
