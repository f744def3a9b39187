import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AishellConfig, loadConfig, saveConfig, savedConnection } from './config.js';
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

  it('reads connection names such as toString, constructor and __proto__ as plain names, never from a prototype', async () => {
    const paths = tempPaths();
    mkdirSync(paths.configDir, { recursive: true });
    writeFileSync(
      paths.configFile,
      '{"connections": {"constructor": {"url": "sqlite::memory:"}, "__proto__": {"url": "sqlite::memory:"}}}',
    );
    const loaded = await loadConfig(paths);
    expect(savedConnection(loaded, 'constructor')).toEqual({ url: 'sqlite::memory:' });
    for (const name of ['toString', 'hasOwnProperty', '__proto__', 'valueOf']) {
      expect(savedConnection(loaded, name), name).toBeUndefined();
      expect(loaded.connections[name], name).toBeUndefined();
    }
    expect(Object.getPrototypeOf(loaded.connections)).toBeNull();
  });

  it('finds saved names by own property only, in a config built with an ordinary object too', () => {
    const config: AishellConfig = { connections: { prod: { url: 'postgres://db/shop' } } };
    expect(savedConnection(config, 'prod')?.url).toBe('postgres://db/shop');
    expect(savedConnection(config, 'toString')).toBeUndefined();
    expect(savedConnection(config, '__proto__')).toBeUndefined();
  });

  it('validates the daemon section: allowUrls and allowFolders default to empty, folders are absolute, keys are checked', async () => {
    const paths = tempPaths();
    mkdirSync(paths.configDir, { recursive: true });
    writeFileSync(paths.configFile, JSON.stringify({ daemon: { allowFolders: ['/srv/sqlite'] } }));
    expect((await loadConfig(paths)).daemon).toEqual({ allowUrls: [], allowFolders: ['/srv/sqlite'] });
    writeFileSync(paths.configFile, JSON.stringify({ daemon: { allowFolders: ['relative/dir'] } }));
    await expect(loadConfig(paths)).rejects.toThrow(/daemon\.allowFolders\.0: must be an absolute path/);
    writeFileSync(paths.configFile, JSON.stringify({ daemon: { allowUrl: ['postgres://db/'] } }));
    await expect(loadConfig(paths)).rejects.toThrow(/daemon/);
  });

  it('keeps the daemon section of the file when a config without one is saved', async () => {
    const paths = tempPaths();
    const daemon = { allowUrls: ['postgres://db.internal:5432/'], allowFolders: ['/srv/sqlite'] };
    await saveConfig(paths, { connections: { a: { url: 'sqlite::memory:' } }, daemon });
    await saveConfig(paths, { connections: {} });
    expect(await loadConfig(paths)).toEqual({ connections: {}, daemon });
  });
});
