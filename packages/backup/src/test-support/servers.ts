// Test databases of this package's own (`aishell_test_h14_<random>`) on the real servers, created and
// dropped by each test file, and `run` functions straight on the drivers (engine builds its own).
import { mysqlUrl, pgUrl, suffix } from '@aishell/testing';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { BackupConnection, BackupRun } from '../types.js';

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  readonly connection: BackupConnection;
  readonly run: BackupRun;
  close(): Promise<void>;
}

/** A server URL with another database (or none). */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export function connectionOf(url: string, password?: string): BackupConnection {
  const u = new URL(url);
  const dialect = u.protocol.startsWith('postgres') ? 'postgres' : 'mysql';
  const c: Record<string, unknown> = {
    dialect,
    host: u.hostname,
    port: Number(u.port) || (dialect === 'postgres' ? 5432 : 3306),
    user: decodeURIComponent(u.username),
    database: decodeURIComponent(u.pathname.slice(1)),
    params: {},
  };
  if (password !== undefined) Object.defineProperty(c, 'password', { value: password, enumerable: false });
  return c as unknown as BackupConnection;
}

/** A fresh PostgreSQL database, dropped (with its sessions) by `close`. */
export async function pgDatabase(prefix = 'aishell_test_h14'): Promise<TestDatabase> {
  const base = await pgUrl();
  const name = `${prefix}_${suffix()}`;
  const admin = new pg.Client({ connectionString: withDatabase(base, 'postgres') });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  const url = withDatabase(base, name);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  // Sessions ended by DROP DATABASE ... WITH (FORCE) report it as an error event: expected here.
  pool.on('error', () => {});
  return {
    name,
    url,
    connection: connectionOf(url),
    run: async (sql, params) => ({ rows: (await pool.query(sql, params ? [...params] : [])).rows }),
    close: async () => {
      await pool.end();
      await admin.query(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}

/** A fresh MariaDB/MySQL database, dropped by `close`. */
export async function mysqlDatabase(prefix = 'aishell_test_h14'): Promise<TestDatabase> {
  const base = await mysqlUrl();
  const name = `${prefix}_${suffix()}`;
  const admin = await mysql.createConnection(withDatabase(base, ''));
  await admin.query(`create database \`${name}\``);
  const url = withDatabase(base, name);
  const pool = mysql.createPool({ uri: url, connectionLimit: 2, multipleStatements: true });
  return {
    name,
    url,
    connection: connectionOf(url),
    run: async (sql, params) => {
      const [rows] = await pool.query(sql, params ? [...params] : []);
      return { rows: Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [] };
    },
    close: async () => {
      await pool.end();
      await admin.query(`drop database if exists \`${name}\``);
      await admin.end();
    },
  };
}

/** One better-sqlite3 connection on a file. */
export function sqliteRun(file: string): { run: BackupRun; close(): void } {
  const db = new Database(file);
  return {
    run: async (sql, params = []) => {
      const statement = db.prepare(sql);
      if (statement.reader) return { rows: statement.all(...params) as Record<string, unknown>[] };
      statement.run(...params);
      return { rows: [] };
    },
    close: () => db.close(),
  };
}
