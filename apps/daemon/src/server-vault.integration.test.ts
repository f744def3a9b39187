import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { addConnection, resolvePaths, Session, VaultSecrets } from '@aishell/engine';
import { mysqlUrl } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type DaemonServer } from './server.js';

// Saved connections whose password is in the vault, served by the daemon (docs/daemon.md).
const suffix = randomBytes(4).toString('hex');
const user = `aishelld_v_${suffix}`;
const dbPassword = `db-pw-${randomBytes(8).toString('hex')}`;
const master = `master-${randomBytes(8).toString('hex')}`;
const token = `test-token-${randomBytes(16).toString('hex')}`;
const home = mkdtempSync(path.join(os.tmpdir(), 'aishelld-vault-'));
const env: NodeJS.ProcessEnv = {
  HOME: home,
  XDG_CONFIG_HOME: path.join(home, 'config'),
  XDG_DATA_HOME: path.join(home, 'data'),
  XDG_STATE_HOME: path.join(home, 'state'),
};
const paths = resolvePaths(env);
let rootUrl: string;
let userUrl: URL;

async function save(name: string): Promise<void> {
  await using secrets = new VaultSecrets({ env: { ...env, AISHELL_VAULT_PASSWORD: master }, paths });
  await addConnection(paths, {
    name,
    url: userUrl.toString(),
    savePassword: true,
    storeSecret: secrets.store,
    env,
  });
}

async function withDaemon<T>(
  daemonEnv: NodeJS.ProcessEnv,
  fn: (ask: (connection: string) => Promise<{ status: number; doc: Record<string, unknown> }>) => Promise<T>,
): Promise<{ result: T; log: string }> {
  const lines: string[] = [];
  const app: DaemonServer = await buildServer({
    token,
    env: daemonEnv,
    processMetrics: false,
    logLevel: 'debug',
    logDestination: { write: (line: string) => void lines.push(line) },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as net.AddressInfo;
  try {
    const result = await fn(async (connection) => {
      const res = await fetch(`http://127.0.0.1:${port}/v1/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ connection, sql: 'select current_user() as who' }),
      });
      return { status: res.status, doc: (await res.json()) as Record<string, unknown> };
    });
    return { result, log: lines.join('') };
  } finally {
    await app.close();
  }
}

beforeAll(async () => {
  rootUrl = await mysqlUrl();
  userUrl = new URL(rootUrl);
  userUrl.username = user;
  userUrl.password = dbPassword;
  // A MariaDB account with a real password: without the vault's value the connection would fail.
  await using admin = await Session.open({ connection: rootUrl, config: { connections: {} }, env: {} });
  await admin.run(`create user '${user}'@'%' identified by '${dbPassword}'`, { confirmed: true });
  await admin.run(`grant select on *.* to '${user}'@'%'`, { confirmed: true });
  await save('vaulted');
});

afterAll(async () => {
  await using admin = await Session.open({ connection: rootUrl, config: { connections: {} }, env: {} });
  await admin.run(`drop user if exists '${user}'@'%'`, { confirmed: true });
});

describe('saved connections with a vault password', () => {
  it('are served when the daemon has the master password, which never reaches the log or the answer', async () => {
    const { result, log } = await withDaemon({ ...env, AISHELL_VAULT_PASSWORD: master }, async (ask) => {
      const first = await ask('vaulted');
      // Saved while the daemon already holds the vault open: it re-reads the file for the new entry.
      await save('added-later');
      const later = await ask('added-later');
      return { first, later };
    });
    for (const answer of [result.first, result.later]) {
      expect(answer.status, JSON.stringify(answer.doc)).toBe(200);
      expect(String((answer.doc.rows as { who: string }[])[0]?.who)).toMatch(new RegExp(`^${user}@`));
      expect(JSON.stringify(answer.doc)).not.toContain(dbPassword);
    }
    expect(log).not.toContain(master);
    expect(log).not.toContain(dbPassword);
  });

  it('answer 400 VAULT_LOCKED with a hint when the daemon has no master password', async () => {
    const { result, log } = await withDaemon(env, (ask) => ask('vaulted'));
    expect(result.status, log).toBe(400);
    expect(result.doc).toMatchObject({
      error: { code: 'VAULT_LOCKED', hint: expect.stringContaining('AISHELL_VAULT_PASSWORD') },
    });
    expect(log).not.toContain(dbPassword);
  });
});
