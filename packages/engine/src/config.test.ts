import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, saveConfig } from './config.js';
import { ConfigError } from './errors.js';
import { resolvePaths } from './paths.js';

const tempPaths = () => resolvePaths({ HOME: mkdtempSync(path.join(os.tmpdir(), 'aishell-config-')) });

describe('config', () => {
  it('reads a missing file as the empty config', async () => {
    expect(await loadConfig(tempPaths())).toEqual({ connections: {} });
  });

  it('round-trips through an atomic write with mode 0600 in a 0700 folder, and comes back frozen', async () => {
    const paths = tempPaths();
    await saveConfig(paths, { defaultConnection: 'a', connections: { a: { url: 'sqlite::memory:' } } });
    expect(statSync(paths.configFile).mode & 0o777).toBe(0o600);
    expect(statSync(paths.configDir).mode & 0o777).toBe(0o700);
    const loaded = await loadConfig(paths);
    expect(loaded.connections.a?.url).toBe('sqlite::memory:');
    expect(Object.isFrozen(loaded.connections)).toBe(true);
  });

  it('names the bad field of an invalid config', async () => {
    const paths = tempPaths();
    mkdirSync(paths.configDir, { recursive: true });
    writeFileSync(paths.configFile, JSON.stringify({ connections: { a: { url: 42 } } }));
    await expect(loadConfig(paths)).rejects.toThrow(ConfigError);
    await expect(loadConfig(paths)).rejects.toThrow(/connections\.a\.url/);
  });

  it('reports a file that is not JSON', async () => {
    const paths = tempPaths();
    mkdirSync(paths.configDir, { recursive: true });
    writeFileSync(paths.configFile, '{ nope');
    await expect(loadConfig(paths)).rejects.toThrow(/not valid JSON/);
  });
});
