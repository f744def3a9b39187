// The `backups` section of config.json (aishelld's jobs) and where the catalog lives by default.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, saveConfig } from './config.js';
import { resolvePaths } from './paths.js';

const tempPaths = () => resolvePaths({ HOME: mkdtempSync(path.join(os.tmpdir(), 'aishell-backup-config-')) });

function write(paths: ReturnType<typeof resolvePaths>, config: unknown): void {
  mkdirSync(paths.configDir, { recursive: true });
  writeFileSync(paths.configFile, JSON.stringify(config));
}

describe('the backups section', () => {
  it('reads jobs with their schedule, folder and retention', async () => {
    const paths = tempPaths();
    const job = {
      name: 'prod-nightly',
      connection: 'prod',
      schedule: '15 3 * * *',
      dir: '/srv/b',
      keep: 7,
      keepDays: 30,
    };
    write(paths, { backups: { jobs: [job] } });
    expect((await loadConfig(paths)).backups).toEqual({ jobs: [job] });
  });

  it('refuses a misspelt key, a relative folder, a negative keep and a name unfit for a label', async () => {
    const paths = tempPaths();
    const base = { name: 'a', connection: 'prod', schedule: '@daily' };
    for (const [job, field] of [
      [{ ...base, kepe: 1 }, 'backups.jobs.0'],
      [{ ...base, dir: 'relative' }, 'backups.jobs.0.dir'],
      [{ ...base, keep: -1 }, 'backups.jobs.0.keep'],
      [{ ...base, name: 'has "quotes"' }, 'backups.jobs.0.name'],
    ] as const) {
      write(paths, { backups: { jobs: [job] } });
      await expect(loadConfig(paths)).rejects.toMatchObject({
        code: 'ENGINE_CONFIG',
        message: expect.stringContaining(field),
      });
    }
  });

  it('is kept when a connection is saved without it', async () => {
    const paths = tempPaths();
    const backups = { jobs: [{ name: 'a', connection: 'demo', schedule: '0 * * * *' }] };
    write(paths, { connections: {}, backups });
    await saveConfig(paths, { connections: { b: { url: 'sqlite::memory:' } } });
    expect((await loadConfig(paths)).backups).toEqual(backups);
  });

  it('puts the catalog under $XDG_DATA_HOME/aishell/backups', () => {
    expect(resolvePaths({ HOME: '/home/ann' }).backupsDir).toBe('/home/ann/.local/share/aishell/backups');
    expect(resolvePaths({ HOME: '/h', XDG_DATA_HOME: '/data' }).backupsDir).toBe('/data/aishell/backups');
  });
});
