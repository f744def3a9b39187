import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session } from '@aishell/engine';
import { describe, expect, it } from 'vitest';
import { SessionCache } from './session-cache.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'aishelld-cache-'));
const env = {
  HOME: dir,
  XDG_CONFIG_HOME: path.join(dir, 'config'),
  XDG_DATA_HOME: path.join(dir, 'data'),
  XDG_STATE_HOME: path.join(dir, 'state'),
};
const db = (name: string): string => `sqlite://${path.join(dir, `${name}.db`)}`;

/** A cache over real SQLite sessions that records which connections it opened. */
function cache(maxSessions: number): { sessions: SessionCache; opened: string[] } {
  const opened: string[] = [];
  const sessions = new SessionCache(
    (connection) => {
      opened.push(connection);
      return Session.open({ connection, env });
    },
    { maxSessions },
  );
  return { sessions, opened };
}

async function isOpen(session: Session): Promise<boolean> {
  try {
    await session.run('select 1 as one');
    return true;
  } catch (error) {
    expect((error as { code?: unknown }).code).toBe('POOL_CLOSED');
    return false;
  }
}

describe('SessionCache', () => {
  it('opens one session per connection string and reuses it', async () => {
    const { sessions, opened } = cache(4);
    const a = await sessions.acquire(db('a'));
    a.release();
    const again = await sessions.acquire(db('a'));
    again.release();
    expect(again.session).toBe(a.session);
    expect(opened).toEqual([db('a')]);
    expect(sessions.size).toBe(1);
    await sessions.close();
  });

  it('shares one opening between concurrent requests for the same connection', async () => {
    const { sessions, opened } = cache(4);
    const [x, y] = await Promise.all([sessions.acquire(db('c')), sessions.acquire(db('c'))]);
    expect(x.session).toBe(y.session);
    expect(opened).toHaveLength(1);
    x.release();
    y.release();
    await sessions.close();
  });

  it('closes the least recently used session beyond maxSessions', async () => {
    const { sessions } = cache(2);
    const a = await sessions.acquire(db('a'));
    a.release();
    const b = await sessions.acquire(db('b'));
    b.release();
    (await sessions.acquire(db('a'))).release(); // a is now more recent than b
    const c = await sessions.acquire(db('c'));
    c.release();
    expect(sessions.size).toBe(2);
    await expect.poll(() => isOpen(b.session)).toBe(false);
    expect(await isOpen(a.session)).toBe(true);
    expect(await isOpen(c.session)).toBe(true);
    await sessions.close();
  });

  it('keeps an evicted session open until the request using it releases it', async () => {
    const { sessions } = cache(1);
    const a = await sessions.acquire(db('a'));
    const b = await sessions.acquire(db('b'));
    expect(await isOpen(a.session)).toBe(true);
    a.release();
    a.release(); // a second release is harmless
    await expect.poll(() => isOpen(a.session)).toBe(false);
    expect(await isOpen(b.session)).toBe(true);
    b.release();
    await sessions.close();
  });

  it('does not cache a connection that failed to open', async () => {
    const { sessions, opened } = cache(4);
    const bad = 'postgres://user@host:notaport/db';
    await expect(sessions.acquire(bad)).rejects.toMatchObject({ code: 'POOL_URL' });
    await expect(sessions.acquire(bad)).rejects.toMatchObject({ code: 'POOL_URL' });
    expect(opened).toEqual([bad, bad]);
    expect(sessions.size).toBe(0);
    await sessions.close();
  });

  it('does not close an idle session to make room for a connection that fails to open', async () => {
    const { sessions } = cache(1);
    const a = await sessions.acquire(db('a'));
    a.release();
    await expect(sessions.acquire('postgres://user@host:notaport/db')).rejects.toMatchObject({
      code: 'POOL_URL',
    });
    expect(sessions.size).toBe(1);
    expect(await isOpen(a.session)).toBe(true);
    const again = await sessions.acquire(db('a'));
    expect(again.session).toBe(a.session);
    again.release();
    await sessions.close();
  });

  it('closes every session on close, and a second close is harmless', async () => {
    const { sessions } = cache(4);
    const a = await sessions.acquire(db('a'));
    a.release();
    await sessions.close();
    await sessions.close();
    expect(await isOpen(a.session)).toBe(false);
    await expect(sessions.acquire(db('a'))).rejects.toMatchObject({ code: 'DAEMON_SHUTTING_DOWN' });
  });
});
