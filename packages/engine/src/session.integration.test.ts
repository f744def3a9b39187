import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mysqlUrl, pgUrl } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SafetyError, UsageError } from './errors.js';
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

  it('makes a write fail at the server inside --read-only', async () => {
    const s = sessions[engine];
    await expect(s.run(`insert into ${t} (id, v) values (3, 'c')`, { readOnly: true })).rejects.toMatchObject(
      { code: 'POOL_QUERY' },
    );
    const { results } = await s.run(`select count(*) as n from ${t}`);
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
      await session.run(`create sequence ${seq}`);
      try {
        // nextval writes: inside the read-only transaction PostgreSQL refuses it (SQLSTATE 25006).
        const writing = await session.stream(`select nextval('${seq}') as n`, {
          readOnly: true,
          confirmed: true,
        });
        const failure = await (async () => {
          for await (const _ of writing.rows) return undefined;
        })().catch((e: unknown) => e);
        await writing.rows.close();
        expect(failure).toMatchObject({ sqlState: '25006' });
        const plain = await session.stream(`select nextval('${seq}') as n`, { confirmed: true });
        for await (const row of plain.rows) expect(Number(row.n)).toBe(1);
        await plain.rows.close();
      } finally {
        await session.run(`drop sequence ${seq}`, { confirmed: true });
      }
      expect(session.pool.totalCount).toBe(session.pool.idleCount);
    } finally {
      await session.close();
    }
  });
});
