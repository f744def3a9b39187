import type { LinkedQuestion } from '../link-schema.js';
import { AGGREGATE_CUES } from '../vocabulary.js';
import { adjectiveAt } from './adjectives.js';
import type { PlannerState } from './state.js';

/**
 * The items of a question, in order: its schema and value mentions (from linking), then dates,
 * numbers and graded adjectives among the words no mention covers.
 */
export function collectItems(ps: PlannerState, linked: LinkedQuestion): void {
  for (const t of linked.tokens) for (let k = 0; k < t.dateLength; k += 1) ps.dated.add(t.i + k);
  collectSupport(ps, linked);
  const covered = new Set<number>();
  for (const m of linked.mentions) {
    if (m.kind === 'schema') ps.items.push({ kind: 'schema', start: m.start, end: m.end, m });
    else ps.items.push({ kind: 'value', start: m.start, end: m.end, m });
    for (let k = m.start; k < m.end; k += 1) covered.add(k);
  }
  const tokens = ps.tokens;
  for (let i = 0; i < tokens.length; i += 1) {
    const t = tokens[i]!;
    if (covered.has(i)) continue;
    if (t.date && t.dateLength > 0) {
      const end = i + t.dateLength;
      ps.items.push({ kind: 'date', start: i, end, range: t.date });
      for (let k = i; k < end; k += 1) covered.add(k);
      i = end - 1;
      continue;
    }
    if (t.num !== null) {
      ps.items.push({ kind: 'number', start: i, end: i + 1, value: t.num, money: t.money });
      continue;
    }
    const adj = adjectiveAt(ps, i);
    if (adj) {
      ps.items.push(adj);
      i = adj.end - 1;
    }
  }
  ps.items.sort((a, b) => a.start - b.start);
  aggregateListsBeforeColumns(ps);
}

/**
 * "the average, lowest and highest age" on a schema with columns named Average, Lowest and
 * Highest: a list of two or more aggregate words right before a column is a list of aggregates of
 * that column, not those columns; their words are left to the walk as aggregate words.
 */
function aggregateListsBeforeColumns(ps: PlannerState): void {
  const tokens = ps.tokens;
  const drop = new Set<number>();
  let i = 0;
  while (i < tokens.length) {
    if (!AGGREGATE_CUES[tokens[i]!.norm]) {
      i += 1;
      continue;
    }
    let j = i;
    let words = 0;
    while (j < tokens.length && (AGGREGATE_CUES[tokens[j]!.norm] || LIST_JOINERS.has(tokens[j]!.norm))) {
      if (AGGREGATE_CUES[tokens[j]!.norm]) words += 1;
      j += 1;
    }
    const after = ps.items.find((x) => x.start === j);
    const columnAfter =
      after?.kind === 'schema' && after.m.candidates.some((c) => c.target.kind === 'column');
    if (words >= 2 && columnAfter && !LIST_JOINERS.has(tokens[j - 1]!.norm))
      ps.items.forEach((x, k) => {
        if (x.kind === 'schema' && x.start >= i && x.end <= j) drop.add(k);
      });
    i = j;
  }
  if (drop.size === 0) return;
  const kept = ps.items.filter((_, k) => !drop.has(k));
  ps.items.splice(0, ps.items.length, ...kept);
}

const LIST_JOINERS: ReadonlySet<string> = new Set([',', 'and', 'or']);

/** How strongly the words of the question point at each table: its columns named, its values. */
function collectSupport(ps: PlannerState, linked: LinkedQuestion): void {
  for (const m of linked.mentions) {
    const seen = new Set<number>();
    if (m.kind === 'schema') {
      for (const c of m.candidates) {
        if (c.target.kind !== 'column' || c.score < 0.6 || seen.has(c.target.table)) continue;
        seen.add(c.target.table);
        ps.support.set(c.target.table, (ps.support.get(c.target.table) ?? 0) + c.score);
      }
    } else {
      for (const o of m.occurrences) {
        if (seen.has(o.table)) continue;
        seen.add(o.table);
        ps.support.set(o.table, (ps.support.get(o.table) ?? 0) + 0.5);
      }
    }
  }
}
