import { fingerprintSync, loadModule, normalizeSync } from 'libpg-query';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, analyzeSync } from './analyze.js';
import { SqlAbortedError, SqlParseError } from './errors.js';
import { normalizeStatement } from './normalize-statement.js';
import { loadParser } from './parser-loader.js';
import { riskAtLeast } from './risk.js';
import type { Analysis, SqlDialect } from './types.js';

async function first(sql: string, dialect: SqlDialect) {
  const { statements } = await analyze(sql, dialect);
  const st = statements[0];
  if (st === undefined) throw new Error('no statement');
  return st;
}

async function parseError(sql: string, dialect: SqlDialect): Promise<SqlParseError> {
  const error = await analyze(sql, dialect).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SqlParseError);
  return error as SqlParseError;
}

describe('analyze', () => {
  it('returns the JSON shape of aishell sql analyze --json', async () => {
    const analysis = await analyze('DELETE FROM users', 'postgres');
    expect(analysis).toEqual({
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
          fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
          normalized: 'DELETE FROM users',
        },
      ],
    });
  });

  it('gives each statement of a script its own analysis and text', async () => {
    const { statements } = await analyze("select 1; insert into t values ('a;b');", 'postgres');
    expect(statements.map((s) => [s.text, s.kind])).toEqual([
      ['select 1', 'select'],
      ["insert into t values ('a;b')", 'insert'],
    ]);
  });

  it('works synchronously once the parser is loaded', async () => {
    await loadParser('mysql');
    expect(analyzeSync('SELECT * FROM t', 'mysql').statements[0]?.tablesRead).toEqual(['t']);
  });

  it('refuses to start when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(analyze('select 1', 'postgres', { signal: controller.signal })).rejects.toBeInstanceOf(
      SqlAbortedError,
    );
  });

  it('lists the reasons of risk and of side effects, most severe first', async () => {
    const st = await first("WITH d AS (DELETE FROM t RETURNING *) SELECT nextval('s') FROM d", 'postgres');
    expect(st.reasons).toEqual(['DELETE without WHERE', 'calls nextval(), which has side effects']);
  });
});

describe('parse errors', () => {
  it('reports the PostgreSQL parser message with position, line, column and statement index', async () => {
    const sql = 'select 1;\nselect * frm t;';
    const error = await parseError(sql, 'postgres');
    expect(error.code).toBe('SQL_PARSE');
    expect(error.parserMessage).toBe('syntax error at or near "frm"');
    expect(error.statementIndex).toBe(1);
    expect(error.position).toBe(sql.indexOf('frm'));
    expect([error.line, error.column]).toEqual([2, 10]);
  });

  it('counts positions in characters, not bytes, after non-ASCII text', async () => {
    const sql = "select 'ééé'; selec 2";
    const error = await parseError(sql, 'postgres');
    expect(error.position).toBe(sql.indexOf('selec 2'));
  });

  it('never falls back to a lexical guess for PostgreSQL', async () => {
    const error = await parseError('PRAGMA journal_mode = wal', 'postgres');
    expect(error.parserMessage).toMatch(/syntax error/);
  });

  it('reports node-sql-parser messages for statements MySQL would not know either', async () => {
    const sql = 'select 1; frobnicate the table';
    const error = await parseError(sql, 'mysql');
    expect(error.statementIndex).toBe(1);
    expect(error.parserMessage).toMatch(/but "t" found/);
    expect(error.position).toBe(sql.indexOf('the table'));
  });

  it('masks a string literal quoted in the parser message, which may hold a password', async () => {
    const pg = await parseError("ALTER ROLE bob PASSWORD 'hunter2", 'postgres');
    expect(pg.message).not.toContain('hunter2');
    expect(pg.parserMessage).toBe('unterminated quoted string at or near "\'…"');
    const mysql = await parseError("SET PASSWORD = 'hunter2", 'mysql');
    expect(mysql.message).not.toContain('hunter2');
  });

  it('reports an unterminated string instead of classifying it', async () => {
    const error = await parseError("select 'abc", 'sqlite');
    expect(error.parserMessage).toMatch(/end of input/);
  });
});

describe('fingerprint and normalized text', () => {
  beforeAll(async () => {
    await loadModule();
  });

  const same: Record<SqlDialect, string[]> = {
    postgres: [
      "select * from users where id in (1, 2, 3) and name = 'x'",
      "SELECT *\n  FROM users -- who\n WHERE id IN (4) AND name = 'yy'",
      "Select * From users /* c */ Where id In (5,6) And name='z'",
    ],
    mysql: [
      "select * from users where id in (1, 2, 3) and name = 'x'",
      'SELECT *\n  FROM users # who\n WHERE id IN (4) AND name = "yy"',
      "Select * From users /* c */ Where id In (-5,6) And name='z'",
    ],
    sqlite: [
      "select * from users where id in (1, 2, 3) and name = 'x'",
      "SELECT *\n  FROM users -- who\n WHERE id IN (4) AND name = 'yy'",
      "Select * From users /* c */ Where id In (5,6) And name=X'00'",
    ],
  };

  for (const [dialect, variants] of Object.entries(same) as [SqlDialect, string[]][]) {
    it(`is the same for ${dialect} statements that differ in layout, case, comments, literals and IN lists`, async () => {
      const results = await Promise.all(variants.map((v) => first(v, dialect)));
      expect(new Set(results.map((r) => r.fingerprint)).size).toBe(1);
      expect(new Set(results.map((r) => r.normalized)).size).toBe(1);
    });

    it(`differs for ${dialect} statements that read other tables or columns`, async () => {
      const base = await first('select a from users where id = 1', dialect);
      const otherTable = await first('select a from people where id = 1', dialect);
      const otherColumn = await first('select b from users where id = 1', dialect);
      const otherOperator = await first('select a from users where id > 1', dialect);
      const fps = new Set([base, otherTable, otherColumn, otherOperator].map((r) => r.fingerprint));
      expect(fps.size).toBe(4);
    });
  }

  it("equals libpg_query's own fingerprint for PostgreSQL", async () => {
    const sql = "SELECT u.id FROM users u JOIN orders o ON o.uid = u.id WHERE o.total > 10 AND u.name = 'a'";
    expect((await first(sql, 'postgres')).fingerprint).toBe(fingerprintSync(sql));
  });

  it('carries the PostgreSQL fingerprint (computed on first read) into JSON, spreads and keys', async () => {
    const script = 'select 1; select a from t where b = 2';
    const analysis = await analyze(script, 'postgres');
    const json = JSON.parse(JSON.stringify(analysis)) as Analysis;
    expect(json.statements.map((s) => s.fingerprint)).toEqual([
      fingerprintSync('select 1'),
      fingerprintSync('select a from t where b = 2'),
    ]);
    const [one] = analysis.statements;
    expect(Object.keys(one ?? {})).toContain('fingerprint');
    expect({ ...one }.fingerprint).toBe(fingerprintSync('select 1'));
  });

  it("replaces the same PostgreSQL constants as libpg_query's normalize", async () => {
    const statements = [
      "SELECT * FROM t WHERE a = -1 AND b = 'é' AND c = $1 AND d IN (1, 2)",
      "SELECT interval '1 day', DATE '2024-01-01', 1.5e3, true, NULL FROM t LIMIT 10 OFFSET 5",
      "INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y') RETURNING a",
      "UPDATE t SET a = a - 1, b = 'ü€' WHERE c::text = '3'",
      'SELECT x.a FROM (VALUES (1), (2)) x(a) WHERE x.a > - 5',
    ];
    for (const sql of statements) {
      const viaLibrary = normalizeStatement(normalizeSync(sql), 'postgres');
      expect((await first(sql, 'postgres')).normalized).toBe(viaLibrary);
    }
  });

  it('places PostgreSQL placeholders right in a later statement after non-ASCII text', async () => {
    const { statements } = await analyze("select 'ü'; SELECT * FROM t WHERE b = 'é€' AND c = 5", 'postgres');
    expect(statements.map((s) => s.normalized)).toEqual([
      'SELECT $1',
      'SELECT * FROM t WHERE b = $1 AND c = $2',
    ]);
  });

  it('folds PostgreSQL normalized text to placeholders with IN lists collapsed and renumbered', async () => {
    const st = await first("SELECT * FROM t WHERE a IN (1, 2, 3) AND b = 'x' -- note", 'postgres');
    expect(st.normalized).toBe('SELECT * FROM t WHERE a IN (...) AND b = $1');
  });

  it('folds MySQL normalized text to ? placeholders', async () => {
    const st = await first("UPDATE `Users` SET name = 'x', n = -1 WHERE id IN (1,2)", 'mysql');
    expect(st.normalized).toBe('UPDATE `Users` SET name = ?, n = ? WHERE id IN (...)');
  });
});

describe('riskAtLeast', () => {
  it('orders risks low < medium < high < critical', () => {
    expect(riskAtLeast('critical', 'high')).toBe(true);
    expect(riskAtLeast('high', 'high')).toBe(true);
    expect(riskAtLeast('medium', 'high')).toBe(false);
    expect(riskAtLeast('low', 'low')).toBe(true);
  });
});
