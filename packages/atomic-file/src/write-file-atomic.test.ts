import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './write-file-atomic.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'aishell-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('replaces the content of a file and leaves no temporary file behind', async () => {
    const file = path.join(dir, 'f.json');
    await writeFile(file, 'old');
    await writeFileAtomic(file, 'new');
    expect(await readFile(file, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['f.json']);
  });

  it('creates the file with the requested private mode', async () => {
    const file = path.join(dir, 'f.json');
    await writeFileAtomic(file, 'x', 0o600);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('leaves the target as it was and removes its temporary file when the rename fails', async () => {
    const target = path.join(dir, 'taken');
    await mkdir(target);
    await writeFile(path.join(target, 'inside'), 'keep');
    await expect(writeFileAtomic(target, 'new')).rejects.toMatchObject({ code: expect.any(String) });
    expect(await readFile(path.join(target, 'inside'), 'utf8')).toBe('keep');
    expect(await readdir(dir)).toEqual(['taken']);
  });
});
