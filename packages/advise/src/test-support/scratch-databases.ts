// Databases of the tests' own on the real servers (aishell_test_h13_<random> style names from the
// server URL's database), dropped at the end, so that pg_stat_statements and the catalogs hold only
// what a test did.
import { mysqlUrl, pgUrl, suffix } from '@aishell/testing';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { AdviseRun } from '../types.js';

export interface PgScratch {
  readonly url: string;
  readonly name: string;
  /** One session: HypoPG's indexes live in it. */
  readonly client: pg.Client;
  readonly run: AdviseRun;
  /** Another session on the same database. */
  connect(): Promise<pg.Client>;
  drop(): Promise<void>;
}

export async function pgScratch(): Promise<PgScratch> {
  const base = new URL(await pgUrl());
  const name = `${decodeURIComponent(base.pathname.slice(1))}_${suffix()}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const connect = async () => {
    const c = new pg.Client({ connectionString: url.toString() });
    await c.connect();
    return c;
  };
  const client = await connect();
  return {
    url: url.toString(),
    name,
    client,
    run: async (sql, params) => ({ rows: (await client.query(sql, params)).rows }),
    connect,
    async drop() {
      await client.end().catch(() => {});
      const a = new pg.Client({ connectionString: base.toString() });
      await a.connect();
      await a.query(`drop database if exists "${name}" with (force)`);
      await a.end();
    },
  };
}

export interface MysqlScratch {
  readonly url: string;
  readonly conn: mysql.Connection;
  readonly run: AdviseRun;
  drop(): Promise<void>;
}

export async function mysqlScratch(): Promise<MysqlScratch> {
  const base = new URL(await mysqlUrl());
  const name = `${decodeURIComponent(base.pathname.slice(1))}_${suffix()}`;
  const url = new URL(base);
  url.pathname = '/';
  const admin = await mysql.createConnection(url.toString());
  await admin.query(`create database \`${name}\``);
  await admin.end();
  url.pathname = `/${name}`;
  const conn = await mysql.createConnection(url.toString());
  return {
    url: url.toString(),
    conn,
    run: async (sql, params) => {
      const [rows] = await conn.query(sql, params);
      return { rows: Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [] };
    },
    async drop() {
      await conn.query(`drop database if exists \`${name}\``);
      await conn.end();
    },
  };
}
