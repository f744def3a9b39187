import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCache } from '@aishell/cache';
import { redisUrl } from '@aishell/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { readHistory } from './metrics-history.js';
import { resolvePaths } from './paths.js';
import { Session } from './session.js';

const suffix = Math.random().toString(36).slice(2, 8);
const namespace = `aishell-test-engine-history-${suffix}`;
const noConfig = { connections: {} };

/** A session on a fresh SQLite file whose XDG state folder is a temporary one. */
async function openIn(env: NodeJS.ProcessEnv = {}): Promise<{ session: Session; file: string }> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'aishell-history-'));
  const fullEnv = { XDG_STATE_HOME: path.join(home, 'state'), ...env };
  const session = await Session.open({
    connection: `sqlite://${path.join(home, 'h.db')}`,
    config: noConfig,
    env: fullEnv,
  });
  return { session, file: path.join(resolvePaths(fullEnv).stateDir, 'metrics.ndjson') };
}

afterAll(async () => {
  await using cleaner = createCache({ url: await redisUrl(), namespace });
  await cleaner.clear();
});

describe('the metrics history of a session', () => {
  it('gets one record per statement run, with the error code of a failed one', async () => {
    const { session, file } = await openIn();
    await session.run('create table h (id integer primary key, secret text)');
    await session.run("insert into h values (1, 'a'); insert into h values (2, 'b'); select count(*) from h");
    await expect(session.run("insert into h values (1, 'dup')")).rejects.toMatchObject({
      code: 'POOL_QUERY',
    });
    await session.close();
    const records = await readHistory(file);
    expect(records.map((r) => [r.kind, r.ok])).toEqual([
      ['ddl', true],
      ['insert', true],
      ['insert', true],
      ['select', true],
      ['insert', false],
    ]);
    expect(records[4]).toMatchObject({ errorCode: 'POOL_QUERY', dialect: 'sqlite', cached: false });
    expect(records[3]).toMatchObject({ rowCount: 1, normalized: 'SELECT count(*) FROM h' });
    expect(records.every((r) => typeof r.durationMs === 'number' && (r.fingerprint?.length ?? 0) > 0)).toBe(
      true,
    );
    expect(records[0]?.connection).toMatch(/^sqlite:/);
  });

  it('never writes a literal of the SQL, so a password in a WHERE clause stays out of the file', async () => {
    const { session, file } = await openIn();
    await session.run('create table users (name text, pw text)');
    await session.run("select name from users where pw = 'hunter2-S3cret!'");
    await session.run("insert into users values ('bob', 'correct-horse-battery')");
    await session.close();
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('users');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('correct-horse');
    expect(text).not.toContain('bob');
  });

  it('marks a cache hit and records a streamed statement when its stream closes', async () => {
    const { session, file } = await openIn({
      AISHELL_REDIS_URL: await redisUrl(),
      AISHELL_CACHE_NAMESPACE: namespace,
    });
    await session.run('create table s (v int)');
    await session.run('insert into s values (1), (2), (3)');
    await session.run('select v from s');
    await session.run('select v from s');
    const { rows } = await session.stream('select v from s where v > 1');
    let seen = 0;
    for await (const _ of rows) seen++;
    expect(seen).toBe(2);
    await rows.close();
    await session.close();
    const records = await readHistory(file);
    expect(records.slice(2).map((r) => [r.cached, r.cacheLookup, r.rowCount])).toEqual([
      [false, true, 3],
      [true, true, 3],
      [false, false, seen],
    ]);
  });

  it('writes nothing with AISHELL_HISTORY=off', async () => {
    const { session, file } = await openIn({ AISHELL_HISTORY: 'off' });
    await session.run('select 1');
    await session.close();
    expect(existsSync(file)).toBe(false);
  });
});
