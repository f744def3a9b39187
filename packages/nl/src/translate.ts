import { POLITE_WORDS, WRITE_VERBS } from './cue-words.js';
import { NlNoTranslationError } from './errors.js';
import { explainPlan } from './explain-plan.js';
import { type LinkedQuestion, linkQuestion } from './link-schema.js';
import { identifierWords } from './name-words.js';
import { type NlDialect, sqlDialectOf } from './nl-schema.js';
import { planQuery } from './planner/index.js';
import type { QueryPlan } from './query-plan.js';
import type { Token } from './question-lexer.js';
import { renderSql } from './render-sql.js';
import type { SchemaIndex } from './schema-index.js';
import { STOPWORDS } from './vocabulary.js';

/** Options of {@link translate}. */
export interface TranslateOptions {
  /** SQL dialect to write. @default the index's dialect (PGlite -> postgres) */
  readonly dialect?: NlDialect;
  /** Reference time for relative dates ("last month"). @default new Date() */
  readonly now?: Date;
  /** Below this confidence no SQL is produced (NL_NO_TRANSLATION). 0..1. @default 0.5 */
  readonly minConfidence?: number;
}

/** Defaults of {@link TranslateOptions}. */
export const TRANSLATE_DEFAULTS = Object.freeze({ minConfidence: 0.5 });

/** A question turned into one parameterised SELECT. */
export interface Translation {
  /** SQL in the dialect, values as positional parameters (`$1` for postgres, `?` otherwise). */
  readonly sql: string;
  readonly params: unknown[];
  /** What the SQL does, in plain English. */
  readonly explanation: string;
  /** 0..1: how much of the question was understood. */
  readonly confidence: number;
  /** Tables the SQL reads. */
  readonly tables: string[];
  /** The plan behind the SQL (for tools that want to re-render or inspect it). */
  readonly plan: QueryPlan;
}

/**
 * Wordings that work on this schema, offered with NL_NO_TRANSLATION: built from the table the question
 * names (else the table with the most foreign keys), one of its stored values, a number column, a
 * column of few values and a related table. Each is translated first and kept only when it works, so
 * a suggestion never names a table or column the schema does not have.
 */
function suggestionsFor(index: SchemaIndex, linked: LinkedQuestion, options: TranslateOptions): string[] {
  if (index.tables.length === 0) return [];
  const degree = (t: number): number => index.edges.get(t)?.length ?? 0;
  let table: number | null = null;
  for (const m of linked.mentions) {
    const best = m.kind === 'schema' ? m.candidates[0] : undefined;
    if (best?.target.kind === 'table') {
      table = best.target.table;
      break;
    }
  }
  if (table === null) {
    table = 0;
    for (const t of index.tables) if (degree(t.id) > degree(table)) table = t.id;
  }
  const t = index.tables[table]!;
  const phrase = (name: string): string => identifierWords(name).join(' ');
  const name = phrase(t.name);
  const out: string[] = [`show all ${name}`, `how many ${name} are there`];
  // The text column with the fewest distinct values (a status, a country), and one of its values.
  const counts = new Map<number, { n: number; value: string }>();
  for (const occurrences of index.values?.values.values() ?? []) {
    for (const o of occurrences) {
      const c = t.columns[o.column]!;
      if (o.table !== table || c.key || c.index === t.labelColumn || c.words.includes('name')) continue;
      const seen = counts.get(o.column);
      counts.set(o.column, { n: (seen?.n ?? 0) + 1, value: seen?.value ?? o.value });
    }
  }
  const few = [...counts.entries()]
    .filter(([, c]) => c.n > 1)
    .sort((a, b) => a[1].n - b[1].n || a[0] - b[0])[0];
  if (few) out.push(`${name} whose ${phrase(t.columns[few[0]]!.name)} is '${few[1].value}'`);
  const number = t.columns.find((c) => c.category === 'number' && !c.key);
  if (number) out.push(`top 5 ${name} by ${phrase(number.name)}`);
  if (few) out.push(`number of ${name} per ${phrase(t.columns[few[0]]!.name)}`);
  const child = index.tables.find(
    (x) => x.id !== table && x.foreignKeys.some((fk) => fk.referencedTable === table),
  );
  if (child) out.push(`${name} without ${phrase(child.name)}`);
  return out.filter((q) => {
    try {
      translateOnce(q, index, options, false);
      return true;
    } catch {
      return false;
    }
  });
}

function isWriteRequest(tokens: readonly Token[]): string | null {
  for (const t of tokens) {
    if (t.punct) continue;
    if (POLITE_WORDS.has(t.norm)) continue;
    return WRITE_VERBS.has(t.norm) || WRITE_VERBS.has(t.lemma) ? t.norm : null;
  }
  return null;
}

/**
 * Translates a question into one read-only SELECT over the indexed schema. Deterministic.
 * Throws {@link NlNoTranslationError} (code NL_NO_TRANSLATION) below `minConfidence` or for
 * requests to change data.
 *
 * @example
 * const t = translate('customers in Paris', index, { dialect: 'postgres' });
 * // t.sql: SELECT * FROM "customers" WHERE "city" = $1   t.params: ['Paris']
 */
export function translate(question: string, index: SchemaIndex, options: TranslateOptions = {}): Translation {
  return translateOnce(question, index, options, true);
}

function translateOnce(
  question: string,
  index: SchemaIndex,
  options: TranslateOptions,
  suggest: boolean,
): Translation {
  const dialect = options.dialect ?? sqlDialectOf(index.dialect);
  const minConfidence = options.minConfidence ?? TRANSLATE_DEFAULTS.minConfidence;
  const now = options.now ?? new Date();
  const linked = linkQuestion(question, index, now);
  const write = isWriteRequest(linked.tokens);
  if (write !== null) {
    throw new NlNoTranslationError(`"${write}" asks to change data; plain English only ever reads`, {
      suggestions: suggest ? suggestionsFor(index, linked, options) : [],
      hint: 'write the statement in SQL and run it with `aishell query` (it asks for confirmation of risky writes)',
      unknownWords: [],
      confidence: 0,
    });
  }
  const planned = planQuery(index, linked, now);
  const content = linked.tokens.filter((t) => !t.punct && !STOPWORDS.has(t.norm) && !STOPWORDS.has(t.lemma));
  const unknown = content.filter((t) => !planned.understood.has(t.i));
  const share = content.length === 0 ? 0 : (content.length - unknown.length) / content.length;
  let confidence = 0.3 + 0.7 * share;
  if (!planned.mainNamed) confidence -= 0.15;
  confidence -= 0.1 * planned.unresolved;
  confidence = Math.max(0, Math.min(1, Math.round(confidence * 100) / 100));
  if (planned.plan === null || confidence < minConfidence) {
    const words = unknown.map((t) => t.text);
    throw new NlNoTranslationError(
      planned.problem ??
        (words.length > 0 ? `could not understand: ${words.join(', ')}` : 'could not tell what to look up'),
      {
        suggestions: suggest ? suggestionsFor(index, linked, options) : [],
        hint: 'name a table or column of the database, or write SQL with `aishell query`',
        unknownWords: words,
        confidence,
      },
    );
  }
  const plan = planned.plan;
  const { sql, params } = renderSql(plan, index, dialect);
  const used = [plan.main, ...plan.joins.map((j) => j.to)];
  const collect = (conds: QueryPlan['where']): void => {
    for (const c of conds) {
      if (c.kind === 'exists') {
        for (const s of c.path) used.push(s.to);
        collect(c.conditions);
      } else if (c.kind === 'or') {
        collect(c.conditions);
      } else {
        if (c.left.kind === 'related') for (const s of c.left.path) used.push(s.to);
        if (c.kind === 'compare-aggregate') used.push(c.arg.table);
      }
    }
  };
  collect(plan.where);
  for (const c of plan.compound ?? []) collect(c.plan.where);
  for (const o of plan.orderBy) if (o.expr.kind === 'related') for (const s of o.expr.path) used.push(s.to);
  const tables = [...new Set(used)].map((t) => index.tables[t]!.name);
  return { sql, params, explanation: explainPlan(plan, index), confidence, tables, plan };
}
