import { selectProblems } from './check-translation.js';
import { type LlmProviderName, NlAbortedError, NlNoTranslationError } from './errors.js';
import { type BuildLlmPromptOptions, buildLlmPrompt } from './llm-prompt.js';
import type { LlmProvider } from './llm-provider.js';
import type { NlDialect, NlSchema } from './nl-schema.js';
import type { SchemaIndex } from './schema-index.js';

/** Options of {@link translateWithLlm}. */
export interface TranslateWithLlmOptions extends BuildLlmPromptOptions {
  /** SQL dialect to write. */
  readonly dialect: NlDialect;
  readonly signal?: AbortSignal;
}

/** Defaults of the LLM translation. */
export const TRANSLATE_WITH_LLM_DEFAULTS = Object.freeze({
  /** The confidence of an answer whose model gave none (or not a number). */
  confidence: 0.7,
});

/** A question turned into one parameterised SELECT by a language model. */
export interface LlmTranslation {
  /** SQL in the dialect, values as positional parameters (`$1` for postgres, `?` otherwise). */
  readonly sql: string;
  readonly params: unknown[];
  /** What the SQL does, in plain English (the model's words). */
  readonly explanation: string;
  /** 0..1: the model's own estimate, clamped; {@link TRANSLATE_WITH_LLM_DEFAULTS}.confidence when it gave none. */
  readonly confidence: number;
  /** Tables the SQL reads, as @aishell/sql found them. */
  readonly tables: string[];
  /** The provider and model that answered. */
  readonly provider: LlmProviderName;
  readonly model: string;
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

/**
 * Translates a question with a language model: the prompt carries the dialect, the schema (trimmed to
 * the relevant tables when large) and the question, never row data. The answer is read defensively
 * and held to the offline translator's rule: exactly one read-only SELECT, reading only tables of the
 * schema. Anything else throws NlNoTranslationError (NL_NO_TRANSLATION) with the reason; provider
 * failures throw NlProviderError or NlMissingApiKeyError.
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
  const raw = await provider.complete(prompt, options.signal ? { signal: options.signal } : {});
  if (options.signal?.aborted) throw new NlAbortedError(options.signal.reason);
  const answer = answerObject(raw);
  if (!answer) throw refuse(`the ${provider.name} model did not answer with JSON`);
  const sql = typeof answer.sql === 'string' ? answer.sql.trim().replace(/;\s*$/, '') : null;
  const explanation = typeof answer.explanation === 'string' ? answer.explanation.trim() : '';
  if (sql === null) throw refuse(`the ${provider.name} model's answer has no "sql"`);
  if (sql === '') {
    throw refuse(
      explanation
        ? `the ${provider.name} model wrote no SQL: ${explanation}`
        : `the ${provider.name} model wrote no SQL`,
    );
  }
  const params = answer.params === undefined || answer.params === null ? [] : answer.params;
  if (!Array.isArray(params) || !params.every(isScalar)) {
    throw refuse(`the ${provider.name} model's "params" is not a list of values`);
  }
  const known = schema.tables.map((t) => t.name);
  const found = await selectProblems(
    sql,
    options.dialect,
    known,
    options.signal ? { signal: options.signal } : {},
  );
  if (found === null) throw refuse(`the ${provider.name} model's SQL does not parse`);
  if (found.reasons.length > 0) {
    throw refuse(`the ${provider.name} model's SQL was refused, nothing ran: ${found.reasons.join('; ')}`);
  }
  const c = answer.confidence;
  const confidence =
    typeof c === 'number' && Number.isFinite(c)
      ? Math.round(Math.max(0, Math.min(1, c)) * 100) / 100
      : TRANSLATE_WITH_LLM_DEFAULTS.confidence;
  return {
    sql,
    params: [...params],
    explanation: explanation || `SQL written by ${provider.model}.`,
    confidence,
    tables: found.tablesRead,
    provider: provider.name,
    model: provider.model,
  };
}
