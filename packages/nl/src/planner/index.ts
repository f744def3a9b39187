import type { LinkedQuestion } from '../link-schema.js';
import type { SchemaIndex } from '../schema-index.js';
import { AGGREGATE_CUES, NEGATION_WORDS, RANKING_WORDS } from '../vocabulary.js';
import { assemble } from './assemble.js';
import { periods } from './dates.js';
import { collectItems } from './items.js';
import { averageComparisons } from './numbers.js';
import { ranking } from './order.js';
import { insideSchema, mark, matchSeq, norms, PlannerState, tableOf } from './state.js';
import type { PlanResult } from './types.js';
import { walk } from './walk.js';

/**
 * The offline planner: from a linked question to a query plan. The parts share one
 * {@link PlannerState}: items.ts finds the question's items, order.ts, numbers.ts, dates.ts,
 * adjectives.ts and values.ts read them, walk.ts gives each item its role, assemble.ts turns it all
 * into a plan (joins, EXISTS, INTERSECT, HAVING); every word list is in ../vocabulary.ts.
 */

/** Builds the query plan of a linked question. */
export function planQuery(index: SchemaIndex, linked: LinkedQuestion, now: Date = new Date()): PlanResult {
  const ps = new PlannerState(index, linked.tokens, now);
  collectItems(ps, linked);
  return plan(ps);
}

function plan(ps: PlannerState): PlanResult {
  findCountIntent(ps);
  if (!chooseMain(ps)) {
    return {
      plan: null,
      understood: ps.understood,
      problem: 'no table of the database is named',
      mainNamed: false,
      unresolved: 0,
    };
  }
  // (the ranking may move the main table: "which support agent has the most tickets")
  ranking(ps);
  periods(ps);
  averageComparisons(ps);
  walk(ps);
  countUnusedAverage(ps);
  return assemble(ps, ps.main!);
}

/** Count intent: "how many", "number of", "count of", "count the". */
function findCountIntent(ps: PlannerState): void {
  const tokens = ps.tokens;
  for (let i = 0; i < tokens.length; i += 1) {
    // "ranked by the number of orders", "the most number of degrees": what rows are sorted by,
    // not what is counted
    const after = tokens[i - 1]?.norm === 'the' ? tokens[i - 2] : tokens[i - 1];
    if (after?.norm === 'by' || (matchSeq(tokens, i, ['number', 'of']) && RANKING_WORDS[after?.norm ?? '']))
      continue;
    if (matchSeq(tokens, i, ['how', 'many'])) ps.countIntent = { start: i, end: i + 2 };
    else if (matchSeq(tokens, i, ['number', 'of']) && !insideSchema(ps, i))
      ps.countIntent = { start: i, end: i + 2 };
    else if ((tokens[i]!.norm === 'count' && i < 2) || matchSeq(tokens, i, ['count', 'of']))
      ps.countIntent = { start: i, end: i + 1 };
    if (ps.countIntent) break;
  }
  if (ps.countIntent) {
    // "count the number of", "what is the total number of": the last cue word ends the intent.
    let end = ps.countIntent.end;
    for (let j = end; j < Math.min(tokens.length, end + 4); j += 1) {
      if (matchSeq(tokens, j, ['number', 'of'])) end = j + 2;
    }
    ps.countIntent = { start: ps.countIntent.start, end };
    mark(ps, ps.countIntent.start, ps.countIntent.end);
  }
}

/** Main table: the counted table, else the first table named (not negated), else by columns. */
function chooseMain(ps: PlannerState): boolean {
  const items = ps.items;
  let firstTable: { item: number; table: number } | null = null;
  for (const [k, item] of items.entries()) {
    if (item.kind !== 'schema') continue;
    const t = tableOf(ps, item.m);
    if (t === null) continue;
    const before = norms(ps, item.start - 3, item.start);
    if (before.some((w) => NEGATION_WORDS.has(w) || w === 'not') && firstTable !== null) continue;
    if (ps.countIntent && item.start >= ps.countIntent.end && item.start - ps.countIntent.end <= 3) {
      firstTable = { item: k, table: t };
      ps.countTable = t;
      break;
    }
    if (firstTable === null) firstTable = { item: k, table: t };
    if (!ps.countIntent) break;
  }
  if (firstTable) {
    ps.main = firstTable.table;
    ps.mainItem = firstTable.item;
    ps.mainNamed = true;
    return true;
  }
  const votes = new Map<number, number>();
  for (const item of items) {
    if (item.kind === 'schema') {
      const seen = new Set<number>();
      for (const c of item.m.candidates) {
        // a weak reading alone (a synonym of a synonym, words of a comment) names no table
        if (seen.has(c.target.table) || c.score < 0.8) continue;
        seen.add(c.target.table);
        votes.set(c.target.table, (votes.get(c.target.table) ?? 0) + c.score);
      }
    } else if (item.kind === 'value') {
      for (const o of item.m.occurrences) votes.set(o.table, (votes.get(o.table) ?? 0) + 0.5);
    }
  }
  let best: [number, number] | null = null;
  for (const [t, v] of votes) if (best === null || v > best[1]) best = [t, v];
  if (best === null) return false;
  ps.main = best[0];
  return true;
}

/**
 * An average asked for and computed nowhere ("average delivery time in days"): the answer would
 * not be what was asked.
 */
function countUnusedAverage(ps: PlannerState): void {
  const averaged =
    ps.select.some((x) => x.kind === 'aggregate' && x.fn === 'avg') ||
    ps.orders.some((o) => o.kind === 'aggregate' && o.fn === 'avg') ||
    ps.having.some((h) => h.kind === 'aggregate' && h.fn === 'avg') ||
    ps.averageFilters.length > 0 ||
    (ps.rank?.measure?.kind === 'column' && ps.rank.measure.fn === 'avg');
  for (const t of ps.tokens)
    if (AGGREGATE_CUES[t.norm] === 'avg' && !averaged && !ps.understood.has(t.i) && !insideSchema(ps, t.i))
      ps.unresolved += 1;
}
