import { describe, expect, it } from 'vitest';
import { lintMigrations } from '../lint-migrations.js';

interface Case {
  readonly sql: string;
  /** How many findings of the rule (and only of it). */
  readonly count: number;
  readonly pgVersion?: number;
  readonly assumeInTransaction?: boolean;
}

const lint = (rule: string, c: Case) =>
  lintMigrations([{ path: 'm.sql', text: c.sql }], {
    dialect: 'postgres',
    rules: [rule],
    ...(c.pgVersion === undefined ? {} : { pgVersion: c.pgVersion }),
    ...(c.assumeInTransaction === undefined ? {} : { assumeInTransaction: c.assumeInTransaction }),
  });

// More cases per rule than the examples of LINT_RULES, after squawk's own tests: each reports exactly
// `count` findings of its rule when only that rule runs.
const CASES: Record<string, Case[]> = {
  'adding-field-with-default': [
    { sql: 'ALTER TABLE t ADD COLUMN c integer DEFAULT 10;', count: 0 },
    { sql: 'ALTER TABLE t ADD COLUMN c integer DEFAULT 10;', count: 1, pgVersion: 10 },
    { sql: 'ALTER TABLE t ADD COLUMN c integer DEFAULT NULL;', count: 0, pgVersion: 10 },
    { sql: "ALTER TABLE t ADD COLUMN c jsonb DEFAULT '{}'::jsonb;", count: 0 },
    { sql: 'ALTER TABLE t ADD COLUMN c timestamptz DEFAULT now();', count: 0 },
    { sql: 'ALTER TABLE t ADD COLUMN c timestamptz DEFAULT CURRENT_TIMESTAMP;', count: 0 },
    { sql: 'ALTER TABLE t ADD COLUMN c integer DEFAULT 2 + 2;', count: 0 },
    { sql: 'ALTER TABLE t ADD COLUMN c boolean DEFAULT random() > 0.5;', count: 1 },
    { sql: 'ALTER TABLE t ADD COLUMN c jsonb DEFAULT myjsonb();', count: 1 },
    { sql: 'ALTER TABLE t ADD COLUMN c timestamptz DEFAULT now(123);', count: 1 },
    { sql: 'alter table t set logged, add column c integer default uuid();', count: 1 },
    { sql: 'ALTER TABLE t ADD COLUMN c numeric GENERATED ALWAYS AS (a + b) STORED;', count: 1 },
    { sql: 'ALTER TABLE t ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;', count: 1 },
    { sql: 'ALTER TABLE t ADD COLUMN c serial;', count: 1 },
    {
      sql: 'ALTER TABLE t ADD COLUMN c integer;\nALTER TABLE t ALTER COLUMN c SET DEFAULT random();',
      count: 0,
    },
    // a table created earlier in the file is new: nobody waits on its lock
    {
      sql: 'CREATE TABLE t (id bigint);\nALTER TABLE t ADD COLUMN c uuid DEFAULT gen_random_uuid();',
      count: 0,
    },
  ],
  'adding-foreign-key-constraint': [
    { sql: 'ALTER TABLE e ADD CONSTRAINT fk FOREIGN KEY (u) REFERENCES u (id) NOT VALID;', count: 0 },
    {
      sql: 'BEGIN;\nALTER TABLE e ADD COLUMN u int;\nALTER TABLE e ADD CONSTRAINT fk FOREIGN KEY (u) REFERENCES u (id);\nCOMMIT;',
      count: 1,
    },
    { sql: 'ALTER TABLE e ADD COLUMN u int REFERENCES u (id);', count: 1 },
    { sql: 'CREATE TABLE e (id bigint, u bigint REFERENCES u (id));', count: 0 },
    {
      sql: 'BEGIN;\nCREATE TABLE e (id uuid, u uuid);\nALTER TABLE e ADD CONSTRAINT fk FOREIGN KEY (u) REFERENCES u (id);\nCOMMIT;',
      count: 0,
    },
    {
      sql: 'CREATE TABLE e (id uuid, u uuid);\nALTER TABLE e ADD CONSTRAINT fk FOREIGN KEY (u) REFERENCES u (id);',
      count: 0,
      assumeInTransaction: true,
    },
  ],
  'adding-not-nullable-field': [
    { sql: 'ALTER TABLE t ALTER COLUMN c SET NOT NULL;', count: 1, pgVersion: 11 },
    { sql: 'ALTER TABLE t ADD COLUMN c integer NOT NULL DEFAULT 10;', count: 0 },
    { sql: 'ALTER TABLE t ADD COLUMN c integer NOT NULL;', count: 0 },
    {
      sql: 'ALTER TABLE foo ADD CONSTRAINT bar_not_null CHECK (bar IS NOT NULL) NOT VALID;\nALTER TABLE foo VALIDATE CONSTRAINT bar_not_null;\nALTER TABLE foo ALTER COLUMN bar SET NOT NULL;',
      count: 0,
      pgVersion: 12,
    },
    {
      sql: 'ALTER TABLE foo ADD CONSTRAINT bar_not_null CHECK (bar IS NOT NULL) NOT VALID;\nALTER TABLE foo VALIDATE CONSTRAINT bar_not_null;\nALTER TABLE foo ALTER COLUMN bar SET NOT NULL;',
      count: 1,
      pgVersion: 11,
    },
    // added but not validated yet
    {
      sql: 'ALTER TABLE foo ADD CONSTRAINT bar_not_null CHECK (bar IS NOT NULL) NOT VALID;\nALTER TABLE foo ALTER COLUMN bar SET NOT NULL;',
      count: 1,
    },
    // validated, but for another column
    {
      sql: 'ALTER TABLE foo ADD CONSTRAINT baz_not_null CHECK (baz IS NOT NULL) NOT VALID;\nALTER TABLE foo VALIDATE CONSTRAINT baz_not_null;\nALTER TABLE foo ALTER COLUMN bar SET NOT NULL;',
      count: 1,
    },
    // the CHECK was added by an earlier migration: validated, SET NOT NULL, dropped here
    {
      sql: 'ALTER TABLE foo VALIDATE CONSTRAINT foo_bar_not_null;\nALTER TABLE foo ALTER COLUMN bar SET NOT NULL;\nALTER TABLE foo DROP CONSTRAINT foo_bar_not_null;',
      count: 0,
    },
    {
      sql: 'ALTER TABLE foo VALIDATE CONSTRAINT foo_baz_not_null;\nALTER TABLE foo ALTER COLUMN bar SET NOT NULL;\nALTER TABLE foo DROP CONSTRAINT foo_baz_not_null;',
      count: 1,
    },
    {
      sql: 'ALTER TABLE foo VALIDATE CONSTRAINT some_check;\nALTER TABLE foo ALTER COLUMN bar SET NOT NULL;',
      count: 1,
    },
  ],
  'adding-required-field': [
    { sql: 'ALTER TABLE r ADD COLUMN p boolean;', count: 0 },
    { sql: 'ALTER TABLE r ADD COLUMN p boolean NOT NULL DEFAULT true;', count: 0 },
    { sql: 'ALTER TABLE r ADD COLUMN p numeric GENERATED ALWAYS AS (a + b) STORED NOT NULL;', count: 0 },
    { sql: 'ALTER TABLE r ADD COLUMN a int NOT NULL, ADD COLUMN b int NOT NULL;', count: 2 },
    { sql: 'CREATE TABLE r (id bigint);\nALTER TABLE r ADD COLUMN p boolean NOT NULL;', count: 0 },
  ],
  'adding-serial-primary-key-field': [
    { sql: 'ALTER TABLE a ADD COLUMN b SERIAL PRIMARY KEY;', count: 1 },
    { sql: 'ALTER TABLE items ADD CONSTRAINT items_pk PRIMARY KEY USING INDEX items_pk;', count: 0 },
  ],
  'ban-alter-domain-with-add-constraint': [{ sql: "ALTER DOMAIN d SET DEFAULT 'x';", count: 0 }],
  'ban-char-field': [
    {
      sql: 'CREATE TABLE t (a char(100), b character(100), c char, d character, e varchar(100), f text, g "char", h char[]);',
      count: 6,
    },
    { sql: 'ALTER TABLE t ADD COLUMN c char;', count: 1 },
    { sql: 'ALTER TABLE t ALTER COLUMN c TYPE character(3);', count: 1 },
  ],
  'ban-concurrent-index-creation-in-transaction': [
    { sql: 'CREATE INDEX CONCURRENTLY i ON t (c);', count: 0 },
    { sql: 'CREATE UNIQUE INDEX CONCURRENTLY i ON t (c);', count: 0, assumeInTransaction: true },
    {
      sql: 'CREATE UNIQUE INDEX CONCURRENTLY i ON t (c);\nALTER TABLE t ADD CONSTRAINT u UNIQUE USING INDEX i;',
      count: 1,
      assumeInTransaction: true,
    },
    {
      sql: 'COMMIT;\nCREATE UNIQUE INDEX CONCURRENTLY i ON t (c);\nBEGIN;\nALTER TABLE t ADD CONSTRAINT u UNIQUE USING INDEX i;',
      count: 0,
      assumeInTransaction: true,
    },
  ],
  'ban-create-domain-with-constraint': [{ sql: 'CREATE DOMAIN d AS int NOT NULL;', count: 0 }],
  'ban-drop-column': [
    { sql: 'ALTER TABLE t DROP COLUMN c CASCADE;', count: 1 },
    { sql: 'CREATE TABLE t (a int, b int);\nALTER TABLE t DROP COLUMN b;', count: 0 },
  ],
  'ban-drop-not-null': [
    { sql: 'ALTER TABLE t ALTER COLUMN c DROP NOT NULL, ALTER COLUMN d DROP NOT NULL;', count: 2 },
  ],
  'ban-drop-table': [
    { sql: 'DROP TABLE IF EXISTS a, b;', count: 1 },
    { sql: 'CREATE TABLE tmp (a int);\nDROP TABLE tmp;', count: 0 },
  ],
  'ban-drop-view': [{ sql: 'DROP MATERIALIZED VIEW mv;', count: 1 }],
  'ban-drop-function': [{ sql: 'DROP PROCEDURE p;\nDROP ROUTINE r;', count: 2 }],
  'ban-drop-type': [{ sql: 'DROP CAST (text AS int);', count: 1 }],
  'ban-drop-default': [
    { sql: 'ALTER DOMAIN d DROP DEFAULT;', count: 1 },
    { sql: 'ALTER TABLE t ALTER COLUMN c SET DEFAULT 1;', count: 0 },
  ],
  'ban-duplicate-column-assignments': [
    { sql: 'UPDATE k SET a = 1, a = 1, b = 2;', count: 1 },
    { sql: 'UPDATE k SET (a, b) = (1, 2), a = 3;', count: 1 },
    { sql: 'UPDATE k SET a.x = 1, a.y = 2;', count: 0 },
    { sql: 'INSERT INTO t (a, a) VALUES (1, 2);', count: 1 },
    { sql: 'CREATE TABLE t (a int, a text);', count: 1 },
    { sql: 'CREATE VIEW v (a, a) AS SELECT 1, 2;', count: 1 },
    { sql: 'CREATE VIEW v AS SELECT 1 AS a, 2 AS a;', count: 1 },
    { sql: 'CREATE VIEW v (a, b) AS SELECT 1, 2;', count: 0 },
  ],
  'ban-truncate-cascade': [{ sql: 'TRUNCATE a, b;', count: 0 }],
  'ban-uncommitted-transaction': [
    { sql: 'BEGIN;\nCREATE TABLE u (id bigint);\nROLLBACK;', count: 0 },
    { sql: 'BEGIN;\nCREATE TABLE u (id bigint);\nCOMMIT;\n\nBEGIN;\nCREATE TABLE p (id bigint);', count: 1 },
    { sql: 'START TRANSACTION;\nCREATE TABLE u (id bigint);', count: 1 },
    { sql: 'CREATE TABLE u (id bigint);', count: 0 },
  ],
  'changing-column-type': [
    {
      sql: 'BEGIN;\nALTER TABLE r ALTER COLUMN f TYPE varchar(255) USING f::varchar(255);\nALTER TABLE r ALTER COLUMN f TYPE text USING f::text;\nCOMMIT;',
      count: 2,
    },
    { sql: 'CREATE TABLE r (f int);\nALTER TABLE r ALTER COLUMN f TYPE bigint;', count: 0 },
  ],
  'constraint-missing-not-valid': [
    { sql: 'ALTER TABLE d ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES b (a);', count: 1 },
    {
      sql: 'ALTER TABLE d ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES b (a) NOT VALID;\nALTER TABLE d VALIDATE CONSTRAINT fk;',
      count: 0,
    },
    {
      sql: 'BEGIN;\nALTER TABLE e ADD CONSTRAINT fk FOREIGN KEY (u) REFERENCES u (id) NOT VALID;\nALTER TABLE e VALIDATE CONSTRAINT fk;\nCOMMIT;',
      count: 1,
    },
    {
      sql: 'ALTER TABLE e ADD CONSTRAINT fk FOREIGN KEY (u) REFERENCES u (id) NOT VALID;\nALTER TABLE e VALIDATE CONSTRAINT fk;',
      count: 1,
      assumeInTransaction: true,
    },
    {
      sql: 'BEGIN;\nCREATE TABLE f (id int, age int);\nALTER TABLE f ADD CONSTRAINT age CHECK (age >= 25);\nCOMMIT;',
      count: 0,
    },
    { sql: 'ALTER TABLE e ADD CONSTRAINT u UNIQUE USING INDEX i;', count: 0 },
  ],
  'disallowed-unique-constraint': [
    { sql: 'ALTER TABLE t DROP CONSTRAINT c;', count: 0 },
    {
      sql: 'CREATE UNIQUE INDEX CONCURRENTLY i ON d (id);\nALTER TABLE d DROP CONSTRAINT d_pkey, ADD CONSTRAINT d_pkey PRIMARY KEY USING INDEX i;',
      count: 0,
    },
    { sql: 'ALTER TABLE foo ADD COLUMN bar text CONSTRAINT foo_bar_unique UNIQUE;', count: 1 },
    { sql: 'ALTER TABLE foo ADD COLUMN bar text UNIQUE;', count: 1 },
    {
      sql: 'BEGIN;\nCREATE TABLE p (id bigint, sku text);\nALTER TABLE p ADD CONSTRAINT sku UNIQUE (sku);\nCOMMIT;',
      count: 0,
    },
  ],
  'identifier-too-long': [
    { sql: `CREATE TABLE t (${'c'.repeat(64)} bigint);`, count: 1 },
    { sql: `CREATE TABLE t (${'c'.repeat(63)} bigint);`, count: 0 },
    { sql: `CREATE TABLE "${'é'.repeat(32)}" (id bigint);`, count: 1 },
    { sql: `CREATE INDEX ${'i'.repeat(70)} ON t (c);`, count: 1 },
    { sql: `SELECT '${'x'.repeat(100)}';`, count: 0 },
  ],
  'prefer-bigint-over-int': [
    { sql: 'CREATE TABLE u (a integer, b int4, c serial, d serial4, e int);', count: 5 },
    { sql: 'CREATE TABLE u (a bigint, b int8, c bigserial, d serial8, e smallint, f int2);', count: 0 },
  ],
  'prefer-bigint-over-smallint': [
    { sql: 'CREATE TABLE u (a smallint, b int2, c smallserial, d serial2);', count: 4 },
  ],
  'prefer-identity': [
    {
      sql: 'CREATE TABLE u (a serial, b serial2, c serial4, d serial8, e smallserial, f bigserial);',
      count: 6,
    },
    { sql: 'CREATE TABLE u (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);', count: 0 },
  ],
  'prefer-repack': [
    { sql: 'VACUUM FULL foo;', count: 0 },
    { sql: 'CLUSTER foo USING foo_pkey;', count: 1, pgVersion: 19 },
    { sql: 'VACUUM (FULL) foo;', count: 1, pgVersion: 19 },
    { sql: 'VACUUM (FULL FALSE) foo;', count: 0, pgVersion: 19 },
    { sql: 'VACUUM ANALYZE foo;', count: 0, pgVersion: 19 },
  ],
  'prefer-robust-stmts': [
    { sql: 'BEGIN;\nALTER TABLE f ADD COLUMN a integer NULL;\nCOMMIT;', count: 0 },
    { sql: 'ALTER TABLE f ADD COLUMN a integer NULL;', count: 0, assumeInTransaction: true },
    { sql: 'ALTER TABLE f ADD COLUMN IF NOT EXISTS a integer NULL;', count: 0 },
    { sql: 'ALTER TABLE f ADD COLUMN a integer NULL;', count: 1 },
    {
      sql: 'ALTER TABLE e DROP CONSTRAINT IF EXISTS u;\nALTER TABLE e ADD CONSTRAINT u UNIQUE USING INDEX i;',
      count: 0,
    },
    {
      sql: 'ALTER TABLE e DROP CONSTRAINT IF EXISTS u;\nALTER TABLE e ADD CONSTRAINT u UNIQUE USING INDEX i;\nALTER TABLE e ADD CONSTRAINT u UNIQUE USING INDEX i;',
      count: 1,
    },
    { sql: 'DROP INDEX CONCURRENTLY IF EXISTS i;', count: 0 },
    { sql: 'DROP INDEX CONCURRENTLY i;\nDROP TABLE t;\nDROP TYPE ty;', count: 3 },
    { sql: 'BEGIN;\nDROP INDEX i;\nDROP TABLE t;\nDROP TYPE ty;\nCOMMIT;', count: 0 },
    { sql: 'CREATE INDEX CONCURRENTLY ON t (c);', count: 0 },
    { sql: 'CREATE TEMP TABLE x (id int) ON COMMIT DROP;', count: 0 },
    { sql: 'CREATE TEMP TABLE x (id int);', count: 1 },
    { sql: 'ALTER TABLE t DROP COLUMN IF EXISTS c CASCADE;', count: 0 },
    { sql: 'ALTER TABLE t ALTER COLUMN c SET NOT NULL;', count: 1 },
    { sql: 'INSERT INTO t VALUES (1);\nSELECT 1;', count: 0 },
  ],
  'prefer-text-field': [
    { sql: 'CREATE TABLE IF NOT EXISTS f (b varchar);', count: 0 },
    { sql: 'ALTER TABLE f ALTER COLUMN k TYPE varchar(1000) USING k::varchar(1000);', count: 1 },
    { sql: 'CREATE TABLE t (a pg_catalog.varchar(100), b character varying(5));', count: 2 },
  ],
  'prefer-timestamptz': [
    {
      sql: 'CREATE TABLE u (a timestamp, b timestamp without time zone, c timestamp(3), d timestamp[]);',
      count: 4,
    },
    { sql: 'CREATE TABLE u (a timestamptz, b timestamp with time zone);', count: 0 },
    { sql: 'ALTER TABLE u ALTER COLUMN a TYPE timestamp;', count: 1 },
  ],
  'renaming-column': [{ sql: 'CREATE TABLE u (a int);\nALTER TABLE u RENAME COLUMN a TO b;', count: 0 }],
  'renaming-object': [
    { sql: "ALTER TYPE status RENAME VALUE 'a' TO 'b';", count: 1 },
    { sql: 'ALTER FUNCTION f() RENAME TO g;', count: 1 },
    { sql: 'ALTER INDEX i RENAME TO j;', count: 0 },
    { sql: 'ALTER TABLE t RENAME TO u;', count: 0 },
  ],
  'renaming-table': [{ sql: 'CREATE TABLE a (id int);\nALTER TABLE a RENAME TO b;', count: 0 }],
  'require-concurrent-index-creation': [
    { sql: 'CREATE INDEX CONCURRENTLY i ON t (c);', count: 0 },
    { sql: 'BEGIN;\nCREATE TABLE f (id int, tenant int);\nCREATE INDEX i ON f (tenant);\nCOMMIT;', count: 0 },
    {
      sql: 'CREATE TABLE f (id int, tenant int);\nCREATE INDEX i ON f (tenant);',
      count: 0,
      assumeInTransaction: true,
    },
    { sql: 'CREATE INDEX i ON ONLY parent (c);', count: 0 },
  ],
  'require-concurrent-index-deletion': [
    { sql: 'DROP INDEX CONCURRENTLY IF EXISTS i;', count: 0 },
    { sql: 'CREATE INDEX CONCURRENTLY i ON t (c);\nDROP INDEX i;', count: 0 },
  ],
  'require-concurrent-partition-detach': [
    { sql: 'ALTER TABLE t DETACH PARTITION p;', count: 0, pgVersion: 13 },
    { sql: 'ALTER TABLE t DETACH PARTITION p CONCURRENTLY;', count: 0 },
  ],
  'require-concurrent-reindex': [
    { sql: 'REINDEX TABLE foo;\nREINDEX SCHEMA s;\nREINDEX DATABASE d;', count: 3 },
    {
      sql: 'REINDEX (CONCURRENTLY) TABLE foo;\nREINDEX TABLE CONCURRENTLY foo;\nREINDEX SYSTEM d;',
      count: 0,
    },
    { sql: 'REINDEX TABLE foo;', count: 0, pgVersion: 11 },
  ],
  'require-enum-value-ordering': [
    { sql: "ALTER TYPE s ADD VALUE 'x' AFTER 'y';", count: 0 },
    { sql: "ALTER TYPE s ADD VALUE IF NOT EXISTS 'x';", count: 1 },
  ],
  'require-table-schema': [
    {
      sql: 'ALTER TABLE posts ADD COLUMN name text;\nDROP TABLE posts;\nCREATE TABLE posts AS SELECT 1;',
      count: 3,
    },
    {
      sql: 'ALTER TABLE public.posts ADD COLUMN name text;\nDROP TABLE public.posts;\nCREATE TEMP TABLE t (a int);',
      count: 0,
    },
  ],
  'require-timeout-settings': [
    { sql: 'ALTER TABLE t ADD COLUMN c boolean;', count: 2 },
    {
      sql: "SET lock_timeout = '1s';\nSET statement_timeout = '5s';\nALTER TABLE t ADD COLUMN c boolean;\nCREATE INDEX CONCURRENTLY i ON t (c);",
      count: 0,
    },
    { sql: "SET LOCAL lock_timeout = '1s';\nSET LOCAL statement_timeout = 5000;\nDROP TABLE t;", count: 0 },
    {
      sql: "SET lock_timeout = 0;\nSET statement_timeout = '5s';\nALTER TABLE t ADD COLUMN c boolean;",
      count: 1,
    },
    { sql: 'SELECT 1;\nINSERT INTO t VALUES (1);', count: 0 },
    {
      sql: "ALTER TABLE t ADD COLUMN c boolean;\nSET lock_timeout = '1s';\nALTER TABLE t ADD COLUMN d boolean;",
      count: 2,
    },
  ],
  'transaction-nesting': [
    { sql: 'BEGIN;\nSELECT 1;\nCOMMIT;\nCOMMIT;', count: 1 },
    { sql: 'SELECT 1;\nCOMMIT;', count: 1, assumeInTransaction: true },
    { sql: 'SELECT 1;\nROLLBACK;', count: 1, assumeInTransaction: true },
    { sql: 'BEGIN;\nBEGIN;\nSELECT 1;\nCOMMIT;', count: 3, assumeInTransaction: true },
    { sql: 'BEGIN;\nSELECT 1;\nCOMMIT;\nBEGIN;\nSELECT 2;\nCOMMIT;', count: 0 },
    { sql: 'SELECT 1;', count: 0, assumeInTransaction: true },
  ],
  'ban-add-column': [{ sql: 'CREATE TABLE a (id int);\nALTER TABLE a ADD COLUMN s text;', count: 0 }],
  'ban-add-enum-value': [
    { sql: "CREATE TYPE mood AS ENUM ('a');\nALTER TYPE mood ADD VALUE 'b' AFTER 'a';", count: 0 },
  ],
  'ban-alter-role-options': [
    {
      sql: 'ALTER ROLE app SET search_path TO public;\nALTER USER app IN DATABASE d RESET search_path;',
      count: 2,
    },
  ],
  'ban-alter-function-options': [
    { sql: 'ALTER PROCEDURE p() SET search_path TO private;\nALTER ROUTINE f() RESET ALL;', count: 2 },
  ],
  'ban-alter-extension': [{ sql: 'ALTER EXTENSION e DROP FUNCTION f();', count: 1 }],
  'ban-alter-sequence-values': [{ sql: 'ALTER TABLE t ALTER COLUMN id RESTART WITH 100;', count: 1 }],
  'ban-alter-identity': [
    {
      sql: 'ALTER TABLE t ALTER COLUMN id SET GENERATED ALWAYS;\nALTER TABLE t ALTER COLUMN id DROP IDENTITY;',
      count: 2,
    },
  ],
  'ban-new-write-restriction': [
    {
      sql: 'CREATE UNIQUE INDEX CONCURRENTLY i ON t (c);\nALTER TABLE t ALTER COLUMN c SET NOT NULL;',
      count: 2,
    },
    { sql: 'CREATE TABLE t (c int);\nALTER TABLE t ADD CONSTRAINT c CHECK (c > 0);', count: 0 },
  ],
  'ban-detach-inheritance': [{ sql: 'ALTER TABLE t NO INHERIT p;', count: 1 }],
  'ban-disable-trigger': [
    { sql: 'ALTER TABLE t DISABLE RULE r;\nALTER TABLE t ENABLE REPLICA TRIGGER g;', count: 2 },
  ],
  'ban-drop-policy': [{ sql: 'DROP RULE r ON t;', count: 1 }],
  'ban-replace-view-function': [
    { sql: "CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS 'select 1';", count: 1 },
  ],
  'ban-revoke': [{ sql: 'REVOKE app_role FROM bob;', count: 1 }],
  'ban-set-schema': [{ sql: 'CREATE TABLE e (id int);\nALTER TABLE e SET SCHEMA archive;', count: 0 }],
};

describe.each(Object.entries(CASES))('%s', (rule, cases) => {
  it.each(cases.map((c, i) => [i + 1, c] as const))('case %i', async (_i, c) => {
    const { findings } = await lint(rule, c);
    expect(findings.map((f) => f.rule)).toEqual(Array.from({ length: c.count }, () => rule));
  });
});
