// Loading schema files statement by statement on the real engines, and the error that names the one
// that failed.
import { afterAll, describe, expect, it } from 'vitest';
import { SchemaError } from './errors.js';
import { loadSchemaScript } from './load-schema-script.js';
import { mysqlScratch, PgliteScratches, sqliteScratch } from './test-support/scratch.js';

const pglite = new PgliteScratches();
afterAll(() => pglite.close());

async function failure(promise: Promise<unknown>): Promise<SchemaError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SchemaError);
  return error as SchemaError;
}

describe('loadSchemaScript', () => {
  it('runs every statement of a PostgreSQL file, dollar-quoted bodies included', async () => {
    const db = await pglite.get();
    try {
      const script = `create table t (id int);\n-- a comment; with a semicolon\ncreate function f() returns int language plpgsql as $$ begin return 1; end $$;\ninsert into t values (1);`;
      await expect(loadSchemaScript(db.run, script, 'postgres')).resolves.toEqual({ statements: 3 });
      expect((await db.run('select f() as one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await db.close();
    }
  });

  it('names the statement that failed: its index, line, column, text and SQLSTATE', async () => {
    const db = await pglite.get();
    try {
      const script =
        'create table a (id int);\n\n  create table b (id int references missing (id));\ncreate table c (id int);';
      const error = await failure(loadSchemaScript(db.run, script, 'postgres', { name: 'schema.sql' }));
      expect(error.code).toBe('SCHEMA_LOAD');
      expect(error.statement).toEqual({
        index: 1,
        line: 3,
        column: 3,
        text: 'create table b (id int references missing (id))',
      });
      expect(error.sqlState).toBe('42P01');
      expect(error.message).toMatch(/^schema\.sql:3: statement 2 failed: relation "missing" does not exist/);
      // Nothing after the failure ran.
      expect((await db.run(`select count(*)::int as n from pg_class where relname = 'c'`)).rows).toEqual([
        { n: 0 },
      ]);
    } finally {
      await db.close();
    }
  });

  it('refuses psql meta-commands with the line they are on', async () => {
    const db = await pglite.get();
    try {
      const error = await failure(
        loadSchemaScript(db.run, 'create table a (id int);\n\\connect other', 'postgres'),
      );
      expect(error.code).toBe('SCHEMA_UNSUPPORTED');
      expect(error.statement?.line).toBe(2);
    } finally {
      await db.close();
    }
  });

  it('loads a MySQL file written for the mysql client, DELIMITER lines included', async () => {
    const db = await mysqlScratch();
    try {
      const script = `create table t (id int);
DELIMITER //
create procedure p() begin insert into t values (1); insert into t values (2); end//
DELIMITER ;
call p();`;
      await expect(loadSchemaScript(db.run, script, 'mysql')).resolves.toEqual({ statements: 3 });
      expect((await db.run('select count(*) as n from t')).rows).toEqual([{ n: 2 }]);
      const error = await failure(loadSchemaScript(db.run, 'create table t (id int);', 'mysql'));
      expect(error.sqlState).toBe('42S01');
    } finally {
      await db.close();
    }
  });

  it('loads a SQLite file with a trigger body', async () => {
    const db = sqliteScratch();
    try {
      const script = `create table t (id int, n int);\ncreate trigger t_n after insert on t begin update t set n = 1; update t set n = n + 1; end;`;
      await expect(loadSchemaScript(db.run, script, 'sqlite')).resolves.toEqual({ statements: 2 });
    } finally {
      await db.close();
    }
  });

  it('stops when its signal fires', async () => {
    const db = sqliteScratch();
    try {
      const controller = new AbortController();
      controller.abort();
      const error = await failure(
        loadSchemaScript(db.run, 'create table t (id int);', 'sqlite', { signal: controller.signal }),
      );
      expect(error.code).toBe('SCHEMA_ABORTED');
    } finally {
      await db.close();
    }
  });
});
