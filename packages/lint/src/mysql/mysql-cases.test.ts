import { describe, expect, it } from 'vitest';
import { lintMigrations } from '../lint-migrations.js';

interface Case {
  /** One file, or several (linted in order, as one run: later files know the tables of earlier ones). */
  readonly sql: string | readonly string[];
  readonly count: number;
}

const lint = (rule: string, c: Case) => {
  const texts = typeof c.sql === 'string' ? [c.sql] : c.sql;
  return lintMigrations(
    texts.map((text, i) => ({ path: `${String(i + 1).padStart(3, '0')}_m.sql`, text })),
    { dialect: 'mysql', rules: [rule] },
  );
};

const CREATE_TICKETS =
  "CREATE TABLE IF NOT EXISTS tickets (id bigint PRIMARY KEY, status enum('open','closed'), title varchar(50), n int);";

const CASES: Record<string, Case[]> = {
  'adding-foreign-key-constraint': [
    { sql: 'ALTER TABLE o ADD COLUMN c bigint REFERENCES c (id), ALGORITHM=INPLACE, LOCK=NONE;', count: 1 },
    { sql: 'CREATE TABLE o (id bigint);\nALTER TABLE o ADD FOREIGN KEY (c) REFERENCES c (id);', count: 0 },
    {
      sql: 'SET foreign_key_checks = 0;\nALTER TABLE o ADD FOREIGN KEY (c) REFERENCES c (id);\nSET foreign_key_checks = 1;\nALTER TABLE p ADD FOREIGN KEY (c) REFERENCES c (id);',
      count: 1,
    },
  ],
  'adding-not-nullable-field': [
    {
      sql: 'ALTER TABLE u ADD COLUMN a int NOT NULL DEFAULT 0, ADD COLUMN b int NULL, ADD COLUMN c int;',
      count: 0,
    },
    { sql: 'ALTER TABLE u ADD COLUMN (a int NOT NULL, b text NOT NULL);', count: 2 },
    { sql: 'ALTER TABLE u ADD COLUMN id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY;', count: 0 },
    { sql: 'ALTER TABLE u ADD COLUMN t int AS (a + 1) STORED NOT NULL;', count: 0 },
  ],
  'adding-serial-primary-key-field': [
    { sql: 'ALTER TABLE e ADD PRIMARY KEY (id);', count: 1 },
    { sql: 'ALTER TABLE e ADD CONSTRAINT pk PRIMARY KEY (id);', count: 1 },
    { sql: 'ALTER TABLE e ADD UNIQUE KEY u (id);', count: 0 },
  ],
  'ban-ddl-in-transaction': [
    { sql: 'START TRANSACTION;\nINSERT INTO t VALUES (1);\nCOMMIT;', count: 0 },
    // the first DDL commits the transaction: the second is no longer inside one
    { sql: 'BEGIN;\nCREATE TABLE a (id int);\nCREATE TABLE b (id int);\nCOMMIT;', count: 1 },
  ],
  'ban-drop-column': [{ sql: 'ALTER TABLE u DROP nickname, DROP COLUMN bio;', count: 2 }],
  'ban-drop-database': [{ sql: 'DROP SCHEMA IF EXISTS s;', count: 1 }],
  'ban-drop-table': [{ sql: 'CREATE TABLE tmp (id int);\nDROP TABLE tmp;', count: 0 }],
  'ban-utf8-charset': [
    { sql: 'CREATE DATABASE app CHARACTER SET = utf8mb3 COLLATE utf8mb3_general_ci;', count: 2 },
    { sql: 'ALTER TABLE t MODIFY c varchar(10) CHARSET utf8 COLLATE utf8_bin;', count: 2 },
    { sql: 'SET NAMES utf8;', count: 1 },
    { sql: "CREATE TABLE t (a varchar(10) CHARACTER SET 'utf8mb4' COLLATE utf8mb4_0900_ai_ci);", count: 0 },
  ],
  'changing-column-type': [
    { sql: 'ALTER TABLE o MODIFY total decimal(12,2), ALGORITHM=INPLACE, LOCK=NONE;', count: 0 },
    { sql: [CREATE_TICKETS, 'ALTER TABLE tickets MODIFY n bigint;'], count: 1 },
    // lengthening a VARCHAR within its length byte is done in place
    { sql: [CREATE_TICKETS, 'ALTER TABLE tickets MODIFY title varchar(60);'], count: 0 },
    { sql: [CREATE_TICKETS, 'ALTER TABLE tickets MODIFY title varchar(100);'], count: 1 },
    { sql: [CREATE_TICKETS, 'ALTER TABLE tickets MODIFY n int NOT NULL COMMENT "count";'], count: 0 },
    { sql: [CREATE_TICKETS, 'ALTER TABLE tickets CHANGE n n2 int;'], count: 0 },
  ],
  'enum-edit-rebuilds': [
    {
      sql: [CREATE_TICKETS, "ALTER TABLE tickets MODIFY status enum('open','closed','archived');"],
      count: 0,
    },
    { sql: [CREATE_TICKETS, "ALTER TABLE tickets MODIFY status enum('closed','open');"], count: 1 },
    { sql: [CREATE_TICKETS, "ALTER TABLE tickets MODIFY status enum('open');"], count: 1 },
    { sql: "ALTER TABLE tickets MODIFY status enum('x'), ALGORITHM=INSTANT;", count: 0 },
    { sql: "ALTER TABLE tickets MODIFY status set('a','b');", count: 1 },
  ],
  'identifier-too-long': [
    { sql: `ALTER TABLE t ADD COLUMN \`${'c'.repeat(65)}\` int;`, count: 1 },
    { sql: `ALTER TABLE t ADD COLUMN ${'c'.repeat(64)} int;`, count: 0 },
    { sql: `INSERT INTO t VALUES ('${'x'.repeat(80)}');`, count: 0 },
  ],
  'mysql-table-copy': [
    { sql: 'ALTER TABLE t DROP PRIMARY KEY;', count: 1 },
    { sql: 'ALTER TABLE t DROP PRIMARY KEY, ADD PRIMARY KEY (a, b);', count: 0 },
    { sql: 'ALTER TABLE t ADD COLUMN s int AS (a * 2) STORED;', count: 1 },
    { sql: 'ALTER TABLE t ADD COLUMN s int AS (a * 2) VIRTUAL, ALGORITHM=INSTANT;', count: 0 },
    { sql: 'ALTER TABLE t PARTITION BY HASH (id) PARTITIONS 4;', count: 1 },
    { sql: 'ALTER TABLE t REMOVE PARTITIONING;', count: 1 },
    { sql: 'ALTER TABLE t ORDER BY created_at;', count: 1 },
    { sql: 'ALTER TABLE t ENGINE=InnoDB, ALGORITHM=COPY;', count: 1 },
    { sql: 'ALTER TABLE t ENGINE=InnoDB, ALGORITHM=INPLACE, LOCK=NONE;', count: 0 },
    { sql: 'CREATE TABLE t (id int);\nALTER TABLE t CONVERT TO CHARACTER SET utf8mb4;', count: 0 },
  ],
  'prefer-bigint-over-int': [
    { sql: 'ALTER TABLE t MODIFY id int unsigned NOT NULL AUTO_INCREMENT;', count: 1 },
    { sql: 'CREATE TABLE t (id int PRIMARY KEY, n int);', count: 0 },
  ],
  'prefer-datetime-over-timestamp': [
    { sql: 'ALTER TABLE t ADD COLUMN a timestamp(6) NULL, ADD COLUMN b datetime(6);', count: 1 },
  ],
  'prefer-robust-stmts': [
    { sql: 'CREATE TEMPORARY TABLE x (id int);\nDROP TEMPORARY TABLE IF EXISTS x;', count: 0 },
    { sql: 'DROP VIEW v;\nDROP DATABASE d;\nCREATE DATABASE d;', count: 3 },
    { sql: 'CREATE DATABASE IF NOT EXISTS d;\nDROP PROCEDURE IF EXISTS p;', count: 0 },
  ],
  'renaming-column': [
    { sql: 'ALTER TABLE u CHANGE COLUMN name name varchar(100);', count: 0 },
    { sql: 'ALTER TABLE u CHANGE `name` `full_name` varchar(100);', count: 1 },
  ],
  'renaming-table': [
    { sql: 'ALTER TABLE a RENAME TO b;\nALTER TABLE c RENAME d;', count: 2 },
    { sql: 'RENAME TABLE a TO b, c TO d;', count: 2 },
    { sql: 'CREATE TABLE a (id int);\nRENAME TABLE a TO b;', count: 0 },
  ],
  'require-algorithm-lock': [
    { sql: 'ALTER TABLE u ADD COLUMN b text, ALGORITHM=INSTANT;', count: 0 },
    { sql: 'ALTER TABLE u ADD INDEX i (a), ALGORITHM=INPLACE;', count: 1 },
    { sql: 'ALTER TABLE u ADD INDEX i (a), ALGORITHM = INPLACE, LOCK = NONE;', count: 0 },
    { sql: 'CREATE INDEX i ON u (a);', count: 1 },
    { sql: 'CREATE INDEX i ON u (a) ALGORITHM=INPLACE LOCK=NONE;', count: 0 },
    { sql: 'DROP INDEX i ON u;', count: 1 },
    { sql: 'CREATE TABLE u (id int);\nALTER TABLE u ADD INDEX i (id);\nCREATE INDEX j ON u (id);', count: 0 },
  ],
  'require-timeout-settings': [
    { sql: 'INSERT INTO t VALUES (1);\nSELECT 1;', count: 0 },
    { sql: 'SET lock_wait_timeout = 10;\nCREATE TABLE t (id int);\nDROP TABLE u;', count: 0 },
    { sql: 'SET @@session.lock_wait_timeout = 10;\nCREATE TABLE t (id int);', count: 0 },
    { sql: 'CREATE TABLE t (id int);\nDROP TABLE u;', count: 1 },
  ],
  'syntax-error': [
    { sql: 'SELECT 1;\n/* never closed\nSELECT 2;', count: 1 },
    { sql: 'SELECT `never closed;', count: 1 },
    { sql: "SELECT 'it''s', \"a \\\" b\", `x``y`;", count: 0 },
  ],
};

describe.each(Object.entries(CASES))('%s', (rule, cases) => {
  it.each(cases.map((c, i) => [i + 1, c] as const))('case %i', async (_i, c) => {
    const { findings } = await lint(rule, c);
    expect(findings.map((f) => f.rule)).toEqual(Array.from({ length: c.count }, () => rule));
  });
});

describe('MySQL statements', () => {
  it('reads procedure bodies between DELIMITER lines as one statement each', async () => {
    const text = [
      'DELIMITER //',
      'CREATE PROCEDURE p() BEGIN ALTER TABLE t ADD COLUMN c int; SELECT 1; END //',
      'DELIMITER ;',
      'ALTER TABLE t DROP COLUMN c, ALGORITHM=INSTANT;',
    ].join('\n');
    const { findings } = await lintMigrations([{ path: 'p.sql', text }], {
      dialect: 'mysql',
      rules: ['ban-drop-column', 'require-algorithm-lock'],
    });
    expect(findings.map((f) => [f.rule, f.line])).toEqual([['ban-drop-column', 4]]);
  });

  it("reads the code of mysqldump's executable comments", async () => {
    const text =
      '/*!40101 SET NAMES utf8 */;\nCREATE TABLE IF NOT EXISTS t (id int) /*!50100 CHARSET=utf8mb3 */;';
    const { findings } = await lintMigrations([{ path: 'd.sql', text }], {
      dialect: 'mysql',
      rules: ['ban-utf8-charset'],
    });
    expect(findings.map((f) => [f.rule, f.line])).toEqual([
      ['ban-utf8-charset', 1],
      ['ban-utf8-charset', 2],
    ]);
  });
});
