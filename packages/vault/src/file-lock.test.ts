import { mkdir, mkdtemp, rm, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withFileLock } from './file-lock.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'aishell-lock-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const options = { lockTimeoutMillis: 300, lockStaleMillis: 5_000 };

describe('withFileLock', () => {
  it('runs callers one at a time', async () => {
    const file = path.join(dir, 'v.json');
    const events: string[] = [];
    const critical = (id: string) =>
      withFileLock(file, { ...options, lockTimeoutMillis: 5_000 }, async () => {
        events.push(`in ${id}`);
        await new Promise((r) => setTimeout(r, 20));
        events.push(`out ${id}`);
      });
    await Promise.all([critical('a'), critical('b'), critical('c')]);
    for (let i = 0; i < events.length; i += 2) {
      expect(events[i]?.replace('in', 'out')).toBe(events[i + 1]);
    }
  });

  it('gives up with VAULT_BUSY when another holder keeps the lock past the timeout', async () => {
    const file = path.join(dir, 'v.json');
    await mkdir(`${file}.lock`); // a live holder: fresh mtime
    await expect(withFileLock(file, options, async () => 'ran')).rejects.toMatchObject({
      code: 'VAULT_BUSY',
    });
  });

  it('takes over a stale lock left by a process that died', async () => {
    const file = path.join(dir, 'v.json');
    await mkdir(`${file}.lock`);
    const old = new Date(Date.now() - 60_000);
    await utimes(`${file}.lock`, old, old);
    expect(await withFileLock(file, options, async () => 'ran')).toBe('ran');
  });

  it('releases the lock when the callback throws', async () => {
    const file = path.join(dir, 'v.json');
    await expect(
      withFileLock(file, options, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await withFileLock(file, options, async () => 'again')).toBe('again');
  });

  it('stops waiting when its signal aborts', async () => {
    const file = path.join(dir, 'v.json');
    await mkdir(`${file}.lock`);
    const error = await withFileLock(
      file,
      { ...options, lockTimeoutMillis: 10_000, signal: AbortSignal.timeout(50) },
      async () => 'ran',
    ).catch((e: Error) => e);
    expect((error as Error).name).toBe('TimeoutError');
  });
});
