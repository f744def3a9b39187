import { linkSchema } from './link-schema.js';
import type { LlmPrompt } from './llm-provider.js';
import type { NlDialect, NlSchema, NlTable } from './nl-schema.js';
import type { SchemaIndex } from './schema-index.js';

/** Options of {@link buildLlmPrompt}. */
export interface BuildLlmPromptOptions {
  /**
   * Schemas with more tables than this are trimmed to the tables schema linking finds relevant
   * (plus the tables their foreign keys reach). @default 40
   */
  readonly maxTables?: number;
}

/** Defaults of {@link BuildLlmPromptOptions}. */
export const LLM_PROMPT_DEFAULTS = Object.freeze({ maxTables: 40 });

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

/** One table as text: columns with types, keys, foreign keys and comments. */
function describeTable(t: NlTable): string {
  // The default schemas are left out, as the offline translator's SQL leaves them out.
  const name = t.schema && t.schema !== 'public' && t.schema !== 'main' ? `${t.schema}.${t.name}` : t.name;
  const lines = [`TABLE ${name}${t.kind === 'view' ? ' (view)' : ''}${t.comment ? ` -- ${t.comment}` : ''}`];
  const pk = new Set(t.primaryKey);
  const fkOf = new Map<string, string>();
  for (const fk of t.foreignKeys) {
    if (fk.columns.length !== 1) continue;
    fkOf.set(fk.columns[0]!, `${fk.referencedTable}(${fk.referencedColumns.join(', ')})`);
  }
  for (const c of t.columns) {
    const parts = [`  ${c.name} ${c.type || 'untyped'}`];
    if (pk.has(c.name) && t.primaryKey.length === 1) parts.push('PRIMARY KEY');
    if (!c.nullable) parts.push('NOT NULL');
    const ref = fkOf.get(c.name);
    if (ref) parts.push(`REFERENCES ${ref}`);
    if (c.comment) parts.push(`-- ${c.comment}`);
    lines.push(parts.join(' '));
  }
  if (t.primaryKey.length > 1) lines.push(`  PRIMARY KEY (${t.primaryKey.join(', ')})`);
  for (const fk of t.foreignKeys) {
    if (fk.columns.length > 1)
      lines.push(
        `  FOREIGN KEY (${fk.columns.join(', ')}) REFERENCES ${fk.referencedTable}(${fk.referencedColumns.join(', ')})`,
      );
  }
  return lines.join('\n');
}

/** The tables to describe: all of a small schema; for a large one, those linking finds and their neighbours. */
function relevantTables(
  question: string,
  schema: NlSchema,
  index: SchemaIndex,
  maxTables: number,
): readonly NlTable[] {
  if (schema.tables.length <= maxTables) return schema.tables;
  const linked = linkSchema(question, index).tables.map((t) => t.table.toLowerCase());
  const keep = new Set(linked.slice(0, maxTables));
  // Tables one foreign key away, so the model can join (linked tables first, then their neighbours).
  for (const t of schema.tables) {
    if (keep.size >= maxTables) break;
    if (!keep.has(t.name.toLowerCase())) continue;
    for (const fk of t.foreignKeys) if (keep.size < maxTables) keep.add(fk.referencedTable.toLowerCase());
  }
  for (const t of schema.tables) {
    if (keep.size >= maxTables) break;
    if (t.foreignKeys.some((fk) => linked.includes(fk.referencedTable.toLowerCase())))
      keep.add(t.name.toLowerCase());
  }
  const picked = schema.tables.filter((t) => keep.has(t.name.toLowerCase()));
  return picked.length > 0 ? picked : schema.tables.slice(0, maxTables);
}

/**
 * The prompt for a question: the dialect and its placeholder style, the schema (trimmed to the
 * relevant tables when large) and the question. No row data is included.
 */
export function buildLlmPrompt(
  question: string,
  schema: NlSchema,
  index: SchemaIndex,
  dialect: NlDialect,
  options: BuildLlmPromptOptions = {},
): LlmPrompt & { readonly tables: readonly string[] } {
  const tables = relevantTables(question, schema, index, options.maxTables ?? LLM_PROMPT_DEFAULTS.maxTables);
  const placeholders = dialect === 'postgres' ? '$1, $2, ...' : '?';
  const quote = dialect === 'mysql' ? 'backticks (`name`)' : 'double quotes ("name")';
  const system = [
    `You translate questions about a ${DIALECT_NAMES[dialect]} database into SQL.`,
    'Write exactly one read-only SELECT statement (WITH ... SELECT is fine) that answers the question, using only the tables and columns listed.',
    `Never put a value from the question into the SQL text: use positional placeholders (${placeholders}) and give the values in "params", in order.`,
    `Quote identifiers that need it with ${quote}.`,
    'Never write INSERT, UPDATE, DELETE, MERGE, DDL, or more than one statement.',
    'If the question asks to change data or cannot be answered from these tables, set "sql" to "" and say why in "explanation".',
    'Answer with JSON only: {"sql": string, "params": array, "explanation": one plain-English sentence saying what the query returns, "confidence": number from 0 to 1}.',
  ].join('\n');
  const user = `Schema (${DIALECT_NAMES[dialect]}):\n\n${tables.map(describeTable).join('\n\n')}\n\nQuestion: ${question}`;
  return { system, user, answerSchema: LLM_ANSWER_SCHEMA, tables: tables.map((t) => t.name) };
}
