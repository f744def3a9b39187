import { POLITE_WORDS, WRITE_VERBS } from './cue-words.js';
import { NlNoTranslationError } from './errors.js';
import { explainPlan } from './explain-plan.js';
import { linkQuestion } from './link-schema.js';
import { type NlDialect, sqlDialectOf } from './nl-schema.js';
import { planQuery } from './plan-query.js';
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

const SUGGESTIONS = [
  'show all <table>',
  'how many <table> are there',
  'names and emails of <table> in <value>',
  'top 5 <table> by <column>',
  'number of <table> per <column>',
  '<table> without <related table>',
];

function suggestionsFor(index: SchemaIndex): string[] {
  const tables = index.tables.slice(0, 3).map((t) => t.name);
  const first = tables[0] ?? 'customers';
  const withCol = index.tables[0]?.columns.find((c) => !c.key)?.name ?? 'name';
  const related = index.tables[0]
    ? index.edges.get(0)?.[0]
      ? index.tables[
          index.edges.get(0)![0]!.table === 0
            ? index.edges.get(0)![0]!.referencedTable
            : index.edges.get(0)![0]!.table
        ]!.name
      : null
    : null;
  const out = [
    `show all ${first}`,
    `how many ${first} are there`,
    `top 5 ${first} by ${withCol}`,
    `number of ${first} per ${withCol}`,
  ];
  if (related) out.push(`${first} without ${related}`);
  return out.length > 0 ? out : SUGGESTIONS;
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
  const dialect = options.dialect ?? sqlDialectOf(index.dialect);
  const minConfidence = options.minConfidence ?? TRANSLATE_DEFAULTS.minConfidence;
  const linked = linkQuestion(question, index, options.now ?? new Date());
  const write = isWriteRequest(linked.tokens);
  if (write !== null) {
    throw new NlNoTranslationError(`"${write}" asks to change data; plain English only ever reads`, {
      suggestions: suggestionsFor(index),
      hint: 'write the statement in SQL and run it with `aishell query` (it asks for confirmation of risky writes)',
      unknownWords: [],
      confidence: 0,
    });
  }
  const planned = planQuery(index, linked);
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
        suggestions: suggestionsFor(index),
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
