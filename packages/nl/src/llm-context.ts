import { joinPath } from './join-graph.js';
import { linkSchema } from './link-schema.js';
import type { NlSchema, NlTable } from './nl-schema.js';
import type { SchemaIndex } from './schema-index.js';

/**
 * How much of the schema a language model is told: `names` (tables and columns), `types` (+ types,
 * NOT NULL, primary and foreign keys), `comments` (+ table and column comments, the default),
 * `samples` (+ a few stored values of each text column, from the value index: row data, so never
 * by default).
 */
export type LlmContextLevel = 'names' | 'types' | 'comments' | 'samples';

export const LLM_CONTEXT_LEVELS: readonly LlmContextLevel[] = ['names', 'types', 'comments', 'samples'];

/** Defaults of {@link BuildLlmContextOptions}. */
export const LLM_CONTEXT_DEFAULTS = Object.freeze({
  level: 'comments' as LlmContextLevel,
  /** Upper bound of the schema part of the prompt, in tokens (estimated at 4 characters a token). */
  tokenBudget: 4000,
  /** Stored values shown per text column at the `samples` level. */
  samplesPerColumn: 3,
});

/** Options of {@link buildLlmContext}. */
export interface BuildLlmContextOptions {
  /** How much to say of each table. @default 'comments' */
  readonly context?: LlmContextLevel;
  /** @default LLM_CONTEXT_DEFAULTS.tokenBudget */
  readonly tokenBudget?: number;
  /** Tables an earlier turn of the conversation read: kept, after the question's own. */
  readonly alsoTables?: readonly string[];
  readonly now?: Date;
}

/** The schema part of a prompt, and how it was chosen. */
export interface LlmContext {
  readonly level: LlmContextLevel;
  /** Tables described, most relevant first. */
  readonly tables: readonly string[];
  /** Tables the question needs that did not fit in the budget (least relevant first left out). */
  readonly omitted: readonly string[];
  /** The description itself, as sent. */
  readonly text: string;
  /** Estimated tokens of `text`. */
  readonly tokens: number;
  readonly tokenBudget: number;
}

/**
 * Estimated tokens of a text: about 4 characters a token for English and SQL names. A real
 * tokenizer differs per model (and per provider), and a budget only needs to be roughly right.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

const displayName = (t: NlTable): string =>
  // The default schemas are left out, as the offline translator's SQL leaves them out.
  t.schema && t.schema !== 'public' && t.schema !== 'main' ? `${t.schema}.${t.name}` : t.name;

/** Stored values per `table\0column` (index positions), sorted, at most `per` each. */
function samplesOf(index: SchemaIndex, per: number): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const occurrences of index.values?.values.values() ?? []) {
    for (const o of occurrences) {
      const key = `${o.table}\0${o.column}`;
      const list = out.get(key) ?? [];
      list.push(o.value);
      out.set(key, list);
    }
  }
  for (const [key, list] of out) out.set(key, [...new Set(list)].sort().slice(0, per));
  return out;
}

const quoteValue = (v: string): string => `'${v.replace(/'/g, "''")}'`;

/** One table as text at a level. */
export function describeTable(
  t: NlTable,
  level: LlmContextLevel,
  samples: (column: string) => readonly string[] = () => [],
): string {
  const name = displayName(t);
  if (level === 'names') return `TABLE ${name} (${t.columns.map((c) => c.name).join(', ')})`;
  const comments = level === 'comments' || level === 'samples';
  const lines = [
    `TABLE ${name}${t.kind === 'view' ? ' (view)' : ''}${comments && t.comment ? ` -- ${t.comment}` : ''}`,
  ];
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
    const notes: string[] = [];
    if (comments && c.comment) notes.push(c.comment);
    if (level === 'samples') {
      const values = samples(c.name);
      if (values.length > 0) notes.push(`e.g. ${values.map(quoteValue).join(', ')}`);
    }
    if (notes.length > 0) parts.push(`-- ${notes.join('; ')}`);
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

/** The score (0..1) from which a linked table is taken as asked about. */
const STRONG_LINK = 0.6;

/**
 * The tables a question needs, most relevant first: those schema linking finds (by score), then the
 * tables on the foreign-key paths that connect them (bridge tables), then the tables of earlier
 * turns. A question that names nothing of the schema gets every table, the most connected first.
 */
function neededTables(question: string, index: SchemaIndex, options: BuildLlmContextOptions): number[] {
  const byName = new Map<string, number>();
  for (const t of index.tables) {
    byName.set(t.name.toLowerCase(), t.id);
    if (t.schema) byName.set(`${t.schema}.${t.name}`.toLowerCase(), t.id);
  }
  const all = linkSchema(question, index, options.now ? { now: options.now } : {}).tables;
  // A table reached only through a key column's name ("customer" ~ reviews.customer_id) or a name
  // that many tables share scores below this; such a table is a guess, not something asked about.
  const strong = all.filter((t) => t.score >= STRONG_LINK);
  const linked = strong.length > 0 ? strong : all;
  const ids: number[] = [];
  const add = (id: number | undefined): void => {
    if (id !== undefined && !ids.includes(id)) ids.push(id);
  };
  for (const t of linked) add(byName.get((t.schema ? `${t.schema}.${t.table}` : t.table).toLowerCase()));
  const direct = [...ids];
  // Widen along foreign keys: every table on the shortest path between two linked tables.
  for (let i = 0; i < direct.length; i++) {
    for (let j = i + 1; j < direct.length; j++) {
      for (const step of joinPath(index, direct[i]!, direct[j]!) ?? []) add(step.to);
    }
  }
  for (const name of options.alsoTables ?? []) add(byName.get(name.toLowerCase()));
  if (ids.length > 0) return ids;
  const degree = (id: number): number => index.edges.get(id)?.length ?? 0;
  return index.tables.map((t) => t.id).sort((a, b) => degree(b) - degree(a) || a - b);
}

/**
 * The schema part of a prompt for `question`: only the tables it needs (schema linking, widened along
 * foreign keys to connect them), described at `level`, within the token budget. When they do not all
 * fit, the least relevant are left out and named in `omitted`. No row data except at `samples`.
 * @example buildLlmContext('orders per customer', schema, index).tables // ['orders', 'customers']
 */
export function buildLlmContext(
  question: string,
  schema: NlSchema,
  index: SchemaIndex,
  options: BuildLlmContextOptions = {},
): LlmContext {
  const level = options.context ?? LLM_CONTEXT_DEFAULTS.level;
  const tokenBudget = options.tokenBudget ?? LLM_CONTEXT_DEFAULTS.tokenBudget;
  const samples = level === 'samples' ? samplesOf(index, LLM_CONTEXT_DEFAULTS.samplesPerColumn) : null;
  const tableOf = (id: number): NlTable | undefined => {
    const it = index.tables[id]!;
    return schema.tables.find((t) => t.name === it.name && (t.schema ?? null) === (it.schema ?? null)) as
      | NlTable
      | undefined;
  };
  const described: string[] = [];
  const tables: string[] = [];
  const omitted: string[] = [];
  let tokens = 0;
  for (const id of neededTables(question, index, options)) {
    const table = tableOf(id);
    if (!table) continue;
    const columns = index.tables[id]!.columns;
    const text = describeTable(table, level, (column) => {
      const c = columns.find((x) => x.name === column);
      return (c && samples?.get(`${id}\0${c.index}`)) || [];
    });
    const cost = estimateTokens(`${text}\n\n`);
    // The most relevant table always goes, so that a tiny budget still says something.
    if (tables.length > 0 && tokens + cost > tokenBudget) {
      omitted.push(displayName(table));
      continue;
    }
    described.push(text);
    tables.push(displayName(table));
    tokens += cost;
  }
  const text = described.join('\n\n');
  return { level, tables, omitted, text, tokens: estimateTokens(text), tokenBudget };
}
