import type { LintDialect, LintLevel, LintRule } from './types.js';

/** A rule as its dialect's file writes it: `level` defaults to squawk's `warning`. */
export interface RuleSpec {
  readonly name: string;
  readonly optIn: boolean;
  readonly level?: LintLevel;
  readonly summary: string;
  readonly why: string;
  readonly fix: string;
  readonly bad: string;
  readonly good: string;
  readonly exampleOptions?: { readonly pgVersion?: number; readonly assumeInTransaction?: boolean };
}

/** The frozen `LintRule`s of one dialect, keeping the literal names for the checks keyed by them. */
export function defineRules<const T extends readonly RuleSpec[]>(
  dialect: LintDialect,
  specs: T,
): readonly (LintRule & { readonly name: T[number]['name'] })[] {
  return Object.freeze(
    specs.map((spec) => Object.freeze({ ...spec, level: spec.level ?? 'warning', dialect }) as LintRule),
  );
}
