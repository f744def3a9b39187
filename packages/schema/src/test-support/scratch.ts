// Scratch databases for the tests, on the real engines: a PostgreSQL database created and dropped per
// use, a PGlite instance reset between uses (two are kept per file: starting one costs a second), a
// MariaDB database, a SQLite file. Each hands a `run` on one session, as the engine's scratch copy does.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mysqlUrl, pgUrl, suffix } from '@aishell/testing';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { hstore } from '@electric-sql/pglite/contrib/hstore';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { SchemaRun } from '../introspect-options.js';

export interface Scratch {
  readonly run: SchemaRun;
  /** The database's name (MySQL: what DATABASE() says). */
  readonly name: string;
  close(): Promise<void>;
}

export type PostgresEngine = 'server' | 'pglite';

const PREFIX = 'aishell_test_h10';

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A fresh PostgreSQL database on the server, one connection; `close` drops it. */
export async function pgScratch(): Promise<Scratch> {
  const base = await pgUrl();
  const name = `${PREFIX}_${suffix()}`;
  const admin = new pg.Client({ connectionString: withDatabase(base, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template template0`);
  } finally {
    await admin.end();
  }
  // One connection: the plan's SET lock_timeout applies to what follows, as on the engine's session.
  const pool = new pg.Pool({ connectionString: withDatabase(base, name), max: 1 });
  pool.on('error', () => {});
  return {
    name,
    run: async (sql, params) => ({ rows: (await pool.query(sql, params)).rows }),
    close: async () => {
      await pool.end();
      const a = new pg.Client({ connectionString: withDatabase(base, 'postgres') });
      await a.connect();
      try {
        await a.query(`drop database if exists ${name} with (force)`);
      } finally {
        await a.end();
      }
    },
  };
}

const RESET_PGLITE = `
do $$
declare r record;
begin
  for r in select evtname from pg_event_trigger loop execute format('drop event trigger %I', r.evtname); end loop;
  for r in select pubname from pg_publication loop execute format('drop publication %I', r.pubname); end loop;
  for r in select extname from pg_extension where extname <> 'plpgsql' loop execute format('drop extension %I cascade', r.extname); end loop;
  for r in select nspname from pg_namespace where nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
    and nspname !~ '^pg_(toast_)?temp_' loop execute format('drop schema %I cascade', r.nspname); end loop;
end $$;
create schema public authorization pg_database_owner;
grant usage on schema public to public;
comment on schema public is 'standard public schema';
`;

/** PGlite instances kept per test file and reset between uses. */
export class PgliteScratches {
  readonly #free: PGlite[] = [];
  readonly #all: PGlite[] = [];

  async get(): Promise<Scratch> {
    let db = this.#free.pop();
    if (db) await db.exec(RESET_PGLITE);
    else {
      db = new PGlite({ extensions: { pg_trgm, btree_gist, citext, hstore } });
      this.#all.push(db);
    }
    const instance = db;
    return {
      name: 'postgres',
      run: async (sql, params) => ({
        rows: (await instance.query(sql, params)).rows as Record<string, unknown>[],
      }),
      close: async () => {
        this.#free.push(instance);
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.#all.map((db) => db.close()));
  }
}

/** A fresh MariaDB/MySQL database, one connection; `close` drops it. */
export async function mysqlScratch(): Promise<Scratch> {
  const base = await mysqlUrl();
  const name = `${PREFIX}_${suffix()}`;
  const admin = await mysql.createConnection(withDatabase(base, ''));
  try {
    await admin.query(`create database \`${name}\``);
  } finally {
    await admin.end();
  }
  const pool = mysql.createPool({ uri: withDatabase(base, name), connectionLimit: 1 });
  return {
    name,
    run: async (sql, params) => {
      const [rows] = await pool.query(sql, params);
      return { rows: Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [] };
    },
    close: async () => {
      await pool.end();
      const a = await mysql.createConnection(withDatabase(base, ''));
      try {
        await a.query(`drop database if exists \`${name}\``);
      } finally {
        await a.end();
      }
    },
  };
}

/** A SQLite file in a temporary folder; `close` removes it. */
export function sqliteScratch(): Scratch {
  const dir = mkdtempSync(join(tmpdir(), 'aishell-schema-'));
  const db = new Database(join(dir, 'scratch.db'));
  return {
    name: 'main',
    run: async (sql, params = []) => {
      const statement = db.prepare(sql);
      if (statement.reader) return { rows: statement.all(...params) as Record<string, unknown>[] };
      statement.run(...params);
      return { rows: [] };
    },
    close: async () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
