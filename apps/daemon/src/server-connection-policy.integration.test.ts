import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Session } from '@aishell/engine';
import { mysqlUrl, pgUrl } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type DaemonServer } from './server.js';
import type { ServerOptions } from './server-options.js';

// What a token holder may open (docs/daemon.md, "What the daemon opens").
const token = `policy-token-${randomBytes(16).toString('hex')}`;
const root = mkdtempSync(path.join(os.tmpdir(), 'aishelld-policy-'));
/** The folder the daemon's configuration allows. */
const allowed = path.join(root, 'allowed');
/** Somewhere else the daemon's user can read. */
const outside = path.join(root, 'outside');
const env = {
  HOME: root,
  XDG_CONFIG_HOME: path.join(root, 'config'),
  XDG_DATA_HOME: path.join(root, 'data'),
  XDG_STATE_HOME: path.join(root, 'state'),
};
let pg: URL;
let mysql: URL;
const servers: DaemonServer[] = [];

const prefixOf = (url: URL): string => `${url.protocol}//${url.host}/`;

async function start(options: Partial<ServerOptions> = {}): Promise<(connection: string) => Promise<Answer>> {
  const app = await buildServer({ token, env, processMetrics: false, logLevel: 'silent', ...options });
  servers.push(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as net.AddressInfo;
  return async (connection) => {
    const res = await fetch(`http://127.0.0.1:${port}/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ connection, sql: 'select 1 as one' }),
    });
    const text = await res.text();
    return { status: res.status, text, code: (JSON.parse(text) as { error?: { code: string } }).error?.code };
  };
}

interface Answer {
  readonly status: number;
  readonly text: string;
  readonly code: string | undefined;
}

let ask: (connection: string) => Promise<Answer>;

beforeAll(async () => {
  pg = new URL(await pgUrl());
  mysql = new URL(await mysqlUrl());
  mkdirSync(allowed);
  mkdirSync(path.join(outside, 'pgdir'), { recursive: true });
  writeFileSync(path.join(allowed, 'data.db'), '');
  writeFileSync(path.join(outside, 'secret.db'), '');
  symlinkSync(path.join(outside, 'secret.db'), path.join(allowed, 'escape.db'));
  symlinkSync(outside, path.join(allowed, 'escape-dir'));
  mkdirSync(path.join(allowed, 'empty-pglite'));
  mkdirSync(path.join(env.XDG_CONFIG_HOME, 'aishell'), { recursive: true });
  writeFileSync(
    path.join(env.XDG_CONFIG_HOME, 'aishell', 'config.json'),
    JSON.stringify({
      connections: { 'saved-outside': { url: `sqlite://${path.join(outside, 'secret.db')}` } },
      daemon: {
        allowUrls: [prefixOf(pg), `mysql://${mysql.username}@${mysql.host}${mysql.pathname}`],
        allowFolders: [allowed],
      },
    }),
  );
  ask = await start();
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe('file URLs (sqlite:, pglite:)', () => {
  it('refuses a path outside the allowed folders with 403 and one answer, whether or not it exists, and creates nothing', async () => {
    const before = readdirSync(outside).sort();
    const answers = await Promise.all(
      [
        `sqlite://${path.join(outside, 'secret.db')}`, // exists
        `sqlite://${path.join(outside, 'missing.db')}`, // does not
        `sqlite://${path.join(outside, 'newdir', 'x.db')}`, // neither does its folder
        `sqlite://${path.join(outside, 'secret.db')}?mode=rwc`,
        `sqlite:${path.relative(process.cwd(), path.join(outside, 'secret.db'))}`,
        `pglite://${path.join(outside, 'pgdir')}`, // an existing folder
        `pglite://${path.join(outside, 'newpg')}`, // a missing one
        'sqlite:///etc/passwd',
        'sqlite::memory:',
        'pglite::memory:',
      ].map(ask),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(403);
      expect(answer.text).toBe(answers[0]?.text);
    }
    expect(answers[0]?.code).toBe('DAEMON_CONNECTION_NOT_ALLOWED');
    expect(answers[0]?.text).not.toContain(outside);
    expect(readdirSync(outside).sort()).toEqual(before);
    expect(readdirSync(path.join(outside, 'pgdir'))).toEqual([]);
  });

  it('opens an existing SQLite file inside an allowed folder', async () => {
    const answer = await ask(`sqlite://${path.join(allowed, 'data.db')}`);
    expect(answer.status, answer.text).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ rows: [{ one: 1 }] });
  });

  it('answers a missing file inside an allowed folder with 400 and does not create it', async () => {
    for (const url of [
      `sqlite://${path.join(allowed, 'typo.db')}`,
      `sqlite://${path.join(allowed, 'typo.db')}?mode=rwc`,
      `sqlite://${path.join(allowed, 'sub', 'typo.db')}`,
    ]) {
      const answer = await ask(url);
      expect(answer.status, url).toBe(400);
      expect(answer.code).toBe('DAEMON_NO_SUCH_DATABASE');
    }
    expect(existsSync(path.join(allowed, 'typo.db'))).toBe(false);
    expect(existsSync(path.join(allowed, 'sub'))).toBe(false);
  });

  it('refuses a .. or symlink escape from an allowed folder, with the same answer as any refusal', async () => {
    const refusal = await ask(`sqlite://${path.join(outside, 'secret.db')}`);
    for (const url of [
      `sqlite://${allowed}/../outside/secret.db`,
      `sqlite://${allowed}/../outside/missing.db`,
      `sqlite://${path.join(allowed, 'escape.db')}`,
      `sqlite://${path.join(allowed, 'escape-dir', 'secret.db')}`,
      `sqlite://${path.join(allowed, 'escape-dir', 'missing.db')}`,
      `pglite://${path.join(allowed, 'escape-dir', 'pgdir')}`,
    ]) {
      const answer = await ask(url);
      expect(answer.status, url).toBe(403);
      expect(answer.text, url).toBe(refusal.text);
    }
  });

  it('does not let PGlite create a database in an empty folder inside an allowed folder', async () => {
    const answer = await ask(`pglite://${path.join(allowed, 'empty-pglite')}`);
    expect(answer.status).toBe(400);
    expect(answer.code).toBe('DAEMON_NO_SUCH_DATABASE');
    expect(readdirSync(path.join(allowed, 'empty-pglite'))).toEqual([]);
  });

  it('opens an existing PGlite database inside an allowed folder', async () => {
    const dir = path.join(allowed, 'pglite-db');
    // Created by the engine, as `aishell` would: the daemon itself never creates one.
    const session = await Session.open({ connection: `pglite://${dir}`, env, history: false });
    await session.run('select 1');
    await session.close();
    const answer = await ask(`pglite://${dir}`);
    expect(answer.status, answer.text).toBe(200);
  }, 60_000);
});

describe('network URLs', () => {
  it('serves a URL under an allowed prefix, whatever its password', async () => {
    const withPassword = new URL(pg);
    withPassword.password = 'any-password-at-all';
    const answer = await ask(withPassword.toString());
    expect(answer.status, answer.text).toBe(200);
  });

  it('compares scheme, host, port, user and database after parsing, not as text', async () => {
    const host = pg.hostname;
    const port = pg.port || '5432';
    const refused = [
      `postgres://${host}.hostile.example:${port}/x`, // the allowed host is a text prefix of this one
      `postgres://${host}:${port}@hostile.example/x`, // user and password, then another host
      `postgres://u:S3cret-pw@${host}:${Number(port) + 1}/x`, // another port
      `postgres:///x?host=hostile.example`, // the host given as a parameter
      `mysql://${host}:${port}/x`, // another scheme
      `mysql://${mysql.username}@${mysql.host}/mysql`, // another database than the allowed one
      `mysql://someone-else@${mysql.host}${mysql.pathname}`, // another user than the allowed one
    ];
    for (const url of refused) {
      const answer = await ask(url);
      expect(answer.status, url).toBe(403);
      expect(answer.code).toBe('DAEMON_CONNECTION_NOT_ALLOWED');
      expect(answer.text).not.toContain('S3cret-pw');
    }
    expect((await ask(`postgresql://${pg.username}@${pg.host}${pg.pathname}`)).status).toBe(200);
    expect((await ask(mysql.toString())).status).toBe(200);
  });
});

describe('saved connections and demo', () => {
  it('serves a saved connection wherever it points, and an unknown name is still 400', async () => {
    expect((await ask('saved-outside')).status).toBe(200);
    expect((await ask('not-saved')).code).toBe('ENGINE_UNKNOWN_CONNECTION');
  });

  it('serves demo', async () => {
    const answer = await ask('demo');
    expect(answer.status, answer.text).toBe(200);
  }, 120_000);
});

describe('the allowlist', () => {
  it('comes from AISHELL_DAEMON_ALLOW_URLS and AISHELL_DAEMON_ALLOW_FOLDERS instead of the config when they are set', async () => {
    const overridden = await start({
      env: { ...env, AISHELL_DAEMON_ALLOW_FOLDERS: outside, AISHELL_DAEMON_ALLOW_URLS: 'sqlite::memory:' },
    });
    expect((await overridden(`sqlite://${path.join(outside, 'secret.db')}`)).status).toBe(200);
    expect((await overridden('sqlite::memory:')).status).toBe(200);
    expect((await overridden(`sqlite://${path.join(allowed, 'data.db')}`)).status).toBe(403);
    expect((await overridden(pg.toString())).status).toBe(403);
  });

  it('refuses to start with an entry that holds a password, names no host, or names a file', async () => {
    for (const allowUrls of [
      ['postgres://app:pw@db.internal/'],
      ['postgres:///shop'],
      [`sqlite://${path.join(allowed, 'data.db')}`],
    ]) {
      await expect(
        buildServer({ token, env, allow: { allowUrls, allowFolders: [] }, logLevel: 'silent' }),
      ).rejects.toMatchObject({ code: 'DAEMON_CONFIG' });
    }
    await expect(
      buildServer({ token, env, allow: { allowUrls: [], allowFolders: ['relative'] }, logLevel: 'silent' }),
    ).rejects.toMatchObject({ code: 'DAEMON_CONFIG' });
  });
});
