import { mysqlUrl, pgUrl, redisUrl } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from './session.js';

const suffix = Math.random().toString(36).slice(2, 8);
const noConfig = { connections: {} };

describe('isolated runs (what aishelld does per request)', () => {
  let pg: Session;
  const t = `iso_rows_${suffix}`;

  beforeAll(async () => {
    // One connection: every run lands on the same server session, as two clients of a busy daemon would.
    pg = await Session.open({ connection: await pgUrl(), config: noConfig, env: {}, pool: { max: 1 } });
    await pg.run(`create table ${t} (id int)`);
  });
  afterAll(async () => {
    await pg.run(`drop table if exists ${t}`, { confirmed: true });
    await pg.close();
  });

  it("rolls back a transaction a request left open, so a third client's ROLLBACK cannot undo another's write", async () => {
    const opened = await pg.run(`begin; insert into ${t} values (1)`, { isolated: true });
    expect(opened.rolledBack).toBe(true);
    const acknowledged = await pg.run(`insert into ${t} values (2)`, { isolated: true });
    expect(acknowledged.rolledBack).toBeUndefined();
    await pg.run('rollback', { isolated: true });
    const { results } = await pg.run(`select id from ${t} order by id`, { isolated: true });
    expect(results[0]?.rows).toEqual([{ id: 2 }]);
  });

  it("does not carry one request's settings into the next", async () => {
    await pg.run('set statement_timeout = 1', { isolated: true });
    const { results } = await pg.run("select current_setting('statement_timeout') as v, pg_sleep(0.05)", {
      isolated: true,
    });
    expect(results[0]?.rows[0]?.v).toBe('0');
  });

  it('lets a request run its own BEGIN ... COMMIT as a unit', async () => {
    const unit = await pg.run(`begin; insert into ${t} values (3); commit`, { isolated: true });
    expect(unit.rolledBack).toBeUndefined();
    const { results } = await pg.run(`select count(*) as n from ${t} where id = 3`, { isolated: true });
    expect(results[0]?.rows[0]?.n).toBe(1);
  });
});

describe('the query cache and session state', () => {
  const t = `iso_cached_${suffix}`;
  let base: URL;
  let otherDb: string;

  beforeAll(async () => {
    base = new URL(await mysqlUrl());
    otherDb = `${base.pathname.slice(1)}_other`;
    await using admin = await Session.open({ connection: base.toString(), config: noConfig, env: {} });
    await admin.run(`create database if not exists \`${otherDb}\``);
    await admin.run(`create table ${t} (v varchar(10)); insert into ${t} values ('first')`);
    await admin.run(
      `create table \`${otherDb}\`.${t} (v varchar(10)); insert into \`${otherDb}\`.${t} values ('other')`,
    );
  });
  afterAll(async () => {
    await using admin = await Session.open({ connection: base.toString(), config: noConfig, env: {} });
    await admin.run(`drop table ${t}; drop database \`${otherDb}\``, { confirmed: true });
  });

  async function cachedSession(): Promise<Session> {
    return Session.open({
      connection: base.toString(),
      config: noConfig,
      env: {},
      redis: await redisUrl(),
      cacheNamespace: `aishell-iso-${suffix}`,
      history: false,
      pool: { max: 1 },
    });
  }

  it('never serves rows of another database after a USE in the same session', async () => {
    await using warm = await cachedSession();
    const first = await warm.run(`select v from ${t}`);
    expect(first.results[0]?.rows).toEqual([{ v: 'first' }]);
    expect((await warm.run(`select v from ${t}`)).results[0]?.cached).toBe(true);

    await using shell = await cachedSession();
    await shell.run(`use \`${otherDb}\``);
    const after = await shell.run(`select v from ${t}`);
    expect(after.results[0]).toMatchObject({ cached: false, rows: [{ v: 'other' }] });
    // ... nor fills the cache with them for sessions on the first database.
    const again = await warm.run(`select v from ${t}`);
    expect(again.results[0]?.rows).toEqual([{ v: 'first' }]);
  });

  it('keeps using the cache in isolated runs, whose session state is reset after each', async () => {
    await using daemon = await cachedSession();
    await daemon.run(`use \`${otherDb}\``, { isolated: true });
    const { results } = await daemon.run(`select v from ${t}`, { isolated: true });
    expect(results[0]?.rows).toEqual([{ v: 'first' }]);
    expect((await daemon.run(`select v from ${t}`, { isolated: true })).results[0]?.cached).toBe(true);
  });
});
