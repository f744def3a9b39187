import { describe, expect, it } from 'vitest';
import { analyze } from './analyze.js';
import type { CorpusEntry } from './corpus/corpus-entry.js';
import { MYSQL_CORPUS } from './corpus/mysql-corpus.js';
import { POSTGRES_CORPUS } from './corpus/postgres-corpus.js';
import { SQLITE_CORPUS } from './corpus/sqlite-corpus.js';
import { readOnlyRefusal } from './read-only-refusal.js';
import type { SqlDialect } from './types.js';

async function refusals(sql: string, dialect: SqlDialect): Promise<(string | undefined)[]> {
  const { statements } = await analyze(sql, dialect);
  return statements.map(readOnlyRefusal);
}

const refused: Record<SqlDialect, string[]> = {
  postgres: [
    'COMMIT',
    'ROLLBACK',
    'BEGIN',
    'END',
    'START TRANSACTION READ WRITE',
    'SAVEPOINT s',
    'RELEASE SAVEPOINT s',
    "PREPARE TRANSACTION 'x'",
    'SET TRANSACTION READ WRITE',
    'SET transaction_read_only = off',
    'SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE',
    'SET search_path = app',
    'RESET ALL',
    'DISCARD ALL',
    'SET ROLE admin',
    'SET SESSION AUTHORIZATION admin',
    'CREATE TABLE x (a int)',
    'GRANT SELECT ON t TO bob',
    'INSERT INTO t VALUES (1)',
    'SELECT * FROM t FOR UPDATE',
    "SELECT nextval('s')",
    'EXECUTE s',
    'CALL p()',
    'DO $$ BEGIN DELETE FROM t; END $$',
    "COPY t TO '/tmp/t.csv'",
    "COPY t TO PROGRAM 'gzip > /tmp/t.gz'",
    'EXPLAIN ANALYZE DELETE FROM t WHERE id = 1',
    'LISTEN c',
  ],
  mysql: [
    'BEGIN',
    'START TRANSACTION',
    'COMMIT',
    'ROLLBACK',
    'XA START 1',
    'SET TRANSACTION READ WRITE',
    'SET SESSION TRANSACTION READ WRITE',
    'SET autocommit = 1',
    'SET @@session.transaction_read_only = 0',
    'SET transaction_read_only = OFF',
    'USE shop',
    'CREATE TABLE x (a int)',
    "SELECT * FROM t INTO OUTFILE '/tmp/x'",
    "SELECT 1 /*!INTO OUTFILE '/tmp/x' */",
    'SELECT 1 /*!; COMMIT */',
    '/*!40101 SET NAMES utf8 */',
    'EXECUTE s',
    "EXECUTE IMMEDIATE 'COMMIT'",
    'CALL p()',
    'DO 1',
    'LOCK TABLES t READ',
    'HANDLER t OPEN',
  ],
  sqlite: [
    'BEGIN',
    'COMMIT',
    'END',
    'PRAGMA query_only = 0',
    'PRAGMA query_only(0)',
    "ATTACH DATABASE 'x.db' AS x",
    'CREATE TABLE x (a int)',
    'ANALYZE',
    'VACUUM',
    'INSERT OR REPLACE INTO t VALUES (1)',
  ],
};

const allowed: Record<SqlDialect, string[]> = {
  postgres: [
    'SELECT 1',
    'WITH a AS (SELECT 1) SELECT * FROM a',
    'SHOW search_path',
    'EXPLAIN SELECT * FROM t',
    'EXPLAIN DELETE FROM t',
    'VALUES (1)',
    'TABLE t',
    'FETCH 10 FROM c',
  ],
  mysql: [
    'SELECT 1',
    'WITH a AS (SELECT 1) SELECT * FROM a',
    'SHOW TABLES',
    'EXPLAIN SELECT * FROM t',
    'DESCRIBE t',
    'TABLE t',
  ],
  sqlite: [
    'SELECT 1',
    'WITH a AS (SELECT 1) SELECT * FROM a',
    'PRAGMA table_info(t)',
    'PRAGMA query_only',
    'EXPLAIN QUERY PLAN SELECT 1',
    'VALUES (1)',
  ],
};

const CORPORA: Record<SqlDialect, CorpusEntry[]> = {
  postgres: POSTGRES_CORPUS,
  mysql: MYSQL_CORPUS,
  sqlite: SQLITE_CORPUS,
};

describe('readOnlyRefusal', () => {
  for (const dialect of Object.keys(refused) as SqlDialect[]) {
    it.each(refused[dialect])(`refuses under --read-only the ${dialect} statement %s`, async (sql) => {
      const [reason] = await refusals(sql, dialect);
      expect(reason).toMatch(/\S/);
    });

    it.each(allowed[dialect])(`allows under --read-only the ${dialect} read %s`, async (sql) => {
      expect(await refusals(sql, dialect)).toEqual([undefined]);
    });

    it(`refuses every ${dialect} corpus statement that is not a read-only select or utility, and allows the rest`, async () => {
      for (const entry of CORPORA[dialect]) {
        const { statements } = await analyze(entry.sql, dialect);
        entry.expected.forEach((expected, i) => {
          const read = expected.readOnly && (expected.kind === 'select' || expected.kind === 'utility');
          const statement = statements[i];
          if (statement === undefined) throw new Error(`no statement ${i} in ${entry.sql}`);
          expect([entry.sql, readOnlyRefusal(statement) === undefined]).toEqual([entry.sql, read]);
        });
      }
    });
  }

  it('says why in one line', async () => {
    expect(await refusals('COMMIT; CREATE TABLE x (a int); SET search_path = app', 'postgres')).toEqual([
      'transaction control would end, replace or change the read-only transaction',
      'DDL changes the schema (and MySQL commits the transaction before it)',
      'not a read: SET changes a session setting',
    ]);
  });
});
