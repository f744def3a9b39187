// `run` functions for the tests, straight on the drivers (the engine builds its own on its pool).
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { HealthRun } from '../types.js';

export interface Runner {
  readonly run: HealthRun;
  close(): Promise<void>;
}

/** A pg pool of a few connections, as the engine's. */
export function pgRunner(url: string, max = 4): Runner & { readonly pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max });
  return {
    pool,
    run: async (sql, params) => ({ rows: (await pool.query(sql, params)).rows }),
    close: () => pool.end(),
  };
}

/** A mysql2 pool of a few connections. */
export function mysqlRunner(url: string, max = 4): Runner & { readonly pool: mysql.Pool } {
  const pool = mysql.createPool({ uri: url, connectionLimit: max });
  return {
    pool,
    run: async (sql, params) => {
      const [rows] = await pool.query(sql, params);
      return { rows: Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [] };
    },
    close: () => pool.end(),
  };
}

/** One better-sqlite3 connection on a file. */
export function sqliteRunner(file: string): Runner & { readonly db: Database.Database } {
  const db = new Database(file);
  return {
    db,
    run: async (sql, params = []) => {
      const statement = db.prepare(sql);
      if (statement.reader) return { rows: statement.all(...params) as Record<string, unknown>[] };
      statement.run(...params);
      return { rows: [] };
    },
    close: async () => {
      db.close();
    },
  };
}
