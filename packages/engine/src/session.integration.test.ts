import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mysqlUrl, pgUrl } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReadOnlyError, SafetyError, UsageError } from './errors.js';
import { Session } from './session.js';

type Engine = 'postgres' | 'mysql' | 'sqlite';
const suffix = Math.random().toString(36).slice(2, 8);
const t = `engine_t_${suffix}`;
const sessions = {} as Record<Engine, Session>;
const noConfig = { connections: {} };

beforeAll(async () => {
  const sqlite = `sqlite://${path.join(mkdtempSync(path.join(os.tmpdir(), 'aishell-engine-')), 'e.db')}`;
  const urls: Record<Engine, string> = { postgres: await pgUrl(), mysql: await mysqlUrl(), sqlite };
  for (const engine of Object.keys(urls) as Engine[]) {
    sessions[engine] = await Session.open({ connection: urls[engine], config: noConfig, env: {} });
    await sessions[engine].run(`create table ${t} (id integer primary key, v varchar(10))`);
    await sessions[engine].run(`insert into ${t} (id, v) values (1, 'a'), (2, 'b')`);
  }
});

afterAll(async () => {
  for (const s of Object.values(sessions)) {
    await s.run(`drop table if exists ${t}`, { confirmed: true }).catch(() => {});
    await s.close();
  }
});

/** Inputs that ended, replaced or loosened the read-only transaction before (issue 9), per engine. */
const COMMON_ESCAPES: [string, string][] = [
  ['COMMIT before a write', "COMMIT; INSERT INTO $t (id, v) VALUES (99, 'x')"],
  ['ROLLBACK before a write', "ROLLBACK; INSERT INTO $t (id, v) VALUES (99, 'x')"],
  ['a transaction of its own', "BEGIN; INSERT INTO $t (id, v) VALUES (99, 'x'); COMMIT"],
  ['DDL', 'CREATE TABLE $t_ro (a int)'],
];
const ESCAPES: Record<Engine, [string, string][]> = {
  postgres: [
    ...COMMON_ESCAPES,
    ['SET TRANSACTION READ WRITE', "SET TRANSACTION READ WRITE; INSERT INTO $t (id, v) VALUES (99, 'x')"],
    [
      'transaction_read_only = off',
      "SET transaction_read_only = off; INSERT INTO $t (id, v) VALUES (99, 'x')",
    ],
    ['session characteristics', 'SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE'],
    ['set_config()', "SELECT set_config('transaction_read_only', 'off', false)"],
    ['a DO block', "DO $$ BEGIN INSERT INTO $t (id, v) VALUES (99, 'x'); END $$"],
    ['a comment-hidden COMMIT', "/* read */ COMMIT; -- \n INSERT INTO $t (id, v) VALUES (99, 'x')"],
  ],
  mysql: [
    ...COMMON_ESCAPES,
    ['START TRANSACTION', "START TRANSACTION; INSERT INTO $t (id, v) VALUES (99, 'x')"],
    ['SET SESSION TRANSACTION READ WRITE', 'SET SESSION TRANSACTION READ WRITE'],
    ['SELECT INTO OUTFILE', "SELECT 1 INTO OUTFILE '/tmp/aishell-ro-escape-1'"],
    ['an executable comment', "SELECT 1 /*!INTO OUTFILE '/tmp/aishell-ro-escape-2' */"],
    ['EXECUTE IMMEDIATE', "EXECUTE IMMEDIATE 'INSERT INTO $t (id, v) VALUES (99, ''x'')'"],
    ['USE', 'USE information_schema'],
  ],
  sqlite: [
    ...COMMON_ESCAPES,
    ['PRAGMA query_only = 0', "PRAGMA query_only = 0; INSERT INTO $t (id, v) VALUES (99, 'x')"],
    ['ATTACH', "ATTACH DATABASE '/tmp/aishell-ro-escape.db' AS x"],
  ],
};
const READS: Record<Engine, string> = {
  postgres: 'SELECT count(*) AS n FROM $t; SHOW search_path; EXPLAIN SELECT * FROM $t',
  mysql: 'SELECT count(*) AS n FROM $t; SHOW TABLES; DESCRIBE $t',
  sqlite: 'SELECT count(*) AS n FROM $t; PRAGMA table_info($t)',
};

describe.each(['postgres', 'mysql', 'sqlite'] as const)('Session on %s', (engine) => {
  it('refuses a critical statement unless confirmed, sending nothing', async () => {
    const s = sessions[engine];
    await expect(s.run(`delete from ${t}`)).rejects.toBeInstanceOf(SafetyError);
    await expect(s.run(`delete from ${t}`)).rejects.toMatchObject({
      code: 'SAFETY_REFUSED',
      risk: 'critical',
    });
    const { results } = await s.run(`select count(*) as n from ${t}`);
    expect(Number(results[0]?.rows[0]?.n)).toBe(2);
  });

  it('asks the confirm callback with the reasons, and runs only on yes', async () => {
    const s = sessions[engine];
    const asked: string[][] = [];
    await expect(
      s.run(`update ${t} set v = 'z'`, {
        confirm: async (_risk, reasons) => {
          asked.push([...reasons]);
          return false;
        },
      }),
    ).rejects.toBeInstanceOf(SafetyError);
    expect(asked[0]?.join(' ')).toMatch(/UPDATE without WHERE/i);
    const { results } = await s.run(`update ${t} set v = v`, { confirm: async () => true });
    expect(results[0]?.rowCount).toBe(2);
  });

  it('binds parameters to a single statement and refuses them for a script', async () => {
    const s = sessions[engine];
    const placeholder = engine === 'postgres' ? '$1' : '?';
    const { results } = await s.run(`select v from ${t} where id = ${placeholder}`, { params: [2] });
    expect(results[0]?.rows).toEqual([{ v: 'b' }]);
    await expect(s.run('select 1; select 2', { params: [1] })).rejects.toBeInstanceOf(UsageError);
  });

  it('refuses a write under --read-only before sending it, even when confirmed', async () => {
    const s = sessions[engine];
    await expect(
      s.run(`insert into ${t} (id, v) values (3, 'c')`, { readOnly: true, confirmed: true }),
    ).rejects.toMatchObject({ code: 'SAFETY_READ_ONLY' });
    const { results } = await s.run(`select count(*) as n from ${t}`);
    expect(Number(results[0]?.rows[0]?.n)).toBe(2);
  });

  it.each(ESCAPES[engine])('refuses %s under --read-only and nothing in it runs', async (_name, script) => {
    const s = sessions[engine];
    const sql = script.replaceAll('$t', t);
    const refused = await s.run(sql, { readOnly: true, confirmed: true }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ReadOnlyError);
    expect((refused as ReadOnlyError).message).toMatch(/nothing was sent/);
    const { results } = await s.run(`select count(*) as n from ${t}`);
    expect(Number(results[0]?.rows[0]?.n)).toBe(2);
  });

  it('still runs reads under --read-only', async () => {
    const s = sessions[engine];
    const reads = READS[engine].replaceAll('$t', t);
    const { results } = await s.run(reads, { readOnly: true });
    expect(results.length).toBeGreaterThan(1);
    expect(Number(results[0]?.rows[0]?.n)).toBe(2);
  });

  it('runs a script on one connection so session state carries between statements', async () => {
    const s = sessions[engine];
    const tmp = `tmp_${suffix}`;
    const create =
      engine === 'postgres'
        ? `create temporary table ${tmp} (x int)`
        : `create temporary table ${tmp} (x int)`;
    const { results } = await s.run(`${create}; insert into ${tmp} values (5); select x from ${tmp}`);
    expect(results.map((r) => r.command)).toEqual(expect.arrayContaining(['SELECT']));
    expect(results.at(-1)?.rows).toEqual([{ x: 5 }]);
  });

  it('caches the schema and forgets it after DDL run through the session', async () => {
    const s = sessions[engine];
    const first = await s.introspect();
    expect(first.tables.some((x) => x.name === t)).toBe(true);
    expect(await s.introspect()).toBe(first);
    await s.run(`create table ${t}_extra (id int)`);
    const second = await s.introspect();
    expect(second).not.toBe(first);
    expect(second.tables.some((x) => x.name === `${t}_extra`)).toBe(true);
    await s.run(`drop table ${t}_extra`, { confirmed: true });
  });
});

describe('Session.open', () => {
  it('starts connecting at once, so connecting overlaps loading the parser; warm: false waits', async () => {
    const url = await pgUrl();
    const warm = await Session.open({ connection: url, config: noConfig, env: {} });
    const cold = await Session.open({ connection: url, config: noConfig, env: {}, warm: false });
    try {
      expect(warm.pool.totalCount).toBe(1);
      expect(cold.pool.totalCount).toBe(0);
      const result = await warm.run('select 1 as one');
      expect(result.results[0]?.rows).toEqual([{ one: 1 }]);
      expect(warm.pool.totalCount).toBe(1); // the first statement ran on the warmed connection
    } finally {
      await warm.close();
      await cold.close();
    }
  });
});

describe('Session.stream with readOnly', () => {
  it('streams inside a read-only transaction: rows arrive, a write fails at the server, the connection comes back', async () => {
    const session = await Session.open({ connection: await pgUrl(), config: noConfig, env: {} });
    try {
      const { rows } = await session.stream('select g from generate_series(1, 1200) as g', {
        readOnly: true,
      });
      let count = 0;
      for await (const row of rows) count += row.g === count + 1 ? 1 : 0;
      await rows.close();
      expect(count).toBe(1200);
      const seq = `engine_seq_${suffix}`;
      const fn = `engine_next_${suffix}`;
      // A function that writes looks like a plain read to the analysis (docs/safety.md, limits):
      // the server's READ ONLY transaction is the wall that refuses it (SQLSTATE 25006).
      await session.run(
        `create sequence ${seq}; create function ${fn}() returns bigint language sql as $$ select nextval('${seq}') $$`,
      );
      try {
        await expect(
          session.stream(`select nextval('${seq}') as n`, { readOnly: true }),
        ).rejects.toMatchObject({ code: 'SAFETY_READ_ONLY' });
        const writing = await session.stream(`select ${fn}() as n`, { readOnly: true });
        const failure = await (async () => {
          for await (const _ of writing.rows) return undefined;
        })().catch((e: unknown) => e);
        await writing.rows.close();
        expect(failure).toMatchObject({ sqlState: '25006' });
        const plain = await session.stream(`select ${fn}() as n`, { confirmed: true });
        for await (const row of plain.rows) expect(Number(row.n)).toBe(1);
        await plain.rows.close();
      } finally {
        await session.run(`drop function ${fn}(); drop sequence ${seq}`, { confirmed: true });
      }
      expect(session.pool.totalCount).toBe(session.pool.idleCount);
    } finally {
      await session.close();
    }
  });
});
