import { describe, expect, it } from 'vitest';
import { lintMigrations } from './lint-migrations.js';
import { LINT_RULES } from './lint-rules.js';
import { MYSQL_CHECKS } from './mysql/mysql-checks.js';
import { POSTGRES_CHECKS } from './postgres/postgres-checks.js';
import { LINT_DIALECTS, type LintRule } from './types.js';

const META = ['syntax-error', 'ignore-without-reason', 'unused-ignore'];

// squawk's PostgreSQL rules, by squawk's names (crates/squawk_linter/src/lib.rs), every one present
const SQUAWK_RULES = [
  'adding-field-with-default',
  'adding-foreign-key-constraint',
  'adding-not-nullable-field',
  'adding-required-field',
  'adding-serial-primary-key-field',
  'ban-alter-domain-with-add-constraint',
  'ban-char-field',
  'ban-concurrent-index-creation-in-transaction',
  'ban-create-domain-with-constraint',
  'ban-drop-column',
  'ban-drop-database',
  'ban-drop-not-null',
  'ban-drop-table',
  'ban-truncate-cascade',
  'ban-duplicate-column-assignments',
  'ban-uncommitted-transaction',
  'changing-column-type',
  'constraint-missing-not-valid',
  'disallowed-unique-constraint',
  'identifier-too-long',
  'prefer-bigint-over-int',
  'prefer-bigint-over-smallint',
  'prefer-identity',
  'prefer-repack',
  'prefer-robust-stmts',
  'prefer-text-field',
  'prefer-timestamptz',
  'renaming-column',
  'renaming-table',
  'require-concurrent-index-creation',
  'require-concurrent-index-deletion',
  'require-concurrent-partition-detach',
  'require-concurrent-reindex',
  'require-enum-value-ordering',
  'require-table-schema',
  'require-timeout-settings',
  'transaction-nesting',
  'unused-ignore',
  'ban-drop-view',
  'ban-drop-function',
  'ban-drop-type',
  'ban-drop-default',
  'ban-drop-trigger',
  'ban-drop-schema',
  'ban-drop-sequence',
  'ban-drop-domain',
  'ban-drop-constraint',
  'ban-drop-generated-expression',
  'renaming-object',
  'ban-set-schema',
  'ban-alter-identity',
  'ban-drop-extension',
  'ban-alter-generated-expression',
  'ban-drop-index',
  'ban-set-default',
  'ban-disable-trigger',
  'ban-replica-identity',
  'ban-drop-policy',
  'ban-revoke',
  'ban-replace-view-function',
  'ban-alter-policy-condition',
  'ban-alter-policy-roles',
  'ban-create-policy',
  'ban-alter-function-options',
  'ban-alter-view-options',
  'ban-alter-role-options',
  'ban-alter-database-options',
  'ban-alter-row-level-security',
  'ban-new-write-restriction',
  'ban-add-enum-value',
  'ban-add-composite-attribute',
  'ban-add-column',
  'ban-detach-inheritance',
  'ban-alter-sequence-values',
  'ban-alter-system-options',
  'ban-alter-extension',
];

const examples = (rule: LintRule, sql: string, rules?: string[]) =>
  lintMigrations([{ path: `${rule.name}.sql`, text: sql }], {
    dialect: rule.dialect,
    ...(rules === undefined ? {} : { rules }),
    ...rule.exampleOptions,
  });

describe('LINT_RULES', () => {
  it("has every one of squawk's PostgreSQL rules under squawk's name", () => {
    const names = LINT_RULES.filter((r) => r.dialect === 'postgres').map((r) => r.name);
    expect(SQUAWK_RULES.filter((n) => !names.includes(n))).toEqual([]);
  });

  it.each(LINT_DIALECTS)(
    'names each %s rule once and has a check for every rule that is not a meta rule',
    (dialect) => {
      const names = LINT_RULES.filter((r) => r.dialect === dialect).map((r) => r.name);
      expect(new Set(names).size).toBe(names.length);
      const checks = Object.keys(dialect === 'postgres' ? POSTGRES_CHECKS : MYSQL_CHECKS);
      expect([...checks, ...META].sort()).toEqual([...names].sort());
    },
  );

  it("gives every rule a summary, why, fix and both examples, at squawk's levels", () => {
    for (const r of LINT_RULES) {
      for (const field of ['summary', 'why', 'fix', 'bad', 'good'] as const)
        expect(r[field], `${r.name}.${field}`).not.toBe('');
      expect(r.level, r.name).toBe(r.name === 'syntax-error' ? 'error' : 'warning');
    }
  });
});

describe.each(LINT_RULES.map((r) => [`${r.dialect} ${r.name}`, r] as const))('%s', (_label, rule) => {
  it('reports its bad example exactly once', async () => {
    const { findings } = await examples(rule, rule.bad, [rule.name]);
    expect(findings.map((f) => f.rule)).toEqual([rule.name]);
    expect(findings[0]).toMatchObject({ level: rule.level, file: `${rule.name}.sql`, why: rule.why });
    expect(findings[0]?.fix).not.toBe('');
  });

  it('does not report its good example, alone or among every default rule', async () => {
    expect((await examples(rule, rule.good, [rule.name])).findings).toEqual([]);
    const all = await examples(rule, rule.good, rule.optIn ? undefined : undefined);
    expect(all.findings.filter((f) => f.rule === rule.name)).toEqual([]);
  });
});
