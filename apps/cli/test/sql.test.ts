import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('aishell sql analyze', { timeout: 120_000 }, () => {
  it("prints PRODUCT.md's JSON shape for a statement", async () => {
    const r = await runCli(['sql', 'analyze', 'DELETE FROM users', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      dialect: 'postgres',
      statements: [
        {
          text: 'DELETE FROM users',
          kind: 'delete',
          readOnly: false,
          tablesRead: [],
          tablesWritten: ['users'],
          risk: 'critical',
          reasons: ['DELETE without WHERE'],
          volatile: false,
          fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
          normalized: 'DELETE FROM users',
        },
      ],
    });
  });

  it('analyzes every statement of a script in the dialect asked for', async () => {
    const r = await runCli([
      'sql',
      'analyze',
      "SELECT 'a;b' FROM `t`; UPDATE t SET a = 1 WHERE 1 = 1",
      '--dialect',
      'mysql',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { dialect: string; statements: { kind: string; risk: string }[] };
    expect(out.dialect).toBe('mysql');
    expect(out.statements.map((s) => [s.kind, s.risk])).toEqual([
      ['select', 'low'],
      ['update', 'critical'],
    ]);
  });

  it('reads SQL from stdin with - and from a file with --file', async () => {
    const fromStdin = await runCli(['sql', 'analyze', '-', '--dialect', 'sqlite', '--json'], {
      input: 'PRAGMA journal_mode = WAL',
    });
    expect(fromStdin.code, fromStdin.stderr).toBe(0);
    expect(JSON.parse(fromStdin.stdout).statements[0]).toMatchObject({ kind: 'utility', readOnly: false });

    const dir = mkdtempSync(path.join(os.tmpdir(), 'aishell-sql-'));
    const file = path.join(dir, 'script.sql');
    writeFileSync(file, 'select 1;\nselect 2;\n');
    const fromFile = await runCli(['sql', 'analyze', '--file', file, '--json']);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(JSON.parse(fromFile.stdout).statements).toHaveLength(2);
  });

  it('shows a table with kind, risk and reasons for people', async () => {
    const r = await runCli(['sql', 'analyze', 'drop table users']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/kind\s*\|\s*risk/);
    expect(r.stdout).toMatch(/ddl\s*\|\s*critical\s*\|\s*no\s*\|/);
    expect(r.stdout).toContain('DROP TABLE');
  });

  it('exits 4 with SQL_PARSE and the position for a statement the parser rejects', async () => {
    const r = await runCli(['sql', 'analyze', 'select 1;\nselect * frm t', '--json']);
    expect(r.code).toBe(4);
    const { error } = JSON.parse(r.stdout) as { error: { code: string; message: string } };
    expect(error.code).toBe('SQL_PARSE');
    expect(error.message).toContain('syntax error at or near "frm"');
    expect(error.message).toContain('line 2, column 10');
  });

  it('exits 2 for an unknown dialect', async () => {
    const r = await runCli(['sql', 'analyze', 'select 1', '--dialect', 'oracle']);
    expect(r.code).toBe(2);
  });
});

describe('aishell sql format', { timeout: 120_000 }, () => {
  it('formats SQL with upper-case keywords', async () => {
    const r = await runCli(['sql', 'format', 'select a,b from t where x=1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('SELECT\n  a,\n  b\nFROM\n  t\nWHERE\n  x = 1\n');
  });

  it('takes the dialect, keyword case and indentation, and prints JSON', async () => {
    const r = await runCli(
      ['sql', 'format', '-', '--dialect', 'mysql', '--keyword-case', 'lower', '--indent', '4', '--json'],
      { input: 'SELECT `a` FROM `t`' },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ dialect: 'mysql', formatted: 'select\n    `a`\nfrom\n    `t`' });
  });
});
