// Per-dialect test setup, in the manner of Kysely's test-setup: what differs between engines is written
// once per dialect in a Record<TestDialect, ...>, so a new dialect does not compile until every entry
// names it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mysqlUrl, pgUrl } from './server-url.js';

/**
 * The engines aishell connects to, spelled as the pool's `DialectName`. The helpers depend on no aishell
 * package (so that every package can use them without a circle); the pool's tests check that both
 * unions stay the same.
 */
export type TestDialect = 'postgres' | 'mysql' | 'sqlite' | 'pglite';

export const DIALECTS: readonly TestDialect[] = ['postgres', 'mysql', 'sqlite', 'pglite'];
/** The dialects behind a network server (the ones a TCP proxy can stand in front of). */
export const SERVER_DIALECTS = ['postgres', 'mysql'] as const;

/** A unique suffix so that test files of several engineers never share a table. */
export const suffix = (): string => Math.random().toString(36).slice(2, 8);

export interface DialectSql {
  /** The n-th positional placeholder. */
  param(n: number): string;
  /** Auto-increment primary key column type. */
  serial: string;
  /** A statement that sleeps for `seconds` on the server. */
  sleep(seconds: number): string;
  /** SQL producing `n` rows with a column `g`. */
  series(n: number): string;
}

export const SQL: Record<TestDialect, DialectSql> = {
  postgres: {
    param: (n) => `$${n}`,
    serial: 'serial primary key',
    sleep: (s) => `select pg_sleep(${s})`,
    series: (n) => `select g from generate_series(1, ${n}) g`,
  },
  pglite: {
    param: (n) => `$${n}`,
    serial: 'serial primary key',
    sleep: (s) => `select pg_sleep(${s})`,
    series: (n) => `select g from generate_series(1, ${n}) g`,
  },
  mysql: {
    param: () => '?',
    serial: 'int auto_increment primary key',
    sleep: (s) => `select sleep(${s})`,
    // Recursion is capped at 1000 iterations by default on MySQL/MariaDB: combine sets of 100.
    series: (n) => {
      const levels = Math.max(1, Math.ceil(Math.log(n) / Math.log(100)));
      const names = Array.from({ length: levels }, (_, i) => `d${i}`);
      const expr = names.map((t, i) => `${t}.x * ${100 ** i}`).join(' + ');
      return (
        `with recursive d(x) as (select 0 union all select x + 1 from d where x < 99) ` +
        `select ${expr} + 1 as g from ${names.map((t) => `d ${t}`).join(' cross join ')} where ${expr} < ${n}`
      );
    },
  },
  sqlite: {
    param: () => '?',
    serial: 'integer primary key autoincrement',
    sleep: () => 'select 1',
    series: (n) =>
      `with recursive s(g) as (select 1 union all select g + 1 from s where g < ${n}) select g from s`,
  },
};

/** Connection URLs of real engines: the local servers, a temporary SQLite file, PGlite in memory. */
export class TestDatabases {
  readonly #dir = mkdtempSync(join(tmpdir(), 'aishell-test-db-'));

  async url(dialect: TestDialect): Promise<string> {
    switch (dialect) {
      case 'postgres':
        return pgUrl();
      case 'mysql':
        return mysqlUrl();
      case 'sqlite':
        return `sqlite://${join(this.#dir, 'test.db')}`;
      case 'pglite':
        return 'pglite::memory:';
    }
  }

  /** A temporary folder of this instance, removed by `cleanup`. */
  get dir(): string {
    return this.#dir;
  }

  cleanup(): void {
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
