import type { Risk, StatementKind } from '@aishell/sql';
import { checkLlmSql } from './check-llm-sql.js';
import { type LlmProviderName, NlAbortedError, NlNoTranslationError } from './errors.js';
import type { LlmContext } from './llm-context.js';
import { type BuildLlmPromptOptions, buildLlmPrompt } from './llm-prompt.js';
import type { LlmMessage, LlmProvider } from './llm-provider.js';
import type { NlDialect, NlSchema } from './nl-schema.js';
import type { SchemaIndex } from './schema-index.js';

/** Options of {@link translateWithLlm}. */
export interface TranslateWithLlmOptions extends BuildLlmPromptOptions {
  /** SQL dialect to write. */
  readonly dialect: NlDialect;
  /** Further tries after a failed check, each with the failure sent back. @default 2 */
  readonly maxRepairs?: number;
  /**
   * EXPLAINs the SQL without running it (handed in by the engine); throws with the database's
   * message when the database refuses it (an unknown column, a type error).
   */
  readonly explain?: (
    sql: string,
    params: readonly unknown[],
    options: { readonly signal?: AbortSignal | undefined; readonly readOnly: boolean },
  ) => Promise<void>;
  readonly signal?: AbortSignal;
}

/** Defaults of the LLM translation. */
export const TRANSLATE_WITH_LLM_DEFAULTS = Object.freeze({
  /** The confidence of an answer whose model gave none (or not a number). */
  confidence: 0.7,
  /** Further tries after an answer fails its checks. */
  maxRepairs: 2,
});

/** One failed try of the repair loop. */
export interface LlmRepair {
  /** 1 for the first answer. */
  readonly attempt: number;
  /** The SQL of that answer ("" when it had none). */
  readonly sql: string;
  /** What it failed on, as sent back to the model. */
  readonly error: string;
}

/** A question turned into one parameterised statement by a language model. */
export interface LlmTranslation {
  /** SQL in the dialect, values as positional parameters (`$1` for postgres, `?` otherwise). */
  readonly sql: string;
  readonly params: unknown[];
  /** What the SQL does, in plain English (the model's words). */
  readonly explanation: string;
  /** 0..1: the model's own estimate, clamped; {@link TRANSLATE_WITH_LLM_DEFAULTS}.confidence when it gave none. */
  readonly confidence: number;
  /** Tables the SQL reads and writes, as @aishell/sql found them. */
  readonly tables: string[];
  /** The provider and model that answered. */
  readonly provider: LlmProviderName;
  readonly model: string;
  /** `select`, or the kind of write proposed (which runs only after confirmation). */
  readonly kind: StatementKind;
  readonly readOnly: boolean;
  readonly risk: Risk;
  readonly reasons: readonly string[];
  /** Answers asked for (1 when the first passed). */
  readonly attempts: number;
  /** What each failed answer failed on. */
  readonly repairs: readonly LlmRepair[];
  /** The schema part sent: level, tables, those left out to fit the budget. */
  readonly context: Pick<LlmContext, 'level' | 'tables' | 'omitted' | 'tokens' | 'tokenBudget'>;
}

/** Every answer of the model failed its checks: the last SQL and what each failed on. */
export class NlRepairFailedError extends NlNoTranslationError {
  readonly sql: string;
  readonly attempts: number;
  readonly repairs: readonly LlmRepair[];

  constructor(provider: LlmProviderName, repairs: readonly LlmRepair[]) {
    const last = repairs[repairs.length - 1]!;
    super(
      `the ${provider} model's answer failed its checks ${repairs.length === 1 ? 'once' : `${repairs.length} times in a row`}, nothing ran; last: ${last.error}${last.sql ? `; last SQL: ${last.sql}` : ''}`,
      { suggestions: [], hint: HINT },
    );
    this.name = 'NlRepairFailedError';
    this.sql = last.sql;
    this.attempts = repairs.length;
    this.repairs = repairs;
  }
}

const HINT = 'ask again in other words, try another --model, or use --provider offline';

function refuse(message: string): NlNoTranslationError {
  return new NlNoTranslationError(message, { suggestions: [], hint: HINT });
}

/** The JSON object in a model's answer: an object as is, else the first {...} of the text (fences and prose around it are common). */
function answerObject(raw: unknown): Record<string, unknown> | null {
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) return raw as Record<string, unknown>;
  if (typeof raw !== 'string') return null;
  const start = raw.indexOf('{');
  const end = raw.lastIndexOf('}');
  if (start === -1 || end < start) return null;
  try {
    const parsed: unknown = JSON.parse(raw.slice(start, end + 1));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

const isScalar = (v: unknown): boolean => v === null || ['string', 'number', 'boolean'].includes(typeof v);

type Outcome =
  | { readonly ok: true; readonly translation: Omit<LlmTranslation, 'attempts' | 'repairs' | 'context'> }
  | { readonly ok: false; readonly sql: string; readonly error: string };

/** One answer held to the rules: a translation, a failure to send back, or (declined) a refusal thrown. */
async function checkAnswer(
  raw: unknown,
  schema: NlSchema,
  provider: LlmProvider,
  options: TranslateWithLlmOptions,
): Promise<Outcome> {
  const answer = answerObject(raw);
  if (!answer)
    return { ok: false, sql: '', error: 'the answer is not JSON; answer with the JSON object only' };
  const sql = typeof answer.sql === 'string' ? answer.sql.trim().replace(/;\s*$/, '') : null;
  const explanation = typeof answer.explanation === 'string' ? answer.explanation.trim() : '';
  if (sql === null) return { ok: false, sql: '', error: 'the answer has no "sql"' };
  if (sql === '') {
    throw refuse(
      explanation
        ? `the ${provider.name} model wrote no SQL: ${explanation}`
        : `the ${provider.name} model wrote no SQL`,
    );
  }
  const params = answer.params === undefined || answer.params === null ? [] : answer.params;
  if (!Array.isArray(params) || !params.every(isScalar)) {
    return { ok: false, sql, error: '"params" is not a list of values' };
  }
  const checked = await checkLlmSql(sql, options.dialect, schema, { signal: options.signal });
  if (!checked.ok) return { ok: false, sql, error: checked.error };
  if (options.explain) {
    try {
      await options.explain(sql, params, { signal: options.signal, readOnly: checked.kind === 'select' });
    } catch (error) {
      if (options.signal?.aborted) throw new NlAbortedError(error);
      return { ok: false, sql, error: `EXPLAIN failed: ${(error as Error).message}` };
    }
  }
  const c = answer.confidence;
  const confidence =
    typeof c === 'number' && Number.isFinite(c)
      ? Math.round(Math.max(0, Math.min(1, c)) * 100) / 100
      : TRANSLATE_WITH_LLM_DEFAULTS.confidence;
  return {
    ok: true,
    translation: {
      sql,
      params: [...params],
      explanation: explanation || `SQL written by ${provider.model}.`,
      confidence,
      tables: checked.tables,
      provider: provider.name,
      model: provider.model,
      kind: checked.kind,
      readOnly: checked.readOnly,
      risk: checked.risk,
      reasons: checked.reasons,
    },
  };
}

/** The answer as the model gave it, for the assistant turn of a repair. */
const answerText = (raw: unknown): string => (typeof raw === 'string' ? raw : JSON.stringify(raw ?? null));

/**
 * Translates a question with a language model. The prompt carries the dialect, only the schema the
 * question needs (at the context level, within the token budget), the earlier turns and the question.
 * Each answer is checked: parsed by @aishell/sql for the dialect, one SELECT (or one proposed write),
 * only tables and columns of the schema, then EXPLAINed when `explain` is given. An answer that fails
 * goes back to the model in the same conversation with the exact error, at most `maxRepairs` more
 * times; then NlRepairFailedError (NL_NO_TRANSLATION, with the last SQL). An empty `sql` (the model
 * declining) is NL_NO_TRANSLATION at once. Provider failures throw NlProviderError or NlMissingApiKeyError.
 * @example const t = await translateWithLlm('customers in Paris', schema, index, provider, { dialect: 'postgres' });
 */
export async function translateWithLlm(
  question: string,
  schema: NlSchema,
  index: SchemaIndex,
  provider: LlmProvider,
  options: TranslateWithLlmOptions,
): Promise<LlmTranslation> {
  const prompt = buildLlmPrompt(question, schema, index, options.dialect, options);
  const maxRepairs = Math.max(0, options.maxRepairs ?? TRANSLATE_WITH_LLM_DEFAULTS.maxRepairs);
  const messages: LlmMessage[] = [...prompt.messages];
  const repairs: LlmRepair[] = [];
  const { level, tables, omitted, tokens, tokenBudget } = prompt.context;
  for (let attempt = 1; attempt <= maxRepairs + 1; attempt++) {
    const raw = await provider.complete(
      { system: prompt.system, messages: [...messages], answerSchema: prompt.answerSchema },
      options.signal ? { signal: options.signal } : {},
    );
    if (options.signal?.aborted) throw new NlAbortedError(options.signal.reason);
    const outcome = await checkAnswer(raw, schema, provider, options);
    if (outcome.ok) {
      return {
        ...outcome.translation,
        attempts: attempt,
        repairs,
        context: { level, tables, omitted, tokens, tokenBudget },
      };
    }
    repairs.push({ attempt, sql: outcome.sql, error: outcome.error });
    messages.push(
      { role: 'assistant', content: answerText(raw) },
      {
        role: 'user',
        content: `That answer failed: ${outcome.error}\nCorrect it and answer the same question again, with the JSON object only.`,
      },
    );
  }
  throw new NlRepairFailedError(provider.name, repairs);
}
