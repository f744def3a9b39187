// @aishell/nl (and its language models) loads only when a question is asked: `aishell query` never pays for it.
import type { LlmProvider, LlmProviderName, NlSchema, SchemaIndex } from '@aishell/nl';
import type { SchemaInfo } from '@aishell/pool';
import { UsageError } from './errors.js';
import type { Session } from './session.js';
import type { StatementResult } from './statement-result.js';

/** Who translates a question: the offline translator or an LLM provider. */
export type AskProvider = 'offline' | LlmProviderName;

const PROVIDERS: readonly AskProvider[] = ['offline', 'openai', 'anthropic'];

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
  /** Translator. @default env.AISHELL_NL_PROVIDER, else 'offline' */
  readonly provider?: AskProvider | undefined;
  /** Model of an LLM provider. @default env.AISHELL_NL_MODEL, else the provider's default (LLM_PROVIDER_DEFAULTS) */
  readonly model?: string | undefined;
  /** Time limit of one request to an LLM provider, in milliseconds. @default 60000 */
  readonly providerTimeoutMillis?: number | undefined;
  /** Retries of an LLM request on 429, 5xx, connection errors and timeouts. @default 2 */
  readonly providerMaxRetries?: number | undefined;
  /**
   * Where provider settings are read: AISHELL_NL_PROVIDER, AISHELL_NL_MODEL, OPENAI_API_KEY,
   * OPENAI_BASE_URL, ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL. @default process.env
   */
  readonly env?: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
}

/** Defaults of {@link AskOptions}. */
export const ASK_DEFAULTS = Object.freeze({ timeoutMillis: 30_000 });

/** The translator to use: the explicit choice, then AISHELL_NL_PROVIDER, then offline. */
export function resolveAskProvider(
  provider: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): AskProvider {
  const chosen = provider || env.AISHELL_NL_PROVIDER || 'offline';
  if ((PROVIDERS as readonly string[]).includes(chosen)) return chosen as AskProvider;
  throw new UsageError(
    `unknown translator "${chosen}"${provider ? '' : ' (from AISHELL_NL_PROVIDER)'}: use offline, openai or anthropic`,
    { hint: 'aishell ask --provider offline|openai|anthropic' },
  );
}

/** The JSON of `aishell ask --json` (PRODUCT.md); `result` is absent on a dry run. */
export interface AskResult {
  readonly question: string;
  readonly sql: string;
  readonly params: unknown[];
  readonly explanation: string;
  /** Which translator answered. */
  readonly engine: AskProvider;
  /** The model, when an LLM provider answered. */
  readonly model?: string;
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
 * Answers a question in plain English: translates it (offline, or with the LLM provider chosen by
 * `provider` / AISHELL_NL_PROVIDER) into one parameterised SELECT, checks it with @aishell/sql, then
 * (unless `dryRun`) runs it through the session's guard inside a READ ONLY transaction with a
 * statement timeout. Throws NlNoTranslationError (NL_NO_TRANSLATION) when the question cannot be
 * answered, asks to change data, or the model's SQL is not one read-only SELECT.
 * @example const a = await ask(session, 'customers in Paris'); // a.sql, a.params, a.result.rows
 */
export async function ask(session: Session, question: string, options: AskOptions = {}): Promise<AskResult> {
  const env = options.env ?? process.env;
  const provider = resolveAskProvider(options.provider, env);
  const signal = options.signal ? { signal: options.signal } : {};
  // Before any schema work, so that a missing key is reported at once.
  const llm = provider === 'offline' ? null : await llmProvider(provider, env, options);
  const index = await schemaIndexOf(session, {
    ...(options.refreshSchema ? { refresh: true } : {}),
    ...signal,
  });
  const answer = llm
    ? await viaLlm(session, question, index, llm, options)
    : await offline(session, question, index, options);
  if (options.dryRun) return answer;
  const { results } = await session.run(answer.sql, {
    params: answer.params,
    readOnly: true,
    timeoutMillis: options.timeoutMillis ?? ASK_DEFAULTS.timeoutMillis,
    ...signal,
  });
  const [result] = results;
  return result ? { ...answer, result } : answer;
}

async function offline(
  session: Session,
  question: string,
  index: SchemaIndex,
  options: AskOptions,
): Promise<AskResult> {
  const { translateChecked } = await import('@aishell/nl');
  const t = await translateChecked(question, index, {
    dialect: session.sqlDialect,
    ...(options.now ? { now: options.now } : {}),
    ...(options.minConfidence !== undefined ? { minConfidence: options.minConfidence } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return {
    question,
    sql: t.sql,
    params: t.params,
    explanation: t.explanation,
    engine: 'offline',
    confidence: t.confidence,
    tables: t.tables,
  };
}

// Empty variables count as unset, as a shell's `VAR= aishell ...` means.
const envValue = (env: NodeJS.ProcessEnv, name: string): string | undefined => env[name] || undefined;

async function llmProvider(
  provider: LlmProviderName,
  env: NodeJS.ProcessEnv,
  options: AskOptions,
): Promise<LlmProvider> {
  const { createLlmProvider } = await import('@aishell/nl');
  const prefix = provider === 'openai' ? 'OPENAI' : 'ANTHROPIC';
  return createLlmProvider(provider, {
    apiKey: envValue(env, `${prefix}_API_KEY`),
    baseURL: envValue(env, `${prefix}_BASE_URL`),
    model: options.model || envValue(env, 'AISHELL_NL_MODEL'),
    timeoutMillis: options.providerTimeoutMillis,
    maxRetries: options.providerMaxRetries,
  });
}

async function viaLlm(
  session: Session,
  question: string,
  index: SchemaIndex,
  llm: LlmProvider,
  options: AskOptions,
): Promise<AskResult> {
  const { translateWithLlm } = await import('@aishell/nl');
  // The same cached introspection the index was built from: tables, columns, keys, comments.
  const schema: NlSchema = await session.introspect(options.signal ? { signal: options.signal } : {});
  const t = await translateWithLlm(question, schema, index, llm, {
    dialect: session.sqlDialect,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return {
    question,
    sql: t.sql,
    params: t.params,
    explanation: t.explanation,
    engine: t.provider,
    model: t.model,
    confidence: t.confidence,
    tables: t.tables,
  };
}
