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
          volatile: false,
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

describe('literals in normalized text and reasons', () => {
  // A secret in every literal position we could think of: normalized text goes to the metrics history.
  const SECRET = 'S3cr3tZq';
  const NUMBER = '987654321';
  const statements: Record<SqlDialect, string[]> = {
    postgres: [
      `CREATE ROLE r LOGIN PASSWORD '${SECRET}'`,
      `CREATE USER u WITH ENCRYPTED PASSWORD '${SECRET}' VALID UNTIL '${SECRET}'`,
      `ALTER ROLE r PASSWORD '${SECRET}'`,
      `ALTER USER u WITH PASSWORD '${SECRET}'`,
      `ALTER ROLE r SET app.token = '${SECRET}'`,
      `CREATE USER MAPPING FOR bob SERVER s OPTIONS (user '${SECRET}', password '${SECRET}')`,
      `ALTER USER MAPPING FOR bob SERVER s OPTIONS (SET password '${SECRET}')`,
      `CREATE SERVER s FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '${SECRET}', port '${NUMBER}')`,
      `CREATE SUBSCRIPTION sub CONNECTION 'host=x password=${SECRET}' PUBLICATION p`,
      `SELECT E'${SECRET}', U&'${SECRET}', N'${SECRET}', $$${SECRET}$$, $q$${SECRET}$q$, ${NUMBER}, ${NUMBER}.5e3, -${NUMBER}`,
      `SELECT B'1010', X'${NUMBER}', '${SECRET}'::text, interval '${SECRET}', DATE '${SECRET}', 0b1010`,
      `SELECT * FROM dblink('password=${SECRET}', 'select 1') AS t(a int)`,
      `SET app.token = '${SECRET}'`,
      `SET search_path = ${SECRET}`,
      `ALTER SYSTEM SET app.token = '${SECRET}'`,
      `COMMENT ON TABLE t IS '${SECRET}'`,
      `SECURITY LABEL ON TABLE t IS '${SECRET}'`,
      `DO $$ BEGIN RAISE NOTICE '${SECRET}'; END $$`,
      `CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$ SELECT '${SECRET}' $$`,
      `COPY t FROM PROGRAM 'curl ${SECRET}'`,
      `PREPARE TRANSACTION '${SECRET}'`,
      `NOTIFY c, '${SECRET}'`,
      `LOAD '${SECRET}'`,
      `INSERT INTO t VALUES ('${SECRET}', ${NUMBER}) ON CONFLICT (id) DO UPDATE SET a = '${SECRET}'`,
      `UPDATE t SET a = '${SECRET}' WHERE b IN ('${SECRET}', ${NUMBER})`,
      `PREPARE q AS SELECT '${SECRET}'; EXECUTE q('${SECRET}')`,
      `CREATE TABLE t (a text DEFAULT '${SECRET}' CHECK (a <> '${SECRET}'), b varchar(${NUMBER}))`,
      `CREATE DATABASE d LOCALE '${SECRET}'`,
      `FETCH ${NUMBER} FROM c`,
      // the splitter keeps this together (a function named begin); PostgreSQL reads three statements
      `create function begin() returns int language sql as '${SECRET}'; select '${SECRET}'; select ${NUMBER}`,
    ],
    mysql: [
      `CREATE USER 'bob'@'%' IDENTIFIED BY '${SECRET}'`,
      `CREATE USER '${SECRET}'@'${SECRET}' IDENTIFIED WITH mysql_native_password AS '${SECRET}'`,
      `ALTER USER 'bob'@'%' IDENTIFIED BY "${SECRET}"`,
      `SET PASSWORD FOR 'bob'@'%' = '${SECRET}'`,
      `GRANT ALL ON *.* TO 'bob'@'%' IDENTIFIED BY '${SECRET}'`,
      `SELECT '${SECRET}', "${SECRET}", _utf8mb4'${SECRET}', N'${SECRET}', X'${NUMBER}', 0x${NUMBER}, b'01', 0b0101, ${NUMBER}, -${NUMBER}`,
      `SELECT AES_ENCRYPT('x', '${SECRET}')`,
      `INSERT INTO t VALUES ('${SECRET}') ON DUPLICATE KEY UPDATE a = "${SECRET}"`,
      `DELETE FROM t WHERE a = '${SECRET}' LIMIT ${NUMBER}`,
      `SET @token = '${SECRET}', @@session.x = ${NUMBER}`,
      `SET GLOBAL x = '${SECRET}'`,
      `SET @'${SECRET}' = 1`,
      `SET /*!GLOBAL */ x = '${SECRET}'`,
      `/*!50000 INSERT INTO t VALUES ('${SECRET}') */`,
      `SELECT 1 /*!INTO OUTFILE '/tmp/${SECRET}' */`,
      `SELECT 1 /*M!100100 , '${SECRET}' */`,
      `PREPARE s FROM 'SELECT ''${SECRET}'''`,
      `EXECUTE IMMEDIATE 'SELECT "${SECRET}"'`,
      `CHANGE REPLICATION SOURCE TO SOURCE_PASSWORD = '${SECRET}'`,
      `CHANGE MASTER TO MASTER_PASSWORD='${SECRET}'`,
      `LOAD DATA INFILE '/tmp/${SECRET}' INTO TABLE t FIELDS TERMINATED BY '${SECRET}'`,
      `CREATE SERVER s FOREIGN DATA WRAPPER mysql OPTIONS (USER '${SECRET}', PASSWORD '${SECRET}')`,
    ],
    sqlite: [
      `SELECT '${SECRET}', X'${NUMBER}', ${NUMBER}, ${NUMBER}.5e3, -${NUMBER}`,
      `INSERT OR REPLACE INTO t VALUES ('${SECRET}')`,
      `INSERT INTO t VALUES (1) ON CONFLICT DO UPDATE SET a = '${SECRET}'`,
      `UPDATE t SET a = '${SECRET}' WHERE b = ${NUMBER}`,
      `ATTACH DATABASE '${SECRET}.db' AS x`,
      `VACUUM INTO '/tmp/${SECRET}.db'`,
      `SELECT load_extension('${SECRET}')`,
      `CREATE TABLE t (a TEXT DEFAULT '${SECRET}')`,
      // SQLCipher's key, quoted as a string, as a name, or bare
      `PRAGMA key = '${SECRET}'`,
      `PRAGMA key = "x'${NUMBER}'"`,
      `PRAGMA rekey = ${SECRET}`,
      `PRAGMA cipher_compatibility(${NUMBER})`,
    ],
  };

  for (const [dialect, list] of Object.entries(statements) as [SqlDialect, string[]][]) {
    it.each(list)(
      `keeps no literal of a ${dialect} statement in normalized text or reasons: %s`,
      async (sql) => {
        const analysis = await analyze(sql, dialect);
        expect(analysis.statements.length).toBeGreaterThan(0);
        for (const st of analysis.statements) {
          for (const text of [st.normalized, ...st.reasons]) {
            expect(text.toLowerCase()).not.toContain(SECRET.toLowerCase());
            expect(text).not.toContain(NUMBER);
          }
        }
      },
    );
  }

  it("keeps libpg_query's fingerprint of the text for a statement whose password normalize replaces", async () => {
    const sql = `CREATE ROLE r PASSWORD '${SECRET}'`;
    const st = await first(sql, 'postgres');
    expect(st.normalized).toBe('CREATE role r password $1');
    expect(st.fingerprint).toBe(fingerprintSync(sql));
  });

  it('normalizes the content of MySQL executable comments as the SQL it is', async () => {
    const st = await first("SELECT 1 /*!INTO OUTFILE '/tmp/x' */", 'mysql');
    expect(st.normalized).toBe('SELECT ? INTO OUTFILE ?');
    expect(st.text).toBe("SELECT 1 /*!INTO OUTFILE '/tmp/x' */");
  });

  it("replaces the host of MySQL's 'user'@'host' too", async () => {
    const st = await first("DROP USER 'bob'@'10.0.0.1'", 'mysql');
    expect(st.normalized).toBe('DROP USER ? @?');
  });
});

describe('MySQL executable comments', () => {
  it('keeps the original text, with the risk and readOnly of what the server runs', async () => {
    const st = await first('SET /*!GLOBAL */ max_connections = 151', 'mysql');
    expect(st).toMatchObject({
      text: 'SET /*!GLOBAL */ max_connections = 151',
      risk: 'high',
      readOnly: false,
    });
    expect(st.reasons[0]).toBe('SET GLOBAL changes the server configuration');
  });

  it('reads MariaDB /*M! comments as executable, with or without a version', async () => {
    for (const sql of ['SET /*M! GLOBAL */ x = 1', 'SET /*M!100100 GLOBAL */ x = 1']) {
      expect((await first(sql, 'mysql')).risk).toBe('high');
    }
  });

  it('takes the worst of several statements an executable comment makes, without hiding one', async () => {
    const { statements } = await analyze('SELECT * FROM a /*!; DELETE FROM b */; SELECT 2', 'mysql');
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatchObject({
      text: 'SELECT * FROM a /*!; DELETE FROM b */',
      kind: 'delete',
      risk: 'critical',
      readOnly: false,
      tablesRead: ['a'],
      tablesWritten: ['b'],
    });
    expect(statements[0]?.reasons).toContain('DELETE without WHERE');
  });

  it('reports a parse error inside an executable comment at its place in the input', async () => {
    const sql = 'SELECT 1; /*!50000 frobnicate the table */';
    const error = await parseError(sql, 'mysql');
    expect(error.statementIndex).toBe(1);
    expect(error.position).toBe(sql.indexOf('the table'));
  });

  it('reports an executable comment left open as a parse error, as the server does', async () => {
    const sql = 'SELECT 1 /*! DROP TABLE t';
    const error = await parseError(sql, 'mysql');
    expect(error.parserMessage).toBe('unterminated executable comment');
    expect(error.position).toBe(sql.indexOf('/*!'));
  });

  it('refuses to open executable comments nested deeper than 16, instead of reading them as comments', async () => {
    const nested = (depth: number): string => (depth === 0 ? 'DROP TABLE t' : `/*! ${nested(depth - 1)} */`);
    expect((await first(nested(16), 'mysql')).risk).toBe('critical');
    expect((await parseError(nested(17), 'mysql')).parserMessage).toBe(
      'executable comments nested more than 16 deep',
    );
  });

  it('leaves executable comments to be plain comments in PostgreSQL and SQLite', async () => {
    expect((await first('SELECT 1 /*! DROP TABLE t */', 'postgres')).risk).toBe('low');
    expect((await first('SELECT 1 /*! DROP TABLE t */', 'sqlite')).risk).toBe('low');
  });
});

describe('dynamic SQL', () => {
  it('rates PREPARE ... FROM a literal by the statement it prepares, with the reasons behind PREPARE', async () => {
    const st = await first("PREPARE s FROM 'DELETE FROM t'", 'mysql');
    expect(st.reasons).toContain('PREPARE ... FROM: DELETE without WHERE');
    expect(st.tablesWritten).toEqual(['t']);
  });

  it('says why SQL in a variable or an expression cannot be seen', async () => {
    expect((await first('PREPARE s FROM @sql', 'mysql')).reasons[0]).toBe(
      'PREPARE ... FROM prepares SQL that aishell cannot see (not a string literal)',
    );
    expect((await first("EXECUTE IMMEDIATE CONCAT('DELETE FROM ', @t)", 'mysql')).reasons[0]).toBe(
      'EXECUTE IMMEDIATE runs SQL that aishell cannot see (not a string literal)',
    );
  });

  it('gives EXECUTE the facts of the statement prepared under its name earlier in the input', async () => {
    const sql = "PREPARE s FROM 'UPDATE t SET a = 1 WHERE id = ?'; EXECUTE s USING @id";
    const { statements } = await analyze(sql, 'mysql');
    expect(statements[1]).toMatchObject({
      kind: 'update',
      risk: 'high',
      readOnly: false,
      tablesWritten: ['t'],
    });
    expect(statements[1]?.reasons[0]).toBe('EXECUTE (prepared above): UPDATE changes existing rows');
  });

  it('does not carry prepared statements from one analyze call to the next', async () => {
    await analyze("PREPARE s FROM 'SELECT 1'", 'mysql');
    const st = await first('EXECUTE s', 'mysql');
    expect(st.risk).toBe('high');
    expect(st.reasons[0]).toBe('EXECUTE runs a prepared statement that aishell cannot see');
  });

  it('rates a PostgreSQL EXECUTE of a name not prepared in the input high', async () => {
    const st = await first('EXECUTE q(1)', 'postgres');
    expect(st.risk).toBe('high');
    expect(st.reasons).toEqual(['EXECUTE runs a prepared statement that aishell cannot see']);
  });
});

describe('CALL', () => {
  it.each(['postgres', 'mysql'] as const)(
    'stays medium in %s with a reason that aishell cannot see inside and what --read-only does',
    async (dialect) => {
      const st = await first('CALL refresh_all()', dialect);
      expect(st.risk).toBe('medium');
      expect(st.reasons[0]).toBe(
        "CALL runs a procedure that aishell cannot see inside (under --read-only the server's READ ONLY transaction refuses its writes)",
      );
    },
  );
});

describe('riskAtLeast', () => {
  it('orders risks low < medium < high < critical', () => {
    expect(riskAtLeast('critical', 'high')).toBe(true);
    expect(riskAtLeast('high', 'high')).toBe(true);
    expect(riskAtLeast('medium', 'high')).toBe(false);
    expect(riskAtLeast('low', 'low')).toBe(true);
  });
});
