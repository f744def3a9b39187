import { describe, expect, it } from 'vitest';
import { splitStatements } from './split-statements.js';
import type { SqlDialect } from './types.js';

const texts = (sql: string, dialect: SqlDialect): string[] =>
  splitStatements(sql, dialect).map((s) => s.text);

describe('splitStatements', () => {
  it('splits at top-level semicolons and drops empty statements', () => {
    expect(texts('select 1; ;; select 2 ;\n\n', 'postgres')).toEqual(['select 1', 'select 2']);
  });

  it('reports offsets that slice the statement out of the input', () => {
    const sql = '  select 1;\n  -- lead\n  select 2  ';
    for (const span of splitStatements(sql, 'postgres'))
      expect(sql.slice(span.start, span.end)).toBe(span.text);
    expect(splitStatements(sql, 'postgres')[1]).toEqual({ text: 'select 2', start: 24, end: 32 });
  });

  it('keeps semicolons inside single-quoted strings with doubled quotes', () => {
    expect(texts("select 'a;''b;'; select 2", 'sqlite')).toEqual(["select 'a;''b;'", 'select 2']);
  });

  it('keeps semicolons inside quoted identifiers of each dialect', () => {
    expect(texts('select "a;b" from t; select 2', 'postgres')).toEqual(['select "a;b" from t', 'select 2']);
    expect(texts('select `a;b` from t; select 2', 'mysql')).toEqual(['select `a;b` from t', 'select 2']);
    expect(texts('select [a;b] from t; select 2', 'sqlite')).toEqual(['select [a;b] from t', 'select 2']);
  });

  it('keeps semicolons inside PostgreSQL dollar quotes, tagged or not', () => {
    const sql = 'select $$a;b$$; select $fn$ x; $$ y; $fn$; select $1';
    expect(texts(sql, 'postgres')).toEqual(['select $$a;b$$', 'select $fn$ x; $$ y; $fn$', 'select $1']);
  });

  it('keeps semicolons inside E-strings with backslash escapes', () => {
    expect(texts("select E'it\\'s; here'; select 2", 'postgres')).toEqual([
      "select E'it\\'s; here'",
      'select 2',
    ]);
  });

  it('reads backslash escapes and double-quoted strings in MySQL', () => {
    expect(texts('select \'it\\\'s; here\', "x;\\"y"; select 2', 'mysql')).toEqual([
      'select \'it\\\'s; here\', "x;\\"y"',
      'select 2',
    ]);
  });

  it('ignores semicolons in line and block comments and drops comment-only statements', () => {
    expect(texts('select 1 -- a;b\n; /* c;d */ ; select 2 /* e; */', 'postgres')).toEqual([
      'select 1',
      'select 2',
    ]);
  });

  it('reads nested block comments in PostgreSQL only', () => {
    expect(texts('/* a /* b; */ c; */ select 1; select 2', 'postgres')).toEqual(['select 1', 'select 2']);
  });

  it('reads # comments in MySQL and requires a space after -- there', () => {
    expect(texts('select 1 # x;y\n; select 2 -- z;w\n', 'mysql')).toEqual(['select 1', 'select 2']);
    expect(texts('select 5--1; select 2', 'mysql')).toEqual(['select 5--1', 'select 2']);
  });

  it('keeps MySQL executable comments as statements', () => {
    expect(texts('/*!40101 SET NAMES utf8 */; select 1', 'mysql')).toEqual([
      '/*!40101 SET NAMES utf8 */',
      'select 1',
    ]);
  });

  it('keeps MariaDB /*M! comments as statements and a ; inside an executable comment inside it', () => {
    expect(texts('/*M!100100 SET x = 1 */; SELECT 1 /*!; DROP TABLE t */; select 2', 'mysql')).toEqual([
      '/*M!100100 SET x = 1 */',
      'SELECT 1 /*!; DROP TABLE t */',
      'select 2',
    ]);
  });

  it('does not end an executable comment at a */ inside one of its strings', () => {
    expect(texts("/*! SELECT '*/; x' */; select 2", 'mysql')).toEqual(["/*! SELECT '*/; x' */", 'select 2']);
  });

  it('keeps the BEGIN ... END body of a trigger together', () => {
    const sql = 'create trigger t after insert on a begin update b set n = 1; delete from c; end; select 1';
    expect(texts(sql, 'sqlite')).toEqual([
      'create trigger t after insert on a begin update b set n = 1; delete from c; end',
      'select 1',
    ]);
  });

  it('keeps a MySQL procedure body with END IF and CASE together', () => {
    const sql =
      'CREATE PROCEDURE p() BEGIN IF x THEN SELECT 1; END IF; CASE WHEN y THEN SELECT 2; END CASE; END; SELECT 3';
    expect(texts(sql, 'mysql')).toHaveLength(2);
  });

  it('keeps a PostgreSQL BEGIN ATOMIC function body together', () => {
    const sql = 'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END; SELECT 3';
    expect(texts(sql, 'postgres')).toHaveLength(2);
  });

  it('does not treat BEGIN as a block outside CREATE', () => {
    expect(texts('BEGIN; SELECT 1; END;', 'sqlite')).toEqual(['BEGIN', 'SELECT 1', 'END']);
  });

  it('keeps semicolons inside parentheses (CREATE RULE actions)', () => {
    const sql =
      'CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2)); SELECT 1';
    expect(texts(sql, 'postgres')).toHaveLength(2);
  });

  it('runs an unterminated string to the end of the input instead of splitting inside it', () => {
    expect(texts("select 'abc; select 2", 'postgres')).toEqual(["select 'abc; select 2"]);
  });

  it("follows the mysql client's DELIMITER lines and never sends them", () => {
    const script = [
      'drop procedure if exists p;',
      'DELIMITER //',
      'CREATE PROCEDURE p(IN n INT)',
      'BEGIN',
      "  SELECT n, ';' AS semi;",
      '  SELECT n + 1;',
      'END //',
      "select '//' as slashes //",
      '-- a comment alone //',
      'delimiter ;',
      'call p(1);',
    ].join('\n');
    const statements = splitStatements(script, 'mysql');
    expect(statements.map((s) => s.text)).toEqual([
      'drop procedure if exists p',
      "CREATE PROCEDURE p(IN n INT)\nBEGIN\n  SELECT n, ';' AS semi;\n  SELECT n + 1;\nEND",
      "select '//' as slashes",
      'call p(1)',
    ]);
    for (const s of statements) expect(script.slice(s.start, s.end)).toBe(s.text);
  });

  it('reads a delimiter glued to the last word, and DELIMITER inside a string or comment as text', () => {
    const script =
      'DELIMITER $$\nCREATE FUNCTION f() RETURNS INT DETERMINISTIC BEGIN RETURN 1; END$$\nDELIMITER ;\nselect f();';
    expect(texts(script, 'mysql')).toEqual([
      'CREATE FUNCTION f() RETURNS INT DETERMINISTIC BEGIN RETURN 1; END',
      'select f()',
    ]);
    expect(texts("select 'a\ndelimiter //\nb'; /*\ndelimiter $$\n*/ select 2;", 'mysql')).toEqual([
      "select 'a\ndelimiter //\nb'",
      'select 2',
    ]);
  });

  it('returns nothing for an empty or comment-only script', () => {
    expect(splitStatements('', 'mysql')).toEqual([]);
    expect(splitStatements(' -- nothing\n/* here */ ;', 'postgres')).toEqual([]);
  });
});
