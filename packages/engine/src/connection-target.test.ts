import { describe, expect, it } from 'vitest';
import type { AishellConfig } from './config.js';
import { resolveConnectionTarget } from './connection-target.js';
import { UnknownConnectionError } from './errors.js';
import { resolvePaths } from './paths.js';

const paths = resolvePaths({ HOME: '/home/ada', XDG_DATA_HOME: '/data' });
const config: AishellConfig = {
  defaultConnection: 'prod',
  connections: {
    prod: { url: 'postgres://app@prod.internal/shop', passwordEntry: 'connection.prod' },
    local: { url: 'sqlite:///tmp/x.db' },
  },
};

describe('resolveConnectionTarget', () => {
  it('prefers the explicit value over every other source', () => {
    const t = resolveConnectionTarget('local', {
      env: { AISHELL_CONNECTION: 'prod', DATABASE_URL: 'mysql://x@y/z' },
      config,
      paths,
    });
    expect(t).toMatchObject({ name: 'local', url: 'sqlite:///tmp/x.db', source: 'flag' });
  });

  it('falls back to AISHELL_CONNECTION, then DATABASE_URL, then the config default', () => {
    expect(
      resolveConnectionTarget(undefined, {
        env: { AISHELL_CONNECTION: 'local', DATABASE_URL: 'mysql://x@y/z' },
        config,
        paths,
      }).source,
    ).toBe('AISHELL_CONNECTION');
    expect(
      resolveConnectionTarget(undefined, { env: { DATABASE_URL: 'mysql://x@y/z' }, config, paths }),
    ).toMatchObject({ url: 'mysql://x@y/z', source: 'DATABASE_URL', name: null });
    expect(resolveConnectionTarget(undefined, { env: {}, config, paths })).toMatchObject({
      name: 'prod',
      source: 'config',
      passwordEntry: 'connection.prod',
    });
  });

  it('uses the embedded demo when nothing is configured anywhere', () => {
    const t = resolveConnectionTarget(undefined, { env: {}, config: { connections: {} }, paths });
    expect(t).toMatchObject({
      name: 'demo',
      isDemo: true,
      source: 'demo',
      url: 'pglite:///data/aishell/demo',
    });
  });

  it.each(['PGHOST', 'PGPORT', 'PGUSER', 'PGDATABASE', 'PGSERVICE'])(
    'uses PostgreSQL from libpq variables (%s) when nothing else names a connection, as psql does',
    (name) => {
      const env = { [name]: name === 'PGPORT' ? '5432' : 'x' };
      expect(resolveConnectionTarget(undefined, { env, config: { connections: {} }, paths })).toMatchObject({
        name: null,
        url: 'postgres://',
        source: 'libpq',
        isDemo: false,
      });
      // ... but after every source that names one: the config's default still wins.
      expect(resolveConnectionTarget(undefined, { env, config, paths }).source).toBe('config');
    },
  );

  it('throws a typed error for a name that is neither saved nor a URL', () => {
    expect(() => resolveConnectionTarget('nope', { env: {}, config, paths })).toThrow(UnknownConnectionError);
  });
});

describe('resolveConnectionTarget with names an object prototype holds', () => {
  it('answers unknown connection for toString, constructor and __proto__ when they are not saved', () => {
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      expect(() => resolveConnectionTarget(name, { env: {}, config, paths }), name).toThrow(
        UnknownConnectionError,
      );
    }
  });

  it('resolves such a name when it really is saved', () => {
    const saved: AishellConfig = {
      connections: Object.assign(Object.create(null), { toString: { url: 'sqlite:///tmp/t.db' } }),
    };
    expect(resolveConnectionTarget('toString', { env: {}, config: saved, paths })).toMatchObject({
      name: 'toString',
      url: 'sqlite:///tmp/t.db',
      isDemo: false,
    });
  });
});

describe('resolvePaths', () => {
  it('follows XDG variables and ignores relative ones, as the spec says', () => {
    const p = resolvePaths({ HOME: '/home/ada', XDG_CONFIG_HOME: 'relative/cfg', XDG_STATE_HOME: '/state' });
    expect(p.configFile).toBe('/home/ada/.config/aishell/config.json');
    expect(p.historyFile).toBe('/state/aishell/history');
    expect(p.vaultFile).toBe('/home/ada/.local/share/aishell/vault.json');
  });
});
