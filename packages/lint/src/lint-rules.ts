import { LintError } from './errors.js';
import { MYSQL_RULES } from './mysql/mysql-rules.js';
import { POSTGRES_RULES } from './postgres/postgres-rules.js';
import type { LintDialect, LintRule } from './types.js';

/**
 * Every rule of both dialects as data: name (squawk's for PostgreSQL), dialect, level, whether it is
 * opt-in, a summary, why it matters, the safe way, and a bad and a good example.
 */
export const LINT_RULES: readonly LintRule[] = Object.freeze([...POSTGRES_RULES, ...MYSQL_RULES]);

/** Rules the lint always runs: a file must parse, and an ignore comment must give its reason. */
const ALWAYS = new Set(['syntax-error', 'ignore-without-reason']);

/** Other names that select a rule (squawk's spellings). */
const ALIASES: Readonly<Record<LintDialect, Readonly<Record<string, string>>>> = {
  postgres: {
    'prefer-timestamp-tz': 'prefer-timestamptz',
    'require-lock-timeout': 'require-timeout-settings',
    'require-statement-timeout': 'require-timeout-settings',
  },
  mysql: {},
};

const byDialect = new Map<LintDialect, Map<string, LintRule>>();
for (const rule of LINT_RULES) {
  const map = byDialect.get(rule.dialect) ?? new Map<string, LintRule>();
  map.set(rule.name, rule);
  byDialect.set(rule.dialect, map);
}

/** The rule of `dialect` called `name` (or one of its aliases). */
export function findRule(dialect: LintDialect, name: string): LintRule | undefined {
  const map = byDialect.get(dialect);
  return map?.get(name) ?? map?.get(ALIASES[dialect][name] ?? '');
}

/** The names of the rules to run; throws `LINT_UNKNOWN_RULE` for a name the dialect does not have. */
export function selectRules(dialect: LintDialect, names: readonly string[] | undefined): Set<string> {
  const rules = [...(byDialect.get(dialect)?.values() ?? [])];
  if (names === undefined) return new Set(rules.filter((r) => !r.optIn).map((r) => r.name));
  if (names.length === 0)
    throw new LintError(
      'LINT_BAD_OPTION',
      'rules: name at least one rule (or leave it out for the defaults)',
    );
  const unknown = names.filter((n) => findRule(dialect, n) === undefined);
  if (unknown.length > 0) {
    const valid = rules.map((r) => r.name).sort();
    throw new LintError(
      'LINT_UNKNOWN_RULE',
      `unknown ${dialect} rule${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; the ${dialect} rules are: ${valid.join(', ')}`,
      { unknown, valid },
    );
  }
  const selected = new Set(names.map((n) => (findRule(dialect, n) as LintRule).name));
  for (const name of ALWAYS) selected.add(name);
  return selected;
}
