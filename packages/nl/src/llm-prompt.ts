import {
  type BuildLlmContextOptions,
  buildLlmContext,
  estimateTokens,
  type LlmContext,
} from './llm-context.js';
import type { LlmMessage, LlmPrompt } from './llm-provider.js';
import type { NlDialect, NlSchema } from './nl-schema.js';
import type { SchemaIndex } from './schema-index.js';

/** One earlier turn of a conversation: the question, the SQL it got (or the error), and at the `samples` level a few rows. */
export interface LlmTurn {
  readonly question: string;
  readonly sql?: string | undefined;
  readonly params?: readonly unknown[] | undefined;
  /** Why the turn failed (a database error, a refusal), as the person saw it. */
  readonly error?: string | undefined;
  /** Tables the SQL read: kept in the context of the next question. */
  readonly tables?: readonly string[] | undefined;
  /** The first rows of its result; sent only at the `samples` level. */
  readonly rows?: readonly Record<string, unknown>[] | undefined;
}

/** Options of {@link buildLlmPrompt}. */
export interface BuildLlmPromptOptions extends BuildLlmContextOptions {
  /** Earlier turns of the conversation, oldest first (the shell's follow-ups). */
  readonly conversation?: readonly LlmTurn[];
}

/** Defaults of the conversation part of the prompt. */
export const LLM_PROMPT_DEFAULTS = Object.freeze({
  /** Earlier turns sent at most (the most recent). */
  conversationTurns: 6,
  /** Upper bound of the earlier turns, in estimated tokens (older turns are dropped first). */
  conversationTokens: 1500,
  /** Result rows of a turn sent at the `samples` level. */
  sampleRows: 3,
});

/** JSON Schema of the model's answer; strict-mode compatible (every field required, nothing extra). */
export const LLM_ANSWER_SCHEMA: Readonly<Record<string, unknown>> = Object.freeze({
  type: 'object',
  properties: {
    sql: {
      type: 'string',
      description:
        'One read-only SELECT with positional placeholders, or "" when the question cannot be answered',
    },
    params: {
      type: 'array',
      description: 'The values of the placeholders, in order',
      items: { type: ['string', 'number', 'boolean', 'null'] },
    },
    explanation: {
      type: 'string',
      description: 'One plain-English sentence: what the query returns, or why there is no SQL',
    },
    confidence: { type: 'number', description: 'How sure you are that the SQL answers the question, 0 to 1' },
  },
  required: ['sql', 'params', 'explanation', 'confidence'],
  additionalProperties: false,
});

const DIALECT_NAMES: Record<NlDialect, string> = {
  postgres: 'PostgreSQL',
  mysql: 'MySQL/MariaDB',
  sqlite: 'SQLite',
};

/** The system prompt: what to write, for which dialect, and the schema. */
function instructions(dialect: NlDialect, context: LlmContext, conversation: boolean): string {
  const placeholders = dialect === 'postgres' ? '$1, $2, ...' : '?';
  const quote = dialect === 'mysql' ? 'backticks (`name`)' : 'double quotes ("name")';
  const lines = [
    `You translate questions about a ${DIALECT_NAMES[dialect]} database into SQL.`,
    'Write exactly one read-only SELECT statement (WITH ... SELECT is fine) that answers the question, using only the tables and columns listed.',
    'Only when the question explicitly asks to change data, write exactly one INSERT, UPDATE or DELETE instead: it is shown to the person with its risk and runs only if they confirm.',
    `Never put a value from the question into the SQL text: use positional placeholders (${placeholders}) and give the values in "params", in order.`,
    `Quote identifiers that need it with ${quote}.`,
    'Never write DDL (CREATE, ALTER, DROP, TRUNCATE), GRANT, or more than one statement.',
    'If the question cannot be answered from these tables, set "sql" to "" and say why in "explanation".',
    'When an answer of yours is sent back with an error, correct the SQL and answer again.',
  ];
  if (conversation)
    lines.push(
      'Later questions may refine earlier ones ("only the ones in France"): answer the latest, keeping what it does not change.',
    );
  lines.push(
    'Answer with JSON only: {"sql": string, "params": array, "explanation": one plain-English sentence saying what the query returns, "confidence": number from 0 to 1}.',
  );
  const omitted =
    context.omitted.length > 0
      ? `\n\n(${context.omitted.length} more related table${context.omitted.length === 1 ? '' : 's'} left out to fit the prompt: ${context.omitted.join(', ')})`
      : '';
  return `${lines.join('\n')}\n\nSchema (${DIALECT_NAMES[dialect]}):\n\n${context.text}${omitted}`;
}

/** A turn's messages: the question, then the answer it got (and how that ended). */
function turnMessages(turn: LlmTurn, samples: boolean): LlmMessage[] {
  const answer: Record<string, unknown> = { sql: turn.sql ?? '', params: turn.params ?? [] };
  const notes: string[] = [];
  if (turn.error) notes.push(`It failed: ${turn.error}`);
  if (samples && turn.rows && turn.rows.length > 0)
    notes.push(`First rows: ${JSON.stringify(turn.rows.slice(0, LLM_PROMPT_DEFAULTS.sampleRows))}`);
  return [
    { role: 'user', content: `Question: ${turn.question}` },
    {
      role: 'assistant',
      content: `${JSON.stringify(answer)}${notes.length > 0 ? `\n${notes.join('\n')}` : ''}`,
    },
  ];
}

/** The most recent turns that fit the conversation bounds, oldest first. */
function boundedTurns(conversation: readonly LlmTurn[], samples: boolean): LlmMessage[] {
  const out: LlmMessage[][] = [];
  let tokens = 0;
  for (const turn of conversation.slice(-LLM_PROMPT_DEFAULTS.conversationTurns).reverse()) {
    const messages = turnMessages(turn, samples);
    const cost = estimateTokens(messages.map((m) => m.content).join('\n'));
    if (tokens + cost > LLM_PROMPT_DEFAULTS.conversationTokens) break;
    tokens += cost;
    out.unshift(messages);
  }
  return out.flat();
}

/** A prompt and the context chosen for it. */
export type BuiltLlmPrompt = LlmPrompt & {
  /** Tables described, most relevant first. */
  readonly tables: readonly string[];
  /** Tables the question needs that did not fit the token budget. */
  readonly omitted: readonly string[];
  readonly context: LlmContext;
};

/**
 * The prompt for a question: instructions for the dialect, the schema part (only the tables the
 * question needs, at the context level, within the token budget: see buildLlmContext), the earlier
 * turns of the conversation (bounded), and the question. No row data, except sample values and a
 * turn's first rows at the `samples` level.
 */
export function buildLlmPrompt(
  question: string,
  schema: NlSchema,
  index: SchemaIndex,
  dialect: NlDialect,
  options: BuildLlmPromptOptions = {},
): BuiltLlmPrompt {
  const conversation = options.conversation ?? [];
  const alsoTables = [...(options.alsoTables ?? []), ...conversation.flatMap((t) => t.tables ?? [])];
  const context = buildLlmContext(question, schema, index, { ...options, alsoTables });
  const samples = context.level === 'samples';
  const messages: LlmMessage[] = [
    ...boundedTurns(conversation, samples),
    { role: 'user', content: `Question: ${question}` },
  ];
  return {
    system: instructions(dialect, context, conversation.length > 0),
    messages,
    answerSchema: LLM_ANSWER_SCHEMA,
    tables: context.tables,
    omitted: context.omitted,
    context,
  };
}
