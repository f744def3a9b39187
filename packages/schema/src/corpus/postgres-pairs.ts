// The PostgreSQL corpus: pairs of schemas and what the plan between them must be. Add a case by adding
// an entry; postgres-corpus.integration.test.ts runs each on the server and on PGlite, applies the plan,
// checks that it converges, and checks the way back too.
import type { SchemaPair } from './schema-pair.js';

const ROLES = `do $$ begin
  if not exists (select 1 from pg_roles where rolname = 'aishell_test_h10_reader') then create role aishell_test_h10_reader; end if;
  if not exists (select 1 from pg_roles where rolname = 'aishell_test_h10_writer') then create role aishell_test_h10_writer; end if;
end $$;`;

export const POSTGRES_PAIRS: readonly SchemaPair[] = [
  // ---------------------------------------------------------------- tables
  {
    name: 'identical schemas plan nothing',
    from: `create table t (id int primary key, name text not null default '', at timestamptz default now());
      create index t_name on t (name); create view v as select id from t;`,
    to: `create table t (id int primary key, name text not null default '', at timestamptz default now());
      create index t_name on t (name); create view v as select id from t;`,
    hazards: [],
    empty: true,
  },
  {
    name: 'a new table',
    from: ``,
    to: `create table t (id bigint primary key, name text not null, price numeric(10,2) default 0 check (price >= 0));`,
    hazards: [],
    sql: [
      /^CREATE TABLE "public"."t"/,
      /ADD CONSTRAINT "t_pkey" PRIMARY KEY/,
      /ADD CONSTRAINT "t_price_check" CHECK/,
    ],
    online: true,
  },
  {
    name: 'a dropped table deletes its rows',
    from: `create table keep (id int); create table gone (id int, note text);`,
    to: `create table keep (id int);`,
    data: `insert into gone values (1, 'x');`,
    hazards: ['DELETES_DATA', 'ACQUIRES_ACCESS_EXCLUSIVE_LOCK'],
    sql: [/^DROP TABLE "public"."gone"$/],
  },
  {
    name: 'a table with quoted, mixed-case names gains a column',
    from: `create table "Order Items" ("Qty" int not null, "select" text);`,
    to: `create table "Order Items" ("Qty" int not null, "select" text, "Unit Price" numeric(8,2));`,
    hazards: [],
    sql: [/^ALTER TABLE "public"."Order Items" ADD COLUMN "Unit Price" numeric\(8,2\)$/],
  },
  {
    name: 'a table in a new schema',
    from: ``,
    to: `create schema billing; create table billing.invoices (id int primary key, total numeric not null);`,
    hazards: [],
    sql: [/^CREATE SCHEMA "billing"$/, /^CREATE TABLE "billing"."invoices"/],
  },
  {
    name: 'a dropped schema takes its tables',
    from: `create schema old; create table old.t (id int);`,
    to: ``,
    hazards: ['DELETES_DATA', 'ACQUIRES_ACCESS_EXCLUSIVE_LOCK'],
    sql: [/^DROP TABLE "old"."t"$/, /^DROP SCHEMA "old"$/],
  },
  {
    name: 'an unlogged table becomes logged (a rewrite)',
    from: `create unlogged table cache (k text primary key, v text);`,
    to: `create table cache (k text primary key, v text);`,
    hazards: ['ACQUIRES_ACCESS_EXCLUSIVE_LOCK', 'IMPACTS_DATABASE_PERFORMANCE'],
    sql: [/SET LOGGED$/],
    online: false,
  },
  {
    name: 'storage parameters set and reset',
    from: `create table t (id int) with (autovacuum_enabled = false);`,
    to: `create table t (id int) with (fillfactor = 70);`,
    hazards: [],
    sql: [/SET \(fillfactor=70\)$/, /RESET \(autovacuum_enabled\)$/],
  },
  // ---------------------------------------------------------------- columns
  {
    name: 'a column added with a constant default',
    from: `create table t (id int primary key);`,
    to: `create table t (id int primary key, status text not null default 'new');`,
    data: `insert into t values (1), (2);`,
    hazards: [],
    sql: [/ADD COLUMN "status" text DEFAULT 'new'::text NOT NULL/],
    online: true,
  },
  {
    name: 'a column added with a volatile default rewrites the table',
    from: `create table t (id int primary key);`,
    to: `create table t (id int primary key, token uuid not null default gen_random_uuid());`,
    data: `insert into t values (1), (2);`,
    hazards: ['ACQUIRES_ACCESS_EXCLUSIVE_LOCK', 'IMPACTS_DATABASE_PERFORMANCE'],
    online: false,
  },
  {
    name: 'a NOT NULL column without a default fails on rows',
    from: `create table t (id int);`,
    to: `create table t (id int, code text not null);`,
    hazards: ['CORRECTNESS'],
  },
  {
    name: 'a dropped column deletes its values',
    from: `create table t (id int, legacy text);`,
    to: `create table t (id int);`,
    data: `insert into t values (1, 'a');`,
    hazards: ['DELETES_DATA', 'ACQUIRES_ACCESS_EXCLUSIVE_LOCK'],
    sql: [/DROP COLUMN "legacy"/],
  },
  {
    name: 'varchar widened needs no rewrite',
    from: `create table t (name varchar(20));`,
    to: `create table t (name varchar(50));`,
    data: `insert into t values ('alice');`,
    hazards: ['ACQUIRES_ACCESS_EXCLUSIVE_LOCK'],
    sql: [/ALTER COLUMN "name" TYPE character varying\(50\)$/],
    online: true,
    reverse: true,
  },
  {
    name: 'varchar to text needs no rewrite',
    from: `create table t (note varchar(200) default 'x');`,
    to: `create table t (note text default 'x');`,
    hazards: ['ACQUIRES_ACCESS_EXCLUSIVE_LOCK'],
    online: true,
  },
  {
    name: 'integer widened to bigint rewrites the table',
    from: `create table t (id int primary key, n int);`,
    to: `create table t (id int primary key, n bigint);`,
    data: `insert into t values (1, 10);`,
    hazards: ['ACQUIRES_ACCESS_EXCLUSIVE_LOCK', 'IMPACTS_DATABASE_PERFORMANCE'],
    sql: [/ALTER COLUMN "n" TYPE bigint$/, /^ANALYZE "public"."t" \("n"\)$/],
    online: false,
  },
  {
    name: 'bigint narrowed to integer may lose data',
    from: `create table t (n bigint);`,
    to: `create table t (n int);`,
    data: `insert into t values (5);`,
    hazards: ['ACQUIRES_ACCESS_EXCLUSIVE_LOCK', 'IMPACTS_DATABASE_PERFORMANCE', 'DELETES_DATA'],
  },
  {
    name: 'text to integer converts with USING',
    from: `create table t (qty text default '0');`,
    to: `create table t (qty integer default 0);`,
    data: `insert into t values ('1'), ('22');`,
    hazards: ['ACQUIRES_ACCESS_EXCLUSIVE_LOCK', 'IMPACTS_DATABASE_PERFORMANCE', 'DELETES_DATA'],
    sql: [
      /ALTER COLUMN "qty" DROP DEFAULT$/,
      /TYPE integer USING "qty"::integer$/,
      /ALTER COLUMN "qty" SET DEFAULT 0$/,
    ],
  },
  {
    name: 'varchar narrowed fails rather than cuts',
    from: `create table t (code varchar(50));`,
    to: `create table t (code varchar(10));`,
    data: `insert into t values ('short');`,
    hazards: ['ACQUIRES_ACCESS_EXCLUSIVE_LOCK', 'IMPACTS_DATABASE_PERFORMANCE', 'DELETES_DATA'],
    sql: [/TYPE character varying\(10\)$/],
  },
  {
    name: 'a collation change rebuilds indexes on the column',
    from: `create table t (name text collate "C"); create index t_name on t (name);`,
    to: `create table t (name text collate "POSIX"); create index t_name on t (name);`,
    hazards: ['ACQUIRES_ACCESS_EXCLUSIVE_LOCK', 'IMPACTS_DATABASE_PERFORMANCE'],
    sql: [/TYPE text COLLATE "POSIX"$/],
  },
  {
    name: 'defaults changed and dropped',
    from: `create table t (a int default 1, b text default 'x', c timestamptz);`,
    to: `create table t (a int default 2, b text, c timestamptz default now());`,
    hazards: [],
    sql: [/"a" SET DEFAULT 2$/, /"b" DROP DEFAULT$/, /"c" SET DEFAULT now\(\)$/],
    online: true,
  },
  {
    name: 'SET NOT NULL through a validated CHECK',
    from: `create table t (id int, email text);`,
    to: `create table t (id int, email text not null);`,
    data: `insert into t values (1, 'a@b');`,
    hazards: ['CORRECTNESS'],
    sql: [
      /ADD CONSTRAINT "aishell_nn_\w+" CHECK \("email" IS NOT NULL\) NOT VALID$/,
      /VALIDATE CONSTRAINT/,
      /ALTER COLUMN "email" SET NOT NULL$/,
      /DROP CONSTRAINT "aishell_nn_\w+"$/,
    ],
    online: true,
  },
  {
    name: 'SET NOT NULL directly when online forms are off',
    from: `create table t (id int, email text);`,
    to: `create table t (id int, email text not null);`,
    options: { online: false },
    hazards: ['ACQUIRES_ACCESS_EXCLUSIVE_LOCK', 'IMPACTS_DATABASE_PERFORMANCE', 'CORRECTNESS'],
    online: false,
  },
  {
    name: 'DROP NOT NULL',
    from: `create table t (id int, email text not null);`,
    to: `create table t (id int, email text);`,
    hazards: [],
    sql: [/"email" DROP NOT NULL$/],
  },
  // ---------------------------------------------------------------- identity, serial, generated
  {
    name: 'a new table with identity columns',
    from: ``,
    to: `create table t (id bigint generated always as identity (start with 100 increment by 10) primary key, n int generated by default as identity);`,
    hazards: [],
  },
  {
    name: 'an existing column becomes an identity',
    from: `create table t (id int not null primary key);`,
    to: `create table t (id int generated by default as identity primary key);`,
    data: `insert into t values (1), (2);`,
    hazards: ['CORRECTNESS'],
    sql: [/ADD GENERATED BY DEFAULT AS IDENTITY/],
  },
  {
    name: 'identity generation and increment change',
    from: `create table t (id int generated always as identity);`,
    to: `create table t (id int generated by default as identity (increment by 5));`,
    hazards: [],
    sql: [/SET GENERATED BY DEFAULT SET INCREMENT BY 5$/],
  },
  {
    name: 'a serial column added to a table with rows',
    from: `create table t (name text);`,
    to: `create table t (name text, id serial);`,
    data: `insert into t values ('a'), ('b');`,
    hazards: ['ACQUIRES_ACCESS_EXCLUSIVE_LOCK', 'IMPACTS_DATABASE_PERFORMANCE'],
    sql: [
      /^CREATE SEQUENCE "public"."t_id_seq" AS integer/,
      /ADD COLUMN "id" integer DEFAULT nextval/,
      /OWNED BY "public"."t"."id"$/,
    ],
  },
  {
    name: 'a serial column becomes an identity',
    from: `create table t (id serial primary key, v text);`,
    to: `create table t (id int generated by default as identity primary key, v text);`,
    hazards: ['DELETES_DATA', 'CORRECTNESS'],
    sql: [
      /"id" DROP DEFAULT$/,
      /ADD GENERATED BY DEFAULT AS IDENTITY/,
      /^DROP SEQUENCE "public"."t_id_seq"$/,
    ],
  },
  {
    name: 'a stored generated column added rewrites the table',
    from: `create table t (price numeric, qty int);`,
    to: `create table t (price numeric, qty int, total numeric generated always as (price * qty) stored);`,
    data: `insert into t values (2.5, 4);`,
    hazards: ['ACQUIRES_ACCESS_EXCLUSIVE_LOCK', 'IMPACTS_DATABASE_PERFORMANCE'],
    online: false,
  },
  {
    name: 'a generated column becomes a plain one',
    from: `create table t (a int, b int generated always as (a * 2) stored);`,
    to: `create table t (a int, b int);`,
    hazards: [],
    sql: [/"b" DROP EXPRESSION$/],
    reverse: false,
  },
  {
    name: 'a generation expression changed in place (PostgreSQL 17 and later)',
    engines: ['pglite'],
    from: `create table t (a int, b int generated always as (a * 2) stored);`,
    to: `create table t (a int, b int generated always as (a * 3) stored);`,
    hazards: ['ACQUIRES_ACCESS_EXCLUSIVE_LOCK', 'IMPACTS_DATABASE_PERFORMANCE'],
    sql: [/"b" SET EXPRESSION AS \(\(?a \* 3\)?\)$/],
  },
  {
    name: 'a generation expression change is unsupported before PostgreSQL 17',
    engines: ['server'],
    from: `create table t (a int, b int generated always as (a * 2) stored);`,
    to: `create table t (a int, b int generated always as (a * 3) stored);`,
    hazards: [],
    unsupported: ['generated column'],
  },
  // ---------------------------------------------------------------- constraints
  {
    name: 'a primary key added through a concurrently built index',
    from: `create table t (id int not null, v text);`,
    to: `create table t (id int not null primary key, v text);`,
    data: `insert into t values (1, 'a'), (2, 'b');`,
    hazards: ['INDEX_BUILD', 'CORRECTNESS'],
    sql: [
      /^CREATE UNIQUE INDEX CONCURRENTLY "t_pkey" ON "public"."t" \(id\)$/,
      /ADD CONSTRAINT "t_pkey" PRIMARY KEY USING INDEX "t_pkey"$/,
    ],
    online: true,
  },
  {
    name: 'a primary key added directly when online forms are off',
    from: `create table t (id int not null);`,
    to: `create table t (id int not null primary key);`,
    options: { online: false },
    hazards: ['ACQUIRES_ACCESS_EXCLUSIVE_LOCK', 'INDEX_BUILD', 'CORRECTNESS'],
    online: false,
  },
  {
    name: 'a primary key on a nullable column sets NOT NULL first',
    from: `create table t (id int, v text);`,
    to: `create table t (id int primary key, v text);`,
    hazards: ['INDEX_BUILD', 'CORRECTNESS'],
    sql: [/SET NOT NULL$/, /CREATE UNIQUE INDEX CONCURRENTLY/, /PRIMARY KEY USING INDEX/],
  },
  {
    name: 'a two-column unique constraint added',
    from: `create table t (a int, b int);`,
    to: `create table t (a int, b int, constraint t_a_b unique (a, b));`,
    hazards: ['INDEX_BUILD', 'CORRECTNESS'],
    sql: [
      /CREATE UNIQUE INDEX CONCURRENTLY "t_a_b" ON "public"."t" \(a, b\)$/,
      /ADD CONSTRAINT "t_a_b" UNIQUE USING INDEX "t_a_b"$/,
    ],
  },
  {
    name: 'a unique constraint with NULLS NOT DISTINCT and a deferrable one',
    from: `create table t (a int, b int);`,
    to: `create table t (a int, b int, constraint t_a unique nulls not distinct (a), constraint t_b unique (b) deferrable initially deferred);`,
    hazards: ['INDEX_BUILD', 'CORRECTNESS'],
    sql: [/\(a\) NULLS NOT DISTINCT$/, /UNIQUE USING INDEX "t_b" DEFERRABLE INITIALLY DEFERRED$/],
  },
  {
    name: 'a dropped unique constraint drops its index',
    from: `create table t (a int unique);`,
    to: `create table t (a int);`,
    hazards: ['INDEX_DROPPED'],
    sql: [/DROP CONSTRAINT "t_a_key"$/],
  },
  {
    name: 'a primary key gains a column',
    from: `create table t (tenant int not null, id int not null, primary key (id));`,
    to: `create table t (tenant int not null, id int not null, primary key (tenant, id));`,
    hazards: ['INDEX_DROPPED', 'INDEX_BUILD', 'CORRECTNESS'],
    sql: [
      /^CREATE UNIQUE INDEX CONCURRENTLY "aishell_new_\w+" ON "public"."t" \(tenant, id\)$/,
      /DROP CONSTRAINT "t_pkey", ADD CONSTRAINT "t_pkey" PRIMARY KEY USING INDEX "aishell_new_\w+"$/,
    ],
    online: true,
  },
  {
    name: 'a primary key that frees a column to be nullable is dropped before it is added',
    from: `create table t (a int, b int, primary key (a, b));`,
    to: `create table t (a int primary key, b int);`,
    hazards: ['INDEX_DROPPED', 'INDEX_BUILD', 'CORRECTNESS'],
    sql: [
      /DROP CONSTRAINT "t_pkey"$/,
      /"b" DROP NOT NULL$/,
      /CREATE UNIQUE INDEX CONCURRENTLY "t_pkey" ON "public"."t" \(a\)$/,
    ],
  },
  {
    name: 'a foreign key on a rebuilt primary key is dropped and added again',
    from: `create table p (id int primary key, name text); create table c (id int, p_id int references p (id));`,
    to: `create table p (id int, name text, primary key (id) include (name)); create table c (id int, p_id int references p (id));`,
    hazards: ['INDEX_DROPPED', 'INDEX_BUILD', 'CORRECTNESS', 'ACQUIRES_SHARE_ROW_EXCLUSIVE_LOCK'],
    sql: [
      /"c" DROP CONSTRAINT "c_p_id_fkey"$/,
      /INCLUDE \(name\)$/,
      /"p" DROP CONSTRAINT "p_pkey", ADD CONSTRAINT "p_pkey" PRIMARY KEY USING INDEX/,
      /ADD CONSTRAINT "c_p_id_fkey" FOREIGN KEY .* NOT VALID$/,
      /VALIDATE CONSTRAINT "c_p_id_fkey"$/,
    ],
  },
  {
    name: 'a CHECK added NOT VALID then validated',
    from: `create table t (price numeric);`,
    to: `create table t (price numeric check (price > 0));`,
    data: `insert into t values (3);`,
    hazards: ['CORRECTNESS'],
    sql: [
      /ADD CONSTRAINT "t_price_check" CHECK \(\(price > \(?0\)?(::numeric)?\)\) NOT VALID$/,
      /VALIDATE CONSTRAINT "t_price_check"$/,
    ],
    online: true,
  },
  {
    name: 'a CHECK that the target keeps NOT VALID is not validated',
    from: `create table t (n int);`,
    to: `create table t (n int); alter table t add constraint n_pos check (n > 0) not valid;`,
    data: `insert into t values (-1);`,
    hazards: [],
    sql: [/ADD CONSTRAINT "n_pos" CHECK \(\(n > 0\)\) NOT VALID$/],
  },
  {
    name: 'a NOT VALID CHECK validated',
    from: `create table t (n int); alter table t add constraint n_pos check (n > 0) not valid;`,
    to: `create table t (n int, constraint n_pos check (n > 0));`,
    hazards: ['CORRECTNESS'],
    sql: [/^ALTER TABLE "public"."t" VALIDATE CONSTRAINT "n_pos"$/],
    reverse: false,
  },
  {
    name: 'a CHECK whose expression changes is dropped and added',
    from: `create table t (n int, constraint n_range check (n between 0 and 10));`,
    to: `create table t (n int, constraint n_range check (n between 0 and 100));`,
    hazards: ['CORRECTNESS'],
    sql: [
      /DROP CONSTRAINT "n_range"$/,
      /ADD CONSTRAINT "n_range" .* NOT VALID$/,
      /VALIDATE CONSTRAINT "n_range"$/,
    ],
  },
  {
    name: 'a foreign key added NOT VALID then validated',
    from: `create table p (id int primary key); create table c (id int, p_id int);`,
    to: `create table p (id int primary key); create table c (id int, p_id int references p (id) on delete cascade);`,
    data: `insert into p values (1); insert into c values (1, 1);`,
    hazards: ['ACQUIRES_SHARE_ROW_EXCLUSIVE_LOCK', 'CORRECTNESS'],
    sql: [
      /FOREIGN KEY \(p_id\) REFERENCES p\(id\) ON DELETE CASCADE NOT VALID$/,
      /VALIDATE CONSTRAINT "c_p_id_fkey"$/,
    ],
    online: true,
  },
  {
    name: 'a foreign key whose action changes is dropped and added',
    from: `create table p (id int primary key); create table c (p_id int references p (id) on delete cascade);`,
    to: `create table p (id int primary key); create table c (p_id int references p (id) on delete set null);`,
    hazards: ['ACQUIRES_SHARE_ROW_EXCLUSIVE_LOCK', 'CORRECTNESS'],
    sql: [/DROP CONSTRAINT "c_p_id_fkey"$/, /ON DELETE SET NULL NOT VALID$/],
  },
  {
    name: 'a deferrable foreign key between two new tables',
    from: ``,
    to: `create table a (id int primary key, b_id int); create table b (id int primary key, a_id int references a (id));
      alter table a add constraint a_b foreign key (b_id) references b (id) deferrable initially deferred;`,
    hazards: [],
    sql: [
      /^CREATE TABLE "public"."a"/,
      /^CREATE TABLE "public"."b"/,
      /PRIMARY KEY/,
      /PRIMARY KEY/,
      /FOREIGN KEY/,
      /FOREIGN KEY/,
    ],
  },
  {
    name: 'an exclusion constraint is built under an exclusive lock',
    from: `create table booking (room int, during tsrange);`,
    to: `create table booking (room int, during tsrange, exclude using gist (during with &&));`,
    hazards: ['ACQUIRES_ACCESS_EXCLUSIVE_LOCK', 'INDEX_BUILD', 'CORRECTNESS'],
    sql: [/ADD CONSTRAINT "booking_during_excl" EXCLUDE USING gist \(during WITH &&\)$/],
    online: false,
  },
  {
    name: 'an exclusion constraint with btree_gist in a new table',
    from: ``,
    to: `create extension btree_gist; create table booking (room int, during tsrange, exclude using gist (room with =, during with &&));`,
    hazards: [],
    sql: [/^CREATE EXTENSION "btree_gist"/, /^CREATE TABLE/, /EXCLUDE USING gist/],
  },
  // ---------------------------------------------------------------- indexes
  {
    name: 'an index built concurrently',
    from: `create table t (a int, b text);`,
    to: `create table t (a int, b text); create index t_a on t (a);`,
    hazards: ['INDEX_BUILD'],
    sql: [/^CREATE INDEX CONCURRENTLY t_a ON public.t USING btree \(a\)$/],
    online: true,
  },
  {
    name: 'an index built under a share lock when online forms are off',
    from: `create table t (a int);`,
    to: `create table t (a int); create index t_a on t (a);`,
    options: { online: false },
    hazards: ['INDEX_BUILD', 'ACQUIRES_SHARE_LOCK'],
    online: false,
  },
  {
    name: 'an index dropped concurrently',
    from: `create table t (a int); create index t_a on t (a);`,
    to: `create table t (a int);`,
    hazards: ['INDEX_DROPPED'],
    sql: [/^DROP INDEX CONCURRENTLY "public"."t_a"$/],
  },
  {
    name: 'a changed index is built before the old one goes',
    from: `create table t (a int, b int); create index t_idx on t (a);`,
    to: `create table t (a int, b int); create index t_idx on t (a, b);`,
    hazards: ['INDEX_BUILD', 'INDEX_DROPPED'],
    sql: [
      /^ALTER INDEX "public"."t_idx" RENAME TO "aishell_old_\w+"$/,
      /^CREATE INDEX CONCURRENTLY t_idx ON public.t USING btree \(a, b\)$/,
      /^DROP INDEX CONCURRENTLY "public"."aishell_old_\w+"$/,
    ],
    online: true,
  },
  {
    name: 'a partial index whose predicate changes',
    from: `create table t (a int, active bool); create index t_active on t (a) where active;`,
    to: `create table t (a int, active bool); create index t_active on t (a) where active and a > 0;`,
    hazards: ['INDEX_BUILD', 'INDEX_DROPPED'],
  },
  {
    name: 'an expression index with INCLUDE, a unique index and a descending one',
    from: `create table t (email text, id int, at timestamptz);`,
    to: `create table t (email text, id int, at timestamptz);
      create index t_lower on t (lower(email)) include (id);
      create unique index t_id on t (id);
      create index t_at on t (at desc nulls last);`,
    hazards: ['INDEX_BUILD'],
    sql: [
      /\(at DESC NULLS LAST\)$/,
      /CREATE UNIQUE INDEX CONCURRENTLY t_id/,
      /\(lower\(email\)\) INCLUDE \(id\)$/,
    ],
  },
  {
    name: 'GIN, BRIN and hash indexes',
    from: `create table t (doc jsonb, at timestamptz, code text);`,
    to: `create table t (doc jsonb, at timestamptz, code text);
      create index t_doc on t using gin (doc jsonb_path_ops);
      create index t_at on t using brin (at);
      create index t_code on t using hash (code);`,
    hazards: ['INDEX_BUILD'],
    sql: [/USING brin \(at\)$/, /USING hash \(code\)$/, /USING gin \(doc jsonb_path_ops\)$/],
  },
  {
    name: 'a trigram index with its extension',
    from: `create table t (name text);`,
    to: `create extension pg_trgm; create table t (name text); create index t_name_trgm on t using gin (name gin_trgm_ops);`,
    hazards: ['INDEX_BUILD'],
    sql: [/^CREATE EXTENSION "pg_trgm" WITH SCHEMA "public"/, /USING gin \(name gin_trgm_ops\)$/],
  },
  {
    name: 'an index renamed in place',
    from: `create table t (a int); create index old_name on t (a);`,
    to: `create table t (a int); create index new_name on t (a);`,
    hazards: [],
    sql: [/^ALTER INDEX "public"."old_name" RENAME TO "new_name"$/],
    online: true,
  },
  // ---------------------------------------------------------------- views
  {
    name: 'views over views are created in order',
    from: `create table t (id int, amount numeric);`,
    to: `create table t (id int, amount numeric);
      create view v1_base as select id, amount from t; create view v2 as select id from v1_base where amount > 0;`,
    hazards: [],
    sql: [/^CREATE VIEW "public"."v1_base"/, /^CREATE VIEW "public"."v2"/],
  },
  {
    name: 'a changed view and the view over it are rebuilt',
    from: `create table t (id int, amount numeric); create view a as select id from t; create view b as select id from a;`,
    to: `create table t (id int, amount numeric); create view a as select id, amount from t; create view b as select id from a;`,
    hazards: [],
    sql: [
      /^DROP VIEW "public"."b"$/,
      /^DROP VIEW "public"."a"$/,
      /^CREATE VIEW "public"."a"/,
      /^CREATE VIEW "public"."b"/,
    ],
  },
  {
    name: 'a column type change under a view rebuilds the view',
    from: `create table t (id int, n int); create view v as select id, n from t;`,
    to: `create table t (id int, n bigint); create view v as select id, n from t;`,
    hazards: ['ACQUIRES_ACCESS_EXCLUSIVE_LOCK', 'IMPACTS_DATABASE_PERFORMANCE'],
    sql: [/^DROP VIEW "public"."v"$/, /TYPE bigint$/, /^CREATE VIEW "public"."v"/],
  },
  {
    name: 'a materialized view with an index',
    from: `create table t (id int, region text);`,
    to: `create table t (id int, region text);
      create materialized view by_region as select region, count(*) as n from t group by region;
      create unique index by_region_region on by_region (region);`,
    hazards: ['IMPACTS_DATABASE_PERFORMANCE'],
    sql: [/^CREATE MATERIALIZED VIEW "public"."by_region"/, /^CREATE UNIQUE INDEX by_region_region/],
  },
  {
    name: 'a changed materialized view is rebuilt with its index',
    from: `create table t (id int, region text);
      create materialized view m as select region, count(*) as n from t group by region; create index m_r on m (region);`,
    to: `create table t (id int, region text);
      create materialized view m as select region, count(*) as n, max(id) as top from t group by region; create index m_r on m (region);`,
    hazards: ['IMPACTS_DATABASE_PERFORMANCE'],
    sql: [/^DROP MATERIALIZED VIEW "public"."m"$/, /^CREATE MATERIALIZED VIEW/, /^CREATE INDEX m_r/],
  },
  {
    name: 'a view gains WITH CHECK OPTION and security_barrier',
    from: `create table t (id int, active bool); create view v as select id, active from t where active;`,
    to: `create table t (id int, active bool); create view v with (security_barrier, check_option = local) as select id, active from t where active;`,
    hazards: [],
    sql: [/^DROP VIEW/, /^CREATE VIEW "public"."v" WITH \(check_option=local, security_barrier=true\) AS/],
  },
  {
    name: 'a dropped view',
    from: `create table t (id int); create view v as select id from t;`,
    to: `create table t (id int);`,
    hazards: [],
    sql: [/^DROP VIEW "public"."v"$/],
  },
  // ---------------------------------------------------------------- enums, domains, composite types
  {
    name: 'an enum value appended',
    from: `create type mood as enum ('sad', 'ok'); create table t (m mood);`,
    to: `create type mood as enum ('sad', 'ok', 'happy'); create table t (m mood);`,
    hazards: [],
    sql: [/^ALTER TYPE "public"."mood" ADD VALUE 'happy' AFTER 'ok'$/],
    reverse: false,
  },
  {
    name: 'enum values inserted in order',
    from: `create type level as enum ('low', 'high');`,
    to: `create type level as enum ('lowest', 'low', 'medium', 'high', 'highest');`,
    hazards: [],
    sql: [
      /ADD VALUE 'lowest' BEFORE 'low'$/,
      /ADD VALUE 'medium' AFTER 'low'$/,
      /ADD VALUE 'highest' AFTER 'high'$/,
    ],
    reverse: false,
  },
  {
    name: 'an enum value removed is unsupported',
    from: `create type mood as enum ('sad', 'ok', 'happy');`,
    to: `create type mood as enum ('sad', 'happy');`,
    hazards: [],
    unsupported: ['enum'],
  },
  {
    name: 'a column changes from text to a new enum',
    from: `create table t (status text);`,
    to: `create type status as enum ('open', 'closed'); create table t (status status);`,
    data: `insert into t values ('open');`,
    hazards: ['ACQUIRES_ACCESS_EXCLUSIVE_LOCK', 'IMPACTS_DATABASE_PERFORMANCE', 'DELETES_DATA'],
    sql: [/^CREATE TYPE "public"."status" AS ENUM/, /TYPE status USING "status"::status$/],
  },
  {
    name: 'a domain created and used by a table',
    from: ``,
    to: `create domain email as text collate "C" check (value like '%@%'); create table u (e email not null);`,
    hazards: [],
    sql: [
      /^CREATE DOMAIN "public"."email" AS text COLLATE "C" CONSTRAINT "email_check" CHECK/,
      /^CREATE TABLE/,
    ],
  },
  {
    name: 'a domain gains a constraint, a default and NOT NULL',
    from: `create domain qty as int; create table t (q qty);`,
    to: `create domain qty as int default 1 not null constraint qty_pos check (value > 0); create table t (q qty);`,
    data: `insert into t values (3);`,
    hazards: ['CORRECTNESS', 'IMPACTS_DATABASE_PERFORMANCE'],
    sql: [
      /SET DEFAULT 1$/,
      /SET NOT NULL$/,
      /ADD CONSTRAINT "qty_pos" CHECK \(\(VALUE > 0\)\) NOT VALID$/,
      /VALIDATE CONSTRAINT "qty_pos"$/,
    ],
  },
  {
    name: 'a composite type added and one changed (unsupported)',
    from: `create type pair as (a int, b text);`,
    to: `create type pair as (a int, b text, c bool); create type point3 as (x float8, y float8, z float8);`,
    hazards: [],
    unsupported: ['composite type'],
  },
  // ---------------------------------------------------------------- sequences
  {
    name: 'a sequence created and another changed',
    from: `create sequence s1 increment by 1;`,
    to: `create sequence s1 increment by 10 cache 5; create sequence s2 as smallint start with 7 cycle;`,
    hazards: [],
    sql: [
      /^ALTER SEQUENCE "public"."s1" INCREMENT BY 10 CACHE 5$/,
      /^CREATE SEQUENCE "public"."s2" AS smallint .* START WITH 7 CACHE 1 CYCLE$/,
    ],
  },
  {
    name: 'a dropped sequence loses its value',
    from: `create sequence s1;`,
    to: ``,
    hazards: ['DELETES_DATA'],
    sql: [/^DROP SEQUENCE "public"."s1"$/],
  },
  // ---------------------------------------------------------------- partitions
  {
    name: 'a partitioned table with partitions and an index',
    from: ``,
    to: `create table m (id int, at date not null, v int) partition by range (at);
      create table m_2024 partition of m for values from ('2024-01-01') to ('2025-01-01');
      create table m_2025 partition of m for values from ('2025-01-01') to ('2026-01-01');
      create table m_rest partition of m default;
      create index m_at on m (at);`,
    hazards: [],
    sql: [
      /PARTITION BY RANGE \(at\)$/,
      /PARTITION OF "public"."m" FOR VALUES FROM/,
      /PARTITION OF "public"."m" DEFAULT$/,
      /^CREATE INDEX m_at ON public.m USING btree \(at\)$/,
    ],
  },
  {
    name: 'a partition added to a partitioned table',
    from: `create table m (id int, at date) partition by range (at);
      create table m_2024 partition of m for values from ('2024-01-01') to ('2025-01-01');`,
    to: `create table m (id int, at date) partition by range (at);
      create table m_2024 partition of m for values from ('2024-01-01') to ('2025-01-01');
      create table m_2025 partition of m for values from ('2025-01-01') to ('2026-01-01');`,
    hazards: ['ACQUIRES_ACCESS_EXCLUSIVE_LOCK'],
  },
  {
    name: 'a list partition dropped',
    from: `create table r (id int, region text) partition by list (region);
      create table r_eu partition of r for values in ('eu'); create table r_us partition of r for values in ('us');`,
    to: `create table r (id int, region text) partition by list (region);
      create table r_eu partition of r for values in ('eu');`,
    hazards: ['DELETES_DATA', 'ACQUIRES_ACCESS_EXCLUSIVE_LOCK'],
    sql: [/^DROP TABLE "public"."r_us"$/],
  },
  {
    name: 'an index on a partitioned table cannot be built concurrently',
    from: `create table m (id int, at date) partition by range (at);
      create table m_1 partition of m for values from ('2024-01-01') to ('2025-01-01');`,
    to: `create table m (id int, at date) partition by range (at);
      create table m_1 partition of m for values from ('2024-01-01') to ('2025-01-01');
      create index m_id on m (id);`,
    hazards: ['INDEX_BUILD', 'ACQUIRES_SHARE_LOCK'],
    sql: [/^CREATE INDEX m_id ON public.m USING btree \(id\)$/],
    online: false,
  },
  {
    name: 'a partition bound changes: detached and attached again',
    from: `create table m (id int, at date) partition by range (at);
      create table m_1 partition of m for values from ('2024-01-01') to ('2025-01-01');`,
    to: `create table m (id int, at date) partition by range (at);
      create table m_1 partition of m for values from ('2024-01-01') to ('2026-01-01');`,
    hazards: ['ACQUIRES_ACCESS_EXCLUSIVE_LOCK', 'IMPACTS_DATABASE_PERFORMANCE', 'CORRECTNESS'],
    sql: [
      /DETACH PARTITION "public"."m_1"$/,
      /ATTACH PARTITION "public"."m_1" FOR VALUES FROM \('2024-01-01'\) TO \('2026-01-01'\)$/,
    ],
  },
  {
    name: 'a change of partition key is unsupported',
    from: `create table m (id int, at date) partition by range (at);`,
    to: `create table m (id int, at date) partition by hash (id);`,
    hazards: [],
    unsupported: ['partitioning'],
  },
  // ---------------------------------------------------------------- functions, procedures, triggers
  {
    name: 'a PL/pgSQL function added',
    from: ``,
    to: `create function add_one(i int) returns int language plpgsql immutable as $$ begin return i + 1; end $$;`,
    hazards: ['HAS_UNTRACKABLE_DEPENDENCIES'],
    sql: [/^CREATE OR REPLACE FUNCTION public.add_one\(i integer\)/],
  },
  {
    name: 'a SQL function body replaced',
    from: `create function f(i int) returns int language sql as 'select i + 1';`,
    to: `create function f(i int) returns int language sql as 'select i + 2';`,
    hazards: ['HAS_UNTRACKABLE_DEPENDENCIES'],
    sql: [/^CREATE OR REPLACE FUNCTION public.f/],
  },
  {
    name: 'a function whose result type changes is dropped and created, with the view over it',
    from: `create function f() returns int language sql as 'select 1'; create view v as select f() as x;`,
    to: `create function f() returns bigint language sql as 'select 1::bigint'; create view v as select f() as x;`,
    hazards: ['HAS_UNTRACKABLE_DEPENDENCIES'],
    sql: [
      /^DROP VIEW "public"."v"$/,
      /^DROP FUNCTION "public"."f"\(\)$/,
      /^CREATE OR REPLACE FUNCTION public.f\(\)/,
      /^CREATE VIEW "public"."v"/,
    ],
  },
  {
    name: 'a SQL-standard function body over a new table comes after it',
    from: ``,
    to: `create table t (id int, amount numeric);
      create function total() returns numeric language sql stable begin atomic select sum(amount) from t; end;`,
    hazards: [],
    sql: [/^CREATE TABLE "public"."t"/, /^CREATE OR REPLACE FUNCTION public.total\(\)/],
  },
  {
    name: 'a default calling a new SQL function waits for it',
    from: ``,
    to: `create table t (code text);
      create function next_code() returns text language sql as $$ select 'C' || (select count(*) from t)::text $$;
      alter table t alter column code set default next_code();`,
    hazards: ['HAS_UNTRACKABLE_DEPENDENCIES'],
    sql: [
      /^CREATE TABLE "public"."t"/,
      /^CREATE OR REPLACE FUNCTION public.next_code/,
      /ALTER COLUMN "code" SET DEFAULT next_code\(\)$/,
    ],
  },
  {
    name: 'a procedure added',
    from: ``,
    to: `create table log (msg text); create procedure note(m text) language sql as $$ insert into log values (m) $$;`,
    hazards: ['HAS_UNTRACKABLE_DEPENDENCIES'],
    sql: [/^CREATE TABLE/, /^CREATE OR REPLACE PROCEDURE public.note\(IN m text\)/],
  },
  {
    name: 'a trigger and its function added to a table',
    from: `create table t (id int, updated_at timestamptz);`,
    to: `create table t (id int, updated_at timestamptz);
      create function touch() returns trigger language plpgsql as $$ begin new.updated_at := now(); return new; end $$;
      create trigger t_touch before update on t for each row execute function touch();`,
    hazards: ['HAS_UNTRACKABLE_DEPENDENCIES', 'ACQUIRES_SHARE_ROW_EXCLUSIVE_LOCK'],
    sql: [
      /^CREATE OR REPLACE FUNCTION public.touch\(\)/,
      /^CREATE TRIGGER t_touch BEFORE UPDATE ON public.t/,
    ],
  },
  {
    name: 'a changed trigger is replaced in place',
    from: `create table t (id int);
      create function f() returns trigger language plpgsql as $$ begin return new; end $$;
      create trigger t_f before insert on t for each row execute function f();`,
    to: `create table t (id int);
      create function f() returns trigger language plpgsql as $$ begin return new; end $$;
      create trigger t_f before insert or update on t for each row execute function f();`,
    hazards: ['ACQUIRES_SHARE_ROW_EXCLUSIVE_LOCK'],
    sql: [/^CREATE OR REPLACE TRIGGER t_f BEFORE INSERT OR UPDATE ON public.t/],
  },
  {
    name: 'a trigger disabled',
    from: `create table t (id int);
      create function f() returns trigger language plpgsql as $$ begin return new; end $$;
      create trigger t_f before insert on t for each row execute function f();`,
    to: `create table t (id int);
      create function f() returns trigger language plpgsql as $$ begin return new; end $$;
      create trigger t_f before insert on t for each row execute function f();
      alter table t disable trigger t_f;`,
    hazards: ['CORRECTNESS'],
    sql: [/^ALTER TABLE "public"."t" DISABLE TRIGGER "t_f"$/],
  },
  {
    name: 'a constraint trigger and an INSTEAD OF trigger on a view',
    from: `create table t (id int); create view v as select id from t;
      create function f() returns trigger language plpgsql as $$ begin return null; end $$;`,
    to: `create table t (id int); create view v as select id from t;
      create function f() returns trigger language plpgsql as $$ begin return null; end $$;
      create constraint trigger t_check after insert on t deferrable initially deferred for each row execute function f();
      create trigger v_ins instead of insert on v for each row execute function f();`,
    hazards: ['ACQUIRES_SHARE_ROW_EXCLUSIVE_LOCK'],
    sql: [/^CREATE CONSTRAINT TRIGGER t_check/, /^CREATE TRIGGER v_ins INSTEAD OF INSERT ON public.v/],
  },
  {
    name: 'a dropped trigger and function',
    from: `create table t (id int);
      create function f() returns trigger language plpgsql as $$ begin return new; end $$;
      create trigger t_f before insert on t for each row execute function f();`,
    to: `create table t (id int);`,
    hazards: ['HAS_UNTRACKABLE_DEPENDENCIES'],
    sql: [/^DROP TRIGGER "t_f" ON "public"."t"$/, /^DROP FUNCTION "public"."f"\(\)$/],
  },
  // ---------------------------------------------------------------- row-level security
  {
    name: 'row-level security enabled with a policy',
    from: `create table doc (id int, owner text);`,
    to: `create table doc (id int, owner text); alter table doc enable row level security;
      create policy own on doc for select using (owner = current_user);`,
    hazards: ['AUTHZ_UPDATE'],
    sql: [
      /ENABLE ROW LEVEL SECURITY$/,
      /^CREATE POLICY "own" ON "public"."doc" AS PERMISSIVE FOR SELECT TO PUBLIC USING/,
    ],
  },
  {
    name: 'a policy expression altered in place',
    from: `create table doc (id int, owner text); alter table doc enable row level security;
      create policy own on doc using (owner = current_user);`,
    to: `create table doc (id int, owner text); alter table doc enable row level security;
      create policy own on doc using (owner = current_user or owner = 'shared');`,
    hazards: ['AUTHZ_UPDATE'],
    sql: [/^ALTER POLICY "own" ON "public"."doc" TO PUBLIC USING/],
  },
  {
    name: 'a policy whose command changes is dropped and created; RLS forced',
    setup: ROLES,
    from: `create table doc (id int, owner text); alter table doc enable row level security;
      create policy p on doc for select using (true);`,
    to: `create table doc (id int, owner text); alter table doc enable row level security; alter table doc force row level security;
      create policy p on doc as restrictive for update to aishell_test_h10_writer using (owner = current_user) with check (owner = current_user);`,
    hazards: ['AUTHZ_UPDATE'],
    sql: [
      /^DROP POLICY "p" ON "public"."doc"$/,
      /FORCE ROW LEVEL SECURITY$/,
      /AS RESTRICTIVE FOR UPDATE TO "aishell_test_h10_writer" USING .* WITH CHECK/,
    ],
  },
  // ---------------------------------------------------------------- comments and privileges
  {
    name: 'comments on every kind of object',
    from: `create table t (id int primary key, name text); create index t_name on t (name); create view v as select id from t;
      create function f() returns int language sql as 'select 1'; create type mood as enum ('a'); create sequence s;`,
    to: `create table t (id int primary key, name text); create index t_name on t (name); create view v as select id from t;
      create function f() returns int language sql as 'select 1'; create type mood as enum ('a'); create sequence s;
      comment on table t is 'the things'; comment on column t.name is 'what it''s called'; comment on index t_name is 'by name';
      comment on view v is 'ids'; comment on function f() is 'one'; comment on type mood is 'feelings';
      comment on sequence s is 'counter'; comment on constraint t_pkey on t is 'the key'; comment on schema public is 'mine';`,
    hazards: [],
    sql: [
      /^COMMENT ON SCHEMA "public" IS 'mine'$/,
      /^COMMENT ON TYPE/,
      /^COMMENT ON SEQUENCE/,
      /^COMMENT ON FUNCTION/,
      /^COMMENT ON COLUMN "public"."t"."name" IS 'what it''s called'$/,
      /^COMMENT ON CONSTRAINT "t_pkey" ON "public"."t"/,
      /^COMMENT ON INDEX/,
      /^COMMENT ON TABLE "public"."t" IS 'the things'$/,
      /^COMMENT ON VIEW/,
    ],
    online: true,
  },
  {
    name: 'a comment removed',
    from: `create table t (id int); comment on table t is 'old';`,
    to: `create table t (id int);`,
    hazards: [],
    sql: [/^COMMENT ON TABLE "public"."t" IS NULL$/],
  },
  {
    name: 'privileges granted and revoked when asked for',
    setup: ROLES,
    introspect: { privileges: true },
    from: `create table t (id int); create function f() returns int language sql as 'select 1';
      grant select, insert on t to aishell_test_h10_writer;`,
    to: `create table t (id int); create function f() returns int language sql as 'select 1';
      grant select on t to aishell_test_h10_reader with grant option; grant select on t to aishell_test_h10_writer;
      revoke execute on function f() from public; grant execute on function f() to aishell_test_h10_reader;`,
    hazards: ['AUTHZ_UPDATE'],
    sql: [
      /^REVOKE EXECUTE ON FUNCTION "public"."f"\(\) FROM PUBLIC$/,
      /^GRANT EXECUTE ON FUNCTION "public"."f"\(\) TO "aishell_test_h10_reader"$/,
      /^REVOKE INSERT ON TABLE "public"."t" FROM "aishell_test_h10_writer"$/,
      /^GRANT SELECT ON TABLE "public"."t" TO "aishell_test_h10_reader" WITH GRANT OPTION$/,
    ],
  },
  {
    name: 'privileges are not compared unless asked for',
    setup: ROLES,
    from: `create table t (id int);`,
    to: `create table t (id int); grant select on t to aishell_test_h10_reader;`,
    hazards: [],
    empty: true,
    reverse: false,
  },
  // ---------------------------------------------------------------- renames
  {
    name: 'a table renamed when asked, with its key, index and sequence',
    from: `create table t (id serial primary key, name text); create index t_name on t (name);`,
    to: `create table orders (id serial primary key, name text); create index t_name on orders (name);`,
    data: `insert into t (name) values ('a');`,
    options: { renames: { t: 'orders' } },
    hazards: ['CORRECTNESS'],
    sql: [
      /^ALTER TABLE "public"."t" RENAME TO "orders"$/,
      /^ALTER SEQUENCE "public"."t_id_seq" RENAME TO "orders_id_seq"$/,
      /RENAME CONSTRAINT "t_pkey" TO "orders_pkey"$/,
    ],
  },
  {
    name: 'a column renamed when asked keeps its values and index',
    from: `create table t (id int, mail text); create index t_mail on t (mail); create table c (id int primary key, t_mail text);`,
    to: `create table t (id int, email text); create index t_mail on t (email); create table c (id int primary key, t_mail text);`,
    data: `insert into t values (1, 'a@b');`,
    options: { renames: { 't.mail': 'email' } },
    hazards: ['CORRECTNESS'],
    sql: [/^ALTER TABLE "public"."t" RENAME COLUMN "mail" TO "email"$/],
  },
  {
    name: 'without a rename asked for, a renamed column is a drop and an add',
    from: `create table t (id int, mail text);`,
    to: `create table t (id int, email text);`,
    hazards: ['DELETES_DATA', 'ACQUIRES_ACCESS_EXCLUSIVE_LOCK'],
    sql: [/DROP COLUMN "mail"$/, /ADD COLUMN "email" text$/],
  },
  // ---------------------------------------------------------------- several changes at once
  {
    name: 'a shop grows up: many changes in one plan',
    setup: ROLES,
    from: `create type order_status as enum ('new', 'paid');
      create table customers (id serial primary key, email varchar(100), name text);
      create table orders (id serial primary key, customer_id int, status order_status default 'new', total numeric(10,2), note text);
      create index orders_customer on orders (customer_id);
      create view order_totals as select customer_id, sum(total) as total from orders group by customer_id;`,
    to: `create type order_status as enum ('new', 'paid', 'shipped');
      create table customers (id serial primary key, email varchar(200) not null, name text, created_at timestamptz not null default now(),
        constraint customers_email unique (email));
      create table orders (id serial primary key, customer_id int not null references customers (id), status order_status not null default 'new',
        total numeric(12,2) check (total >= 0), shipped_at timestamptz);
      create index orders_customer on orders (customer_id, status);
      create index orders_shipped on orders (shipped_at) where shipped_at is not null;
      create view order_totals as select customer_id, sum(total) as total, count(*) as n from orders group by customer_id;
      create view big_customers as select customer_id from order_totals where total > 1000;
      alter table orders enable row level security;
      create policy orders_read on orders for select to aishell_test_h10_reader using (status <> 'new');
      comment on table orders is 'what customers bought';`,
    data: `insert into customers (email, name) values ('a@b', 'A'), ('c@d', 'C');
      insert into orders (customer_id, total, note) values (1, 10, 'x'), (2, 20, null);`,
    // The way back would remove an enum value.
    reverse: false,
    hazards: [
      'ACQUIRES_ACCESS_EXCLUSIVE_LOCK',
      'ACQUIRES_SHARE_ROW_EXCLUSIVE_LOCK',
      'AUTHZ_UPDATE',
      'CORRECTNESS',
      'DELETES_DATA',
      'INDEX_BUILD',
      'INDEX_DROPPED',
    ],
    sql: [
      /^DROP VIEW "public"."order_totals"$/,
      /DROP COLUMN "note"$/,
      /ADD VALUE 'shipped' AFTER 'paid'$/,
      /"email" TYPE character varying\(200\)$/,
      /^CREATE VIEW "public"."order_totals"/,
      /^CREATE VIEW "public"."big_customers"/,
      /CREATE UNIQUE INDEX CONCURRENTLY "customers_email"/,
      /FOREIGN KEY \(customer_id\) REFERENCES customers\(id\) NOT VALID$/,
      /ENABLE ROW LEVEL SECURITY$/,
    ],
  },
  {
    name: 'sub-partitions',
    from: `create table m (id int, at date not null, region text not null) partition by range (at);`,
    to: `create table m (id int, at date not null, region text not null) partition by range (at);
      create table m_2025 partition of m for values from ('2025-01-01') to ('2026-01-01') partition by list (region);
      create table m_2025_eu partition of m_2025 for values in ('eu');
      create table m_2025_us partition of m_2025 for values in ('us');`,
    hazards: ['ACQUIRES_ACCESS_EXCLUSIVE_LOCK'],
    sql: [
      /"m_2025" PARTITION OF "public"."m" .* PARTITION BY LIST \(region\)$/,
      /"m_2025_eu" PARTITION OF "public"."m_2025"/,
    ],
  },
  {
    name: 'a CHECK calling a new SQL function',
    from: ``,
    to: `create function is_code(t text) returns boolean language sql immutable as $$ select t ~ '^[A-Z]{3}$' $$;
      create table items (code text check (is_code(code)));`,
    hazards: ['HAS_UNTRACKABLE_DEPENDENCIES'],
    sql: [
      /^CREATE TABLE "public"."items"/,
      /^CREATE OR REPLACE FUNCTION public.is_code/,
      /ADD CONSTRAINT "items_code_check" CHECK \(is_code\(code\)\)$/,
    ],
  },
  {
    name: 'a materialized view over a changed view is rebuilt with it',
    from: `create table t (id int, v int); create view a as select id, v from t; create materialized view m as select count(*) as n from a;`,
    to: `create table t (id int, v int); create view a as select id, v from t where v > 0; create materialized view m as select count(*) as n from a;`,
    hazards: ['IMPACTS_DATABASE_PERFORMANCE'],
    sql: [
      /^DROP MATERIALIZED VIEW "public"."m"$/,
      /^DROP VIEW "public"."a"$/,
      /^CREATE VIEW "public"."a"/,
      /^CREATE MATERIALIZED VIEW "public"."m"/,
    ],
  },
  {
    name: 'a policy over a dropped column is dropped before the column and created after',
    from: `create table doc (id int, owner text, team text); alter table doc enable row level security;
      create policy p on doc using (owner = current_user or team = 'all');`,
    to: `create table doc (id int, owner text); alter table doc enable row level security;
      create policy p on doc using (owner = current_user);`,
    hazards: ['AUTHZ_UPDATE', 'DELETES_DATA', 'ACQUIRES_ACCESS_EXCLUSIVE_LOCK'],
    sql: [/^DROP POLICY "p"/, /DROP COLUMN "team"$/, /^CREATE POLICY "p"/],
  },
  {
    name: 'a trigger on a dropped column is dropped before the column and created after',
    from: `create table t (id int, a int, b int);
      create function f() returns trigger language plpgsql as $$ begin return new; end $$;
      create trigger t_f before update of a, b on t for each row execute function f();`,
    to: `create table t (id int, a int);
      create function f() returns trigger language plpgsql as $$ begin return new; end $$;
      create trigger t_f before update of a on t for each row execute function f();`,
    hazards: ['ACQUIRES_SHARE_ROW_EXCLUSIVE_LOCK', 'DELETES_DATA', 'ACQUIRES_ACCESS_EXCLUSIVE_LOCK'],
    sql: [/^DROP TRIGGER "t_f"/, /DROP COLUMN "b"$/, /^CREATE TRIGGER t_f BEFORE UPDATE OF a ON public.t/],
  },
  {
    name: 'a domain dropped once no column uses it',
    from: `create domain code as text check (value <> ''); create table t (c code);`,
    to: `create table t (c text);`,
    hazards: ['ACQUIRES_ACCESS_EXCLUSIVE_LOCK', 'IMPACTS_DATABASE_PERFORMANCE'],
    sql: [/ALTER COLUMN "c" TYPE text$/, /^DROP DOMAIN "public"."code"$/],
  },
  {
    name: 'a sequence two tables share',
    from: ``,
    to: `create sequence ids; create table a (id bigint default nextval('ids')); create table b (id bigint default nextval('ids'));`,
    hazards: [],
    sql: [/^CREATE SEQUENCE "public"."ids"/, /^CREATE TABLE "public"."a"/, /^CREATE TABLE "public"."b"/],
  },
  {
    name: 'a unique index under a foreign key, changed: the foreign key is dropped and added again',
    from: `create table p (id int not null, code text); create unique index p_id on p (id);
      create table c (p_id int references p (id));`,
    to: `create table p (id int not null, code text); create unique index p_id on p (id) include (code);
      create table c (p_id int references p (id));`,
    hazards: ['INDEX_BUILD', 'INDEX_DROPPED', 'ACQUIRES_SHARE_ROW_EXCLUSIVE_LOCK', 'CORRECTNESS'],
    sql: [
      /"c" DROP CONSTRAINT "c_p_id_fkey"$/,
      /^CREATE INDEX|^CREATE UNIQUE INDEX CONCURRENTLY p_id/,
      /ADD CONSTRAINT "c_p_id_fkey"/,
    ],
  },
  {
    name: 'row-level security disabled and its policy dropped',
    from: `create table doc (id int); alter table doc enable row level security; create policy p on doc using (true);`,
    to: `create table doc (id int);`,
    hazards: ['AUTHZ_UPDATE'],
    sql: [/^DROP POLICY "p" ON "public"."doc"$/, /DISABLE ROW LEVEL SECURITY$/],
  },
  {
    name: 'privileges on schemas, sequences and views',
    setup: ROLES,
    introspect: { privileges: true },
    from: `create schema app; create sequence app.s; create table app.t (id int); create view app.v as select id from app.t;`,
    to: `create schema app; create sequence app.s; create table app.t (id int); create view app.v as select id from app.t;
      grant usage on schema app to aishell_test_h10_reader; grant usage, select on sequence app.s to aishell_test_h10_writer;
      grant select on app.v to aishell_test_h10_reader;`,
    hazards: ['AUTHZ_UPDATE'],
    sql: [
      /^GRANT USAGE ON SCHEMA "app" TO "aishell_test_h10_reader"$/,
      /ON SEQUENCE "app"."s" TO "aishell_test_h10_writer"$/,
      /^GRANT SELECT ON TABLE "app"."v" TO "aishell_test_h10_reader"$/,
    ],
  },
  // ---------------------------------------------------------------- extensions and the rest
  {
    name: 'an extension and a column of its type',
    from: `create table u (name text);`,
    to: `create extension citext; create table u (name citext);`,
    hazards: ['ACQUIRES_ACCESS_EXCLUSIVE_LOCK', 'IMPACTS_DATABASE_PERFORMANCE'],
    sql: [/^CREATE EXTENSION "citext"/, /TYPE citext$/],
  },
  {
    name: 'a dropped extension',
    from: `create extension hstore;`,
    to: ``,
    hazards: ['HAS_UNTRACKABLE_DEPENDENCIES'],
    sql: [/^DROP EXTENSION "hstore"$/],
  },
  {
    name: 'an extension version upgrade',
    engines: ['server'],
    from: `create extension hstore version '1.7';`,
    to: `create extension hstore version '1.8';`,
    hazards: ['UPGRADING_EXTENSION_VERSION'],
    sql: [/^ALTER EXTENSION "hstore" UPDATE TO '1.8'$/],
    reverse: false,
  },
  {
    name: 'objects the differ does not plan are listed as unsupported',
    from: `create table t (id int);`,
    to: `create table t (id int, n int); create rule t_no_delete as on delete to t do instead nothing;
      create aggregate my_sum(int) (sfunc = int4pl, stype = int);
      create statistics t_stats on id, n from t;`,
    hazards: [],
    unsupported: ['rule', 'aggregate', 'statistics'],
  },
  {
    name: 'two schemas with a foreign key between them',
    from: `create schema app; create table app.users (id int primary key);`,
    to: `create schema app; create schema audit; create table app.users (id int primary key);
      create table audit.events (id bigint generated always as identity primary key, user_id int not null references app.users (id), at timestamptz not null default now());
      create index events_user on audit.events (user_id);`,
    hazards: [],
    sql: [/^CREATE SCHEMA "audit"$/, /^CREATE TABLE "audit"."events"/, /REFERENCES app.users\(id\)$/],
  },
];
