// @aishell/nl (and its language models) loads only when a question is asked: `aishell query` never pays for it.
import type {
  LlmContextLevel,
  LlmMessage,
  LlmProvider,
  LlmProviderName,
  LlmRepair,
  LlmTurn,
  NlSchema,
  SchemaIndex,
} from '@aishell/nl';
import type { Queryable, SchemaInfo } from '@aishell/pool';
import type { Risk } from '@aishell/sql';
import type { NlConfig } from './config.js';
import { SafetyError, UsageError } from './errors.js';
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
  /** Retries of an LLM request on 429, 5xx and connection errors, within its time limit. @default 2 */
  readonly providerMaxRetries?: number | undefined;
  /** How much of the schema a model is told. @default nl.context of the config, else 'comments' */
  readonly context?: LlmContextLevel | undefined;
  /** Upper bound of the schema part of a prompt, in estimated tokens. @default nl.tokenBudget, else 4000 */
  readonly tokenBudget?: number | undefined;
  /** Further tries after a model's answer fails its checks. @default nl.maxRepairs, else 2 */
  readonly maxRepairs?: number | undefined;
  /** The `nl` section of the config (context, tokenBudget, maxRepairs, offlineConfidence). */
  readonly nlConfig?: NlConfig | undefined;
  /**
   * Earlier turns of the conversation (the shell's follow-ups), oldest first: sent to a model
   * (bounded), and read by the offline translator when the question starts with a follow-up cue.
   */
  readonly conversation?: readonly AskTurn[] | undefined;
  /** EXPLAIN a model's SQL without running it, and repair it on failure. @default true */
  readonly explain?: boolean;
  /** The person already confirmed a write the model proposes (`--yes`). @default false */
  readonly confirmed?: boolean;
  /** Asked before a proposed write runs when not `confirmed`; false (or absent) refuses (SafetyError, exit 5). */
  readonly confirm?: (risk: Risk, reasons: readonly string[]) => Promise<boolean>;
  /**
   * Reads a vault entry (openai-api-key, anthropic-api-key) when the key's environment variable is
   * unset; the CLI hands in its vault. A missing vault or entry means no key.
   */
  readonly secret?: (entry: string) => Promise<string>;
  /**
   * Where provider settings are read: AISHELL_NL_PROVIDER, AISHELL_NL_MODEL, OPENAI_API_KEY,
   * OPENAI_BASE_URL, ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL. @default process.env
   */
  readonly env?: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
}

/** Defaults of {@link AskOptions}. */
export const ASK_DEFAULTS = Object.freeze({
  timeoutMillis: 30_000,
  /**
   * With a provider configured (AISHELL_NL_PROVIDER) but not forced by `provider`, the offline
   * translator answers first when its confidence is at least this; below it, the model is asked.
   */
  offlineConfidence: 0.8,
});

/** One earlier turn of a conversation, as the shell keeps it. */
export type AskTurn = LlmTurn & {
  /** The whole question the offline translator read (a follow-up joined to the previous one). */
  readonly understoodAs?: string | undefined;
};

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
  /** The whole question the offline translator read, when the question was a follow-up. */
  readonly understoodAs?: string;
  /** A model's answer: how many answers it took, and what each failed one failed on. */
  readonly attempts?: number;
  readonly repairs?: readonly LlmRepair[];
  /** A model's answer: the schema part sent (level, tables, those left out to fit the budget). */
  readonly context?: {
    readonly level: LlmContextLevel;
    readonly tables: readonly string[];
    readonly omitted: readonly string[];
  };
  /** A write the model proposed (it ran only after confirmation): its kind, risk and reasons. */
  readonly write?: { readonly kind: string; readonly risk: Risk; readonly reasons: readonly string[] };
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

/** The nl settings: each option, else the config's, else the default. */
function nlSettings(options: AskOptions): {
  context?: LlmContextLevel;
  tokenBudget?: number;
  maxRepairs?: number;
  offlineConfidence: number;
} {
  const c = options.nlConfig ?? {};
  const context = options.context ?? c.context;
  const tokenBudget = options.tokenBudget ?? c.tokenBudget;
  const maxRepairs = options.maxRepairs ?? c.maxRepairs;
  return {
    ...(context ? { context } : {}),
    ...(tokenBudget !== undefined ? { tokenBudget } : {}),
    ...(maxRepairs !== undefined ? { maxRepairs } : {}),
    offlineConfidence: c.offlineConfidence ?? ASK_DEFAULTS.offlineConfidence,
  };
}

/**
 * Answers a question in plain English: translates it (offline, or with the LLM provider chosen by
 * `provider` / AISHELL_NL_PROVIDER) into one parameterised statement, checks it, then (unless
 * `dryRun`) runs it. A read runs through the session's guard inside a READ ONLY transaction with a
 * statement timeout. With a provider from AISHELL_NL_PROVIDER (not forced by `provider`) the offline
 * translator answers first when its confidence reaches ASK_DEFAULTS.offlineConfidence. A model's
 * SQL is checked and repaired (see translateWithLlm), EXPLAINed without running; a write it proposes
 * runs only when `confirmed` or `confirm` says yes, else SafetyError (exit 5). Throws
 * NlNoTranslationError (NL_NO_TRANSLATION) when the question cannot be answered.
 * @example const a = await ask(session, 'customers in Paris'); // a.sql, a.params, a.result.rows
 */
export async function ask(session: Session, question: string, options: AskOptions = {}): Promise<AskResult> {
  const env = options.env ?? process.env;
  const provider = resolveAskProvider(options.provider, env);
  const signal = options.signal ? { signal: options.signal } : {};
  const settings = nlSettings(options);
  const offlineFirst = !options.provider && options.nlConfig?.offlineFirst !== false;
  // A forced provider before any schema work, so that a missing key is reported at once; a configured
  // one only when the offline translator cannot answer (a question it knows needs no key).
  let llm = provider === 'offline' || offlineFirst ? null : await llmProvider(provider, env, options);
  const index = await schemaIndexOf(session, {
    ...(options.refreshSchema ? { refresh: true } : {}),
    ...signal,
  });
  let answer: AskResult | null = null;
  if (provider === 'offline') answer = await offline(session, question, index, options);
  else if (offlineFirst) {
    // Configured, not forced: the offline translator first, when it is sure enough.
    answer = await offline(session, question, index, options).catch((error: unknown) => {
      if ((error as { code?: unknown }).code === 'NL_NO_TRANSLATION') return null;
      throw error;
    });
    if (answer && answer.confidence < settings.offlineConfidence) answer = null;
  }
  if (!answer) {
    llm ??= await llmProvider(provider as LlmProviderName, env, options);
    answer = await viaLlm(session, question, index, llm, options, settings);
  }
  if (options.dryRun) return answer;
  const timeoutMillis = options.timeoutMillis ?? ASK_DEFAULTS.timeoutMillis;
  if (answer.write) {
    const { risk, reasons } = answer.write;
    const shown = reasons.length > 0 ? reasons : [`${answer.write.kind.toUpperCase()} proposed by the model`];
    if (!options.confirmed && !(options.confirm && (await options.confirm(risk, shown)))) {
      throw new SafetyError(risk, shown);
    }
    const { results } = await session.run(answer.sql, {
      params: answer.params,
      confirmed: true,
      timeoutMillis,
      ...signal,
    });
    const [result] = results;
    return result ? { ...answer, result } : answer;
  }
  const { results } = await session.run(answer.sql, {
    params: answer.params,
    readOnly: true,
    timeoutMillis,
    ...signal,
  });
  const [result] = results;
  return result ? { ...answer, result } : answer;
}

/** What `aishell ask --show-context` prints: exactly what would be sent to the model, nothing sent. */
export interface AskContextDocument {
  readonly question: string;
  readonly provider: AskProvider;
  readonly model?: string;
  readonly level: LlmContextLevel;
  readonly tables: readonly string[];
  readonly omitted: readonly string[];
  readonly tokens: number;
  readonly tokenBudget: number;
  readonly system: string;
  readonly messages: readonly LlmMessage[];
}

/**
 * The prompt a model would get for `question` (system prompt with the schema part, the conversation,
 * the question), built as `ask` builds it; nothing is sent and no key is needed.
 */
export async function askContext(
  session: Session,
  question: string,
  options: AskOptions = {},
): Promise<AskContextDocument> {
  const env = options.env ?? process.env;
  const provider = resolveAskProvider(options.provider, env);
  const settings = nlSettings(options);
  const signal = options.signal ? { signal: options.signal } : {};
  const index = await schemaIndexOf(session, signal);
  const schema: NlSchema = await session.introspect(signal);
  const { buildLlmPrompt, LLM_PROVIDER_DEFAULTS } = await import('@aishell/nl');
  const prompt = buildLlmPrompt(question, schema, index, session.sqlDialect, {
    ...(settings.context ? { context: settings.context } : {}),
    ...(settings.tokenBudget !== undefined ? { tokenBudget: settings.tokenBudget } : {}),
    conversation: options.conversation ?? [],
  });
  const model =
    provider === 'offline'
      ? undefined
      : options.model || envValue(env, 'AISHELL_NL_MODEL') || LLM_PROVIDER_DEFAULTS.models[provider];
  return {
    question,
    provider,
    ...(model ? { model } : {}),
    level: prompt.context.level,
    tables: prompt.tables,
    omitted: prompt.omitted,
    tokens: prompt.context.tokens,
    tokenBudget: prompt.context.tokenBudget,
    system: prompt.system,
    messages: prompt.messages,
  };
}

async function offline(
  session: Session,
  question: string,
  index: SchemaIndex,
  options: AskOptions,
): Promise<AskResult> {
  const { translateFollowUp, checkTranslation } = await import('@aishell/nl');
  const last = options.conversation?.at(-1);
  const t = translateFollowUp(question, last ? (last.understoodAs ?? last.question) : undefined, index, {
    dialect: session.sqlDialect,
    ...(options.now ? { now: options.now } : {}),
    ...(options.minConfidence !== undefined ? { minConfidence: options.minConfidence } : {}),
  });
  await checkTranslation(t, session.sqlDialect, options.signal ? { signal: options.signal } : {});
  return {
    question,
    sql: t.sql,
    params: t.params,
    explanation: t.explanation,
    engine: 'offline',
    confidence: t.confidence,
    tables: t.tables,
    ...(t.understoodAs ? { understoodAs: t.understoodAs } : {}),
  };
}

// Empty variables count as unset, as a shell's `VAR= aishell ...` means.
const envValue = (env: NodeJS.ProcessEnv, name: string): string | undefined => env[name] || undefined;

async function llmProvider(
  provider: LlmProviderName,
  env: NodeJS.ProcessEnv,
  options: AskOptions,
): Promise<LlmProvider> {
  const { createLlmProvider, LLM_PROVIDER_DEFAULTS } = await import('@aishell/nl');
  const prefix = provider === 'openai' ? 'OPENAI' : 'ANTHROPIC';
  const variable = `${prefix}_API_KEY`;
  let apiKey = envValue(env, variable);
  let keySource = variable;
  const entry = LLM_PROVIDER_DEFAULTS.keyVaultEntry[provider];
  if (!apiKey && options.secret) {
    try {
      apiKey = (await options.secret(entry)) || undefined;
      keySource = `vault entry ${entry}`;
    } catch (error) {
      // No vault, or no such entry: no key (reported as such below). A locked vault says so.
      const code = (error as { code?: unknown }).code;
      if (code !== 'VAULT_NOT_FOUND' && code !== 'VAULT_ENTRY_NOT_FOUND') throw error;
    }
  }
  try {
    return createLlmProvider(provider, {
      apiKey,
      keySource,
      baseURL: envValue(env, `${prefix}_BASE_URL`),
      model: options.model || envValue(env, 'AISHELL_NL_MODEL'),
      timeoutMillis: options.providerTimeoutMillis,
      maxRetries: options.providerMaxRetries,
      ...(options.nlConfig?.temperature !== undefined ? { temperature: options.nlConfig.temperature } : {}),
    });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'NL_PROVIDER_NO_KEY') {
      (error as { hint: string }).hint =
        `set ${variable} or store it with \`aishell vault add ${entry}\`, or use --provider offline`;
    }
    throw error;
  }
}

/** Thrown to roll back the transaction of a write's EXPLAIN. */
const ROLLBACK = Symbol('rollback');

/** Language of the EXPLAIN that checks a model's SQL without running it. */
const EXPLAIN_PREFIX: Record<string, string> = {
  postgres: 'EXPLAIN',
  mysql: 'EXPLAIN',
  sqlite: 'EXPLAIN QUERY PLAN',
};

async function viaLlm(
  session: Session,
  question: string,
  index: SchemaIndex,
  llm: LlmProvider,
  options: AskOptions,
  settings: ReturnType<typeof nlSettings>,
): Promise<AskResult> {
  const { translateWithLlm } = await import('@aishell/nl');
  // The same cached introspection the index was built from: tables, columns, keys, comments.
  const schema: NlSchema = await session.introspect(options.signal ? { signal: options.signal } : {});
  const prefix = EXPLAIN_PREFIX[session.sqlDialect] ?? 'EXPLAIN';
  const t = await translateWithLlm(question, schema, index, llm, {
    dialect: session.sqlDialect,
    ...(settings.context ? { context: settings.context } : {}),
    ...(settings.tokenBudget !== undefined ? { tokenBudget: settings.tokenBudget } : {}),
    ...(settings.maxRepairs !== undefined ? { maxRepairs: settings.maxRepairs } : {}),
    conversation: options.conversation ?? [],
    ...(options.explain === false
      ? {}
      : {
          // EXPLAIN without ANALYZE plans and never runs, on a connection of its own, outside history
          // and the cache: a read in a READ ONLY transaction; a proposed write in one rolled back
          // (MariaDB refuses EXPLAIN DELETE in a READ ONLY transaction).
          explain: async (
            sql: string,
            params: readonly unknown[],
            how: { signal?: AbortSignal | undefined; readOnly: boolean },
          ) => {
            const signal = how.signal ? { signal: how.signal } : {};
            const plan = (conn: Queryable) => conn.query(`${prefix} ${sql}`, params, signal);
            if (how.readOnly) {
              await session.pool.transaction(plan, { readOnly: true, ...signal });
              return;
            }
            await session.pool
              .transaction(async (conn) => {
                await plan(conn);
                throw ROLLBACK;
              }, signal)
              .catch((error: unknown) => {
                if (error !== ROLLBACK) throw error;
              });
          },
        }),
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
    attempts: t.attempts,
    repairs: t.repairs,
    context: { level: t.context.level, tables: t.context.tables, omitted: t.context.omitted },
    ...(t.kind === 'select' ? {} : { write: { kind: t.kind, risk: t.risk, reasons: t.reasons } }),
  };
}
