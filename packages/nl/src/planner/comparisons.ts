import type { CompareOp } from '../query-plan.js';
import { COMPARISON_CUES, TRAILING_COMPARISON_CUES, WORDS_BEFORE_AMOUNT } from '../vocabulary.js';
import { matchSeq, type PlannerState } from './state.js';
import type { Filter } from './types.js';

/** The comparison cue ending right before `at` (within the gap since `from`), with its start. */
export function comparisonBefore(
  ps: PlannerState,
  from: number,
  at: number,
): { op: CompareOp; start: number } | null {
  for (let s = at - 1; s >= from && s >= at - 4; s -= 1) {
    for (const cue of COMPARISON_CUES) {
      if (s + cue.words.length === at && matchSeq(ps.tokens, s, cue.words)) return { op: cue.op, start: s };
      // "more than the" / "at least a"
      if (
        s + cue.words.length === at - 1 &&
        matchSeq(ps.tokens, s, cue.words) &&
        WORDS_BEFORE_AMOUNT.has(ps.tokens[at - 1]!.norm)
      )
        return { op: cue.op, start: s };
    }
  }
  return null;
}

export function trailingComparison(ps: PlannerState, at: number): { op: CompareOp; end: number } | null {
  for (const cue of TRAILING_COMPARISON_CUES) {
    if (matchSeq(ps.tokens, at, cue.words)) return { op: cue.op, end: at + cue.words.length };
  }
  return null;
}

/** Upper (`<`, `<=`) or lower (`>`, `>=`) bound of a comparison with a number. */
export function bound(f: Filter): { upper: boolean; value: number; strict: boolean } | null {
  if (f.kind !== 'compare' || typeof f.value !== 'number') return null;
  if (f.op === '<' || f.op === '<=') return { upper: true, value: f.value, strict: f.op === '<' };
  if (f.op === '>' || f.op === '>=') return { upper: false, value: f.value, strict: f.op === '>' };
  return null;
}

/**
 * Indexes of filters that no single row can meet together with another filter on the same column:
 * two different values (`= 'cat'` and `= 'dog'`) or ranges that do not meet (`< 30` and `> 40`).
 */
export function conflictingFilters(filters: readonly Filter[]): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < filters.length; i += 1) {
    for (let j = i + 1; j < filters.length; j += 1) {
      const a = filters[i]!;
      const b = filters[j]!;
      if (a.kind !== 'compare' || b.kind !== 'compare') continue;
      if (a.col.table !== b.col.table || a.col.column !== b.col.column) continue;
      let conflict = false;
      if (a.op === '=' && b.op === '=') conflict = a.value !== b.value;
      else {
        const x = bound(a);
        const y = bound(b);
        if (x && y && x.upper !== y.upper) {
          const up = x.upper ? x : y;
          const low = x.upper ? y : x;
          conflict = up.value < low.value || (up.value === low.value && (up.strict || low.strict));
        }
      }
      if (conflict) {
        out.add(i);
        out.add(j);
      }
    }
  }
  return out;
}
