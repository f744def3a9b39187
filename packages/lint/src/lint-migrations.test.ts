import { describe, expect, it } from 'vitest';
import { LintError } from './errors.js';
import { lintExitCode } from './lint-exit-code.js';
import { lintMigrations } from './lint-migrations.js';
import type { Finding } from './types.js';

const at = (findings: readonly Finding[]) => findings.map((f) => [f.rule, f.line, f.column] as const);

describe('lintMigrations', () => {
  it('reports line and column of the offending part, 1-based, in the file as written', async () => {
    const text = [
      '-- create the table',
      'CREATE TABLE IF NOT EXISTS events (',
      '  id bigint,',
      '  created timestamp',
      ');',
      '',
      '   CREATE INDEX users_id ON users (id);',
    ].join('\n');
    const { findings } = await lintMigrations([{ path: 'a.sql', text }], {
      dialect: 'postgres',
      rules: ['prefer-timestamptz', 'require-concurrent-index-creation', 'prefer-robust-stmts'],
    });
    expect(at(findings)).toEqual([
      ['prefer-timestamptz', 4, 11],
      ['prefer-robust-stmts', 7, 4],
      ['require-concurrent-index-creation', 7, 4],
    ]);
  });

  it('exempts a table created earlier in the file from the lock rules: nobody else uses it yet', async () => {
    const text =
      'CREATE TABLE IF NOT EXISTS events (id bigint);\nCREATE INDEX events_id ON events (id);\nALTER TABLE events ADD CONSTRAINT p CHECK (id > 0);';
    const rules = ['require-concurrent-index-creation', 'constraint-missing-not-valid'];
    expect(
      (await lintMigrations([{ path: 'a.sql', text }], { dialect: 'postgres', rules })).findings,
    ).toEqual([]);
    const other = text.replace('CREATE TABLE IF NOT EXISTS events', 'CREATE TABLE IF NOT EXISTS other');
    expect(
      at((await lintMigrations([{ path: 'a.sql', text: other }], { dialect: 'postgres', rules })).findings),
    ).toEqual([
      ['require-concurrent-index-creation', 2, 1],
      ['constraint-missing-not-valid', 3, 20],
    ]);
  });

  it('counts columns in characters after text that is not ASCII (libpg_query counts bytes)', async () => {
    const text =
      "COMMENT ON TABLE t IS 'café ☕ 🚀';\nALTER TABLE t ADD COLUMN ☕ char(1), ADD COLUMN b int;";
    const { findings } = await lintMigrations([{ path: 'u.sql', text }], {
      dialect: 'postgres',
      rules: ['ban-char-field', 'prefer-bigint-over-int'],
    });
    expect(at(findings)).toEqual([
      ['ban-char-field', 2, 28],
      ['prefer-bigint-over-int', 2, 50],
    ]);
  });

  it('points at the action inside a multi-action ALTER TABLE', async () => {
    const text = 'ALTER TABLE t\n  ADD COLUMN a text,\n  ALTER COLUMN b SET NOT NULL,\n  DROP COLUMN c;';
    const { findings } = await lintMigrations([{ path: 'm.sql', text }], {
      dialect: 'postgres',
      rules: ['adding-not-nullable-field', 'ban-drop-column'],
    });
    expect(at(findings)).toEqual([
      ['adding-not-nullable-field', 3, 3],
      ['ban-drop-column', 4, 3],
    ]);
  });

  it('reports a statement PostgreSQL cannot parse as a syntax-error (level error) at its position, and lints the rest', async () => {
    const text = 'ALTER TABLE users DROP COLUMN a;\nALTER TABLE users ADD COLUMN;\nDROP TABLE legacy;';
    const result = await lintMigrations([{ path: 'broken.sql', text }], {
      dialect: 'postgres',
      rules: ['ban-drop-column', 'ban-drop-table'],
    });
    expect(result.findings.map((f) => [f.rule, f.level, f.line, f.column])).toEqual([
      ['ban-drop-column', 'warning', 1, 19],
      ['syntax-error', 'error', 2, 29],
      ['ban-drop-table', 'warning', 3, 1],
    ]);
    expect(result.findings[1]?.message).toMatch(/^PostgreSQL cannot parse this statement: syntax error/);
    expect(lintExitCode(result)).toBe(9);
  });

  it('reports a comment that is never closed as a syntax-error', async () => {
    const { findings } = await lintMigrations(
      [{ path: 'c.sql', text: 'SELECT 1;\n/* never closed\nDROP TABLE t;' }],
      { dialect: 'postgres' },
    );
    expect(at(findings)).toEqual([['syntax-error', 2, 1]]);
  });

  it('maps PRODUCT.md exit codes: 0 clean, 8 warnings, 9 errors', async () => {
    expect(
      lintExitCode(await lintMigrations([{ path: 'a.sql', text: 'SELECT 1;' }], { dialect: 'postgres' })),
    ).toBe(0);
    expect(
      lintExitCode(
        await lintMigrations([{ path: 'a.sql', text: 'DROP DATABASE x;' }], { dialect: 'postgres' }),
      ),
    ).toBe(8);
    expect(lintExitCode({ findings: [] })).toBe(0);
  });

  it('rejects an unknown rule name with LINT_UNKNOWN_RULE listing the valid ones (of that dialect)', async () => {
    const error = await lintMigrations([], {
      dialect: 'postgres',
      rules: ['ban-drop-column', 'no-such-rule', 'mysql-table-copy'],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LintError);
    expect(error).toMatchObject({ code: 'LINT_UNKNOWN_RULE', unknown: ['no-such-rule', 'mysql-table-copy'] });
    const valid = (error as LintError).valid;
    expect(valid).toContain('require-concurrent-index-creation');
    expect(valid).not.toContain('mysql-table-copy');
    expect((error as Error).message).toContain('require-concurrent-index-creation');
  });

  it('runs opt-in rules only when named, and the default rules without them', async () => {
    const text = 'ALTER TABLE public.accounts ADD COLUMN IF NOT EXISTS status text;';
    const rules = (r: readonly Finding[]) => r.map((f) => f.rule);
    expect(
      rules((await lintMigrations([{ path: 'a.sql', text }], { dialect: 'postgres' })).findings),
    ).not.toContain('ban-add-column');
    expect(
      rules(
        (await lintMigrations([{ path: 'a.sql', text }], { dialect: 'postgres', rules: ['ban-add-column'] }))
          .findings,
      ),
    ).toEqual(['ban-add-column']);
  });

  it('rejects malformed options with LINT_BAD_OPTION', async () => {
    for (const options of [
      { dialect: 'oracle' },
      { dialect: 'postgres', pgVersion: 7 },
      { dialect: 'postgres', pgVersion: Number.NaN },
      { dialect: 'postgres', rules: [] },
    ]) {
      await expect(lintMigrations([], options as never)).rejects.toMatchObject({ code: 'LINT_BAD_OPTION' });
    }
    await expect(lintMigrations([{ path: 'a.sql' } as never], { dialect: 'postgres' })).rejects.toMatchObject(
      { code: 'LINT_BAD_OPTION' },
    );
  });

  it('rejects with LINT_ABORTED when the signal fired', async () => {
    await expect(
      lintMigrations([{ path: 'a.sql', text: 'SELECT 1' }], {
        dialect: 'mysql',
        signal: AbortSignal.abort(),
      }),
    ).rejects.toMatchObject({
      code: 'LINT_ABORTED',
    });
  });

  it('changes what is safe with pgVersion (a constant DEFAULT rewrites the table before PostgreSQL 11)', async () => {
    const text = 'ALTER TABLE t ADD COLUMN IF NOT EXISTS c integer DEFAULT 10;';
    const rule = (pgVersion: number) =>
      lintMigrations([{ path: 'a.sql', text }], {
        dialect: 'postgres',
        pgVersion,
        rules: ['adding-field-with-default'],
      }).then((r) => r.findings.length);
    expect(await rule(10)).toBe(1);
    expect(await rule(11)).toBe(0);
    expect(await rule(15)).toBe(0);
  });

  it('lints as if inside one transaction with assumeInTransaction', async () => {
    const text =
      'CREATE TABLE IF NOT EXISTS t (id bigint);\nCREATE INDEX CONCURRENTLY t_id ON t (id);\nCOMMIT;';
    const rules = ['ban-concurrent-index-creation-in-transaction', 'transaction-nesting'];
    const without = await lintMigrations([{ path: 'a.sql', text }], { dialect: 'postgres', rules });
    expect(without.findings.map((f) => f.rule)).toEqual(['transaction-nesting']);
    const within = await lintMigrations([{ path: 'a.sql', text }], {
      dialect: 'postgres',
      rules,
      assumeInTransaction: true,
    });
    expect(within.findings.map((f) => f.rule)).toEqual([
      'ban-concurrent-index-creation-in-transaction',
      'transaction-nesting',
    ]);
  });

  it('orders files by their layout and lints only what migrates up; layout: false lints every file as given', async () => {
    const files = [
      { path: 'db/2_drop.up.sql', text: 'DROP TABLE b;' },
      { path: 'db/2_drop.down.sql', text: 'DROP TABLE c;' },
      { path: 'db/1_drop.up.sql', text: 'DROP TABLE a;' },
    ];
    const result = await lintMigrations(files, { dialect: 'postgres', rules: ['ban-drop-table'] });
    expect(result.files).toEqual(['db/1_drop.up.sql', 'db/2_drop.up.sql']);
    expect(result.skipped).toEqual([{ path: 'db/2_drop.down.sql', reason: 'down-migration' }]);
    expect(result.findings.map((f) => f.file)).toEqual(['db/1_drop.up.sql', 'db/2_drop.up.sql']);
    const raw = await lintMigrations(files, {
      dialect: 'postgres',
      rules: ['ban-drop-table'],
      layout: false,
    });
    expect(raw.files).toEqual(files.map((f) => f.path));
    expect(raw.findings).toHaveLength(3);
  });

  it('lints the up section of a dbmate file in its transaction, with lines counted in the whole file', async () => {
    const text = [
      '-- migrate:up',
      'CREATE INDEX CONCURRENTLY i ON t (c);',
      'ALTER TABLE t ADD COLUMN d int;',
      '',
      '-- migrate:down',
      'DROP TABLE t;',
    ].join('\n');
    const rules = [
      'ban-concurrent-index-creation-in-transaction',
      'ban-drop-table',
      'prefer-bigint-over-int',
    ];
    const result = await lintMigrations([{ path: 'db/migrations/20240101000000_idx.sql', text }], {
      dialect: 'postgres',
      rules,
    });
    expect(at(result.findings)).toEqual([
      ['ban-concurrent-index-creation-in-transaction', 2, 14],
      ['prefer-bigint-over-int', 3, 28],
    ]);
    const noTx = text.replace('-- migrate:up', '-- migrate:up transaction:false');
    const outside = await lintMigrations([{ path: 'db/migrations/20240101000000_idx.sql', text: noTx }], {
      dialect: 'postgres',
      rules,
    });
    expect(outside.findings.map((f) => f.rule)).toEqual(['prefer-bigint-over-int']);
    // an explicit option wins over the layout
    const forced = await lintMigrations([{ path: 'db/migrations/20240101000000_idx.sql', text }], {
      dialect: 'postgres',
      rules,
      assumeInTransaction: false,
    });
    expect(forced.findings.map((f) => f.rule)).toEqual(['prefer-bigint-over-int']);
  });

  it('fills why and fix from the rule where the finding has no fix of its own', async () => {
    const { findings } = await lintMigrations([{ path: 'a.sql', text: 'CREATE INDEX i ON t (c);' }], {
      dialect: 'postgres',
      rules: ['require-concurrent-index-creation'],
    });
    expect(findings[0]).toMatchObject({
      rule: 'require-concurrent-index-creation',
      level: 'warning',
      file: 'a.sql',
      line: 1,
      column: 1,
      fix: 'CREATE INDEX CONCURRENTLY i ON t (c);',
    });
    expect(findings[0]?.why).toMatch(/SHARE lock/);
    expect(Object.keys(findings[0] ?? {}).sort()).toEqual([
      'column',
      'file',
      'fix',
      'level',
      'line',
      'message',
      'rule',
      'why',
    ]);
  });
});
