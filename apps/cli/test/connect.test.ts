import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pgUrl } from '@aishell/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempHome } from './run-cli.js';

let url: string;
beforeAll(async () => {
  url = await pgUrl();
});

describe('aishell connect and connections', () => {
  it('saves a named connection, lists it, uses it with -c, and removes it', async () => {
    const env = tempHome();
    const saved = await runCli(['connect', url, '--name', 'local', '--json'], { env });
    expect(saved.code, saved.stderr).toBe(0);
    expect(JSON.parse(saved.stdout)).toMatchObject({ name: 'local', dialect: 'postgres', isDefault: false });

    const list = await runCli(['connections', '--json'], { env });
    expect(JSON.parse(list.stdout).connections.map((c: { name: string }) => c.name)).toEqual(['local']);

    const q = await runCli(['query', 'select current_database() as db', '-c', 'local', '--json'], { env });
    expect(q.code, q.stderr).toBe(0);
    expect(JSON.parse(q.stdout).rows[0].db).toBe(new URL(url).pathname.slice(1));

    const test = await runCli(['connections', 'test', 'local', '--json'], { env });
    expect(test.code, test.stderr).toBe(0);
    expect(JSON.parse(test.stdout).ok).toBe(true);

    const removed = await runCli(['connections', 'remove', 'local'], { env });
    expect(removed.code).toBe(0);
    const after = await runCli(['query', 'select 1', '-c', 'local'], { env });
    expect(after.code).toBe(2);
    expect(after.stderr).toMatch(/unknown connection "local"/);
  });

  it('makes a connection the default with --default, so commands need no -c', async () => {
    const env = tempHome();
    expect((await runCli(['connect', url, '--name', 'main', '--default'], { env })).code).toBe(0);
    const q = await runCli(['query', 'select 7 as seven', '--json'], { env });
    expect(q.code, q.stderr).toBe(0);
    expect(JSON.parse(q.stdout).rows).toEqual([{ seven: 7 }]);
  });

  it('keeps a password out of the config when --save-password is not given', async () => {
    const env = tempHome();
    const withPassword = new URL(url);
    withPassword.password = 'not-saved-pw-123';
    const r = await runCli(['connect', withPassword.toString(), '--name', 'pw', '--no-test'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/password was not saved/);
    // Once, and saying why: the URL is in the process list and the shell history.
    expect(r.stderr.match(/visible to other users/g)).toHaveLength(1);
    expect(r.stderr).toMatch(/--save-password to be asked for it \(hidden\)/);
    const config = readFileSync(path.join(env.XDG_CONFIG_HOME as string, 'aishell', 'config.json'), 'utf8');
    expect(config).not.toContain('not-saved-pw-123');
    expect(r.stdout + r.stderr).not.toContain('not-saved-pw-123');
  });

  it('does not save a connection whose server does not answer (exit 3)', async () => {
    const env = tempHome();
    const r = await runCli(['connect', 'postgres://postgres@127.0.0.1:1/x', '--name', 'down'], { env });
    expect(r.code).toBe(3);
    const list = await runCli(['connections', '--json'], { env });
    expect(JSON.parse(list.stdout).connections).toEqual([]);
  });

  it('rejects an invalid name with exit 2', async () => {
    const r = await runCli(['connect', url, '--name', '1 bad name', '--no-test'], { env: tempHome() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid connection name/);
  });
});
