import type { LinkedQuestion } from '../link-schema.js';
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
}

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
