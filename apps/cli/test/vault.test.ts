import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mysqlUrl } from '@aishell/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli, tempHome } from './run-cli.js';

const MASTER = 'cli-master-NEVER-PRINTED';
const NEW_MASTER = 'cli-rotated-NEVER-PRINTED';
const SECRET = 'db-password-NEVER-PRINTED-9f3';

function vaultFile(env: Record<string, string>): string {
  return path.join(env.XDG_DATA_HOME as string, 'aishell', 'vault.json');
}

/** A fresh home with a vault holding `prod-db` = SECRET. */
async function homeWithVault(): Promise<Record<string, string>> {
  const env = { ...tempHome(), AISHELL_VAULT_PASSWORD: MASTER };
  const init = await runCli(['vault', 'init'], { env });
  expect(init.code, init.stderr).toBe(0);
  const add = await runCli(['vault', 'add', 'prod-db'], { env, input: `${SECRET}\n` });
  expect(add.code, add.stderr).toBe(0);
  return env;
}

function output(...results: CliResult[]): string {
  return results.map((r) => r.stdout + r.stderr).join('\n');
}

// Each case spawns the real CLI several times, and each unlock runs scrypt at the default cost on purpose.
describe('aishell vault', { timeout: 240_000 }, () => {
  it('creates, adds from stdin, lists, checks, reveals and removes, printing the value only with --reveal', async () => {
    const env = await homeWithVault();
    const file = vaultFile(env);
    expect(readFileSync(file, 'utf8')).toMatch(/"format": "aishell-vault"/);

    const list = await runCli(['vault', 'list', '--json'], { env });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual({ path: file, entries: ['prod-db'] });

    const get = await runCli(['vault', 'get', 'prod-db'], { env });
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout).toMatch(/--reveal/);
    const getJson = await runCli(['vault', 'get', 'prod-db', '--json'], { env });
    expect(JSON.parse(getJson.stdout)).toEqual({ name: 'prod-db', exists: true });
    expect(output(list, get, getJson)).not.toContain(SECRET);

    const reveal = await runCli(['vault', 'get', 'prod-db', '--reveal'], { env });
    expect(reveal).toMatchObject({ code: 0, stdout: `${SECRET}\n` });
    const revealJson = await runCli(['vault', 'get', 'prod-db', '--reveal', '--json'], { env });
    expect(JSON.parse(revealJson.stdout)).toEqual({ name: 'prod-db', value: SECRET });

    const status = await runCli(['vault', '--json'], { env: { ...env, AISHELL_VAULT_PASSWORD: '' } });
    expect(JSON.parse(status.stdout)).toEqual({ path: file, exists: true, entries: ['prod-db'] });

    const removed = await runCli(['vault', 'remove', 'prod-db', '--json'], { env });
    expect(JSON.parse(removed.stdout)).toEqual({ name: 'prod-db', removed: true });
    const gone = await runCli(['vault', 'get', 'prod-db'], { env });
    expect(gone.code).toBe(2);
    expect(gone.stderr).toMatch(/no entry named "prod-db"/);
  });

  it('keeps the secret and the master password out of every output, the file and its previous version', async () => {
    const env = await homeWithVault();
    const results = [
      await runCli(['vault', 'list'], { env }),
      await runCli(['vault', 'get', 'prod-db'], { env }),
      await runCli(['vault', 'get', 'prod-db', '--verbose'], { env }),
      await runCli(['vault', 'add', 'other', '--json'], { env, input: 'another-value' }),
      await runCli(['vault', 'add', 'prod-db', '--force'], { env, input: SECRET }),
      await runCli(['vault', 'list'], { env: { ...env, AISHELL_VAULT_PASSWORD: 'wrong' } }),
      await runCli(['vault', 'get', 'missing', '--verbose'], { env }),
      await runCli(['vault', 'add', 'bad name'], { env, input: SECRET }),
      await runCli(['vault', 'rotate'], { env: { ...env, AISHELL_VAULT_NEW_PASSWORD: NEW_MASTER } }),
      await runCli(['vault', 'list', '--verbose'], { env }),
    ];
    const all = output(...results);
    for (const secret of [SECRET, MASTER, NEW_MASTER, 'another-value']) expect(all).not.toContain(secret);
    const dir = path.dirname(vaultFile(env));
    for (const name of readdirSync(dir)) {
      const bytes = readFileSync(path.join(dir, name), 'latin1');
      for (const secret of [SECRET, MASTER, NEW_MASTER, 'another-value']) expect(bytes).not.toContain(secret);
    }
  });

  it('exits 6 on a wrong password and leaves the vault untouched', async () => {
    const env = await homeWithVault();
    const before = readFileSync(vaultFile(env));
    const wrong = { ...env, AISHELL_VAULT_PASSWORD: 'not-the-password' };
    for (const args of [
      ['vault', 'list'],
      ['vault', 'get', 'prod-db', '--reveal'],
      ['vault', 'remove', 'prod-db'],
    ]) {
      const r = await runCli(args, { env: wrong });
      expect(r.code).toBe(6);
      expect(r.stderr).toMatch(/Wrong master password/);
    }
    const add = await runCli(['vault', 'add', 'x'], { env: wrong, input: 'y' });
    expect(add.code).toBe(6);
    expect(readFileSync(vaultFile(env))).toEqual(before);
  });

  it('exits 6 with a clear message when no password is given and nobody can be prompted', async () => {
    const env = await homeWithVault();
    const r = await runCli(['vault', 'list', '--json'], { env: { ...env, AISHELL_VAULT_PASSWORD: '' } });
    expect(r.code).toBe(6);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'VAULT_LOCKED' });
    expect(JSON.parse(r.stdout).error.message).toMatch(/AISHELL_VAULT_PASSWORD/);
  });

  it('exits 6 when a byte of the vault file was changed, and leaves it as found', async () => {
    const env = await homeWithVault();
    const file = vaultFile(env);
    const text = readFileSync(file, 'utf8');
    const at = text.indexOf('"ciphertext": "') + 20;
    const changed = text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    writeFileSync(file, changed);
    const r = await runCli(['vault', 'get', 'prod-db', '--reveal'], { env });
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/failed its integrity check/);
    expect(r.stdout).toBe('');
    expect(readFileSync(file, 'utf8')).toBe(changed);
  });

  it('refuses a vault that others can read with exit 6 and the chmod to run', async () => {
    const env = await homeWithVault();
    chmodSync(vaultFile(env), 0o644);
    const r = await runCli(['vault', 'list'], { env });
    expect(r.code).toBe(6);
    expect(r.stderr).toContain(`chmod 600 ${vaultFile(env)}`);
  });

  it('says to run aishell vault init when there is no vault (exit 6), and refuses a second init (exit 2)', async () => {
    const env: Record<string, string> = { ...tempHome(), AISHELL_VAULT_PASSWORD: MASTER };
    const none = await runCli(['vault', 'list'], { env });
    expect(none.code).toBe(6);
    expect(none.stderr).toMatch(/aishell vault init/);
    expect((await runCli(['vault', 'init', '--json'], { env })).code).toBe(0);
    const again = await runCli(['vault', 'init'], { env });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
  });

  it('takes a value only from stdin or a prompt: an empty stdin is a usage error and nothing is added', async () => {
    const env = await homeWithVault();
    const r = await runCli(['vault', 'add', 'empty'], { env, input: '' });
    expect(r.code).toBe(2);
    const list = await runCli(['vault', 'list', '--json'], { env });
    expect(JSON.parse(list.stdout).entries).toEqual(['prod-db']);
    const extra = await runCli(['vault', 'add', 'x', 'the-value-as-argument'], { env, input: 'v' });
    expect(extra.code).toBe(2);
  });

  it('rotates to a new master password from the environment or stdin; the old one then exits 6', async () => {
    const env = await homeWithVault();
    const rotated = await runCli(['vault', 'rotate', '--json'], {
      env: { ...env, AISHELL_VAULT_NEW_PASSWORD: NEW_MASTER },
    });
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(JSON.parse(rotated.stdout)).toEqual({ path: vaultFile(env), rotated: true, entries: 1 });
    expect((await runCli(['vault', 'list'], { env })).code).toBe(6);

    const next = { ...env, AISHELL_VAULT_PASSWORD: NEW_MASTER };
    expect((await runCli(['vault', 'rotate'], { env: next, input: 'third-master\n' })).code).toBe(0);
    const reveal = await runCli(['vault', 'get', 'prod-db', '--reveal'], {
      env: { ...env, AISHELL_VAULT_PASSWORD: 'third-master' },
    });
    expect(reveal).toMatchObject({ code: 0, stdout: `${SECRET}\n` });
  });

  it('reports that no OS keychain is available here with exit 6', async () => {
    const env = await homeWithVault();
    const r = await runCli(['vault', 'remember'], { env });
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/No OS keychain is available/);
  });
});

describe('saved connections with the vault', { timeout: 240_000 }, () => {
  const suffix = Math.random().toString(36).slice(2, 8);
  const user = `vault_cli_${suffix}`;
  const dbPassword = `Db-Pass-${suffix}-never-shown`;
  let rootUrl: string;
  let userUrl: URL;

  beforeAll(async () => {
    rootUrl = await mysqlUrl();
    userUrl = new URL(rootUrl);
    userUrl.username = user;
    userUrl.password = dbPassword;
    // A MariaDB account with a real password, so that a wrong or missing one would fail to connect.
    const env = tempHome();
    for (const sql of [
      `CREATE USER '${user}'@'%' IDENTIFIED BY '${dbPassword}'`,
      `GRANT SELECT ON *.* TO '${user}'@'%'`,
    ]) {
      const r = await runCli(['query', sql, '-c', rootUrl, '--yes'], { env });
      expect(r.code, r.stderr).toBe(0);
    }
    return async () => {
      await runCli(['query', `DROP USER IF EXISTS '${user}'@'%'`, '-c', rootUrl, '--yes'], { env });
    };
  });

  it('keeps the URL without its password in the config and the password in the vault; -c resolves both', async () => {
    const env: Record<string, string> = { ...tempHome(), AISHELL_VAULT_PASSWORD: MASTER };
    const saved = await runCli(
      ['connect', userUrl.toString(), '--name', 'prod', '--save-password', '--json'],
      { env },
    );
    expect(saved.code, saved.stderr).toBe(0);
    const config = readFileSync(path.join(env.XDG_CONFIG_HOME as string, 'aishell', 'config.json'), 'utf8');
    expect(config).not.toContain(dbPassword);
    expect(config).toContain(user);
    expect(readFileSync(vaultFile(env), 'latin1')).not.toContain(dbPassword);

    const q = await runCli(['query', 'select current_user() as u', '-c', 'prod', '--json'], { env });
    expect(q.code, q.stderr).toBe(0);
    expect(JSON.parse(q.stdout).rows[0].u).toMatch(new RegExp(`^${user}@`));

    const locked = await runCli(['query', 'select 1', '-c', 'prod'], {
      env: { ...env, AISHELL_VAULT_PASSWORD: 'wrong' },
    });
    expect(locked.code).toBe(6);
    expect(output(saved, q, locked)).not.toContain(dbPassword);
  });

  it('reads a password from the vault where vault:<entry> stands in the URL', async () => {
    const env: Record<string, string> = { ...tempHome(), AISHELL_VAULT_PASSWORD: MASTER };
    expect((await runCli(['vault', 'init'], { env })).code).toBe(0);
    expect((await runCli(['vault', 'add', 'mariadb-app'], { env, input: dbPassword })).code).toBe(0);
    const url = new URL(userUrl.toString());
    url.password = 'vault:mariadb-app';
    const q = await runCli(['query', 'select 42 as answer', '-c', url.toString(), '--json'], { env });
    expect(q.code, q.stderr).toBe(0);
    expect(JSON.parse(q.stdout).rows).toEqual([{ answer: 42 }]);
    expect(output(q)).not.toContain(dbPassword);
  });
});
