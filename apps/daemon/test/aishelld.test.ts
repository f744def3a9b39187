import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pgUrl } from '@aishell/testing';
import { describe, expect, it } from 'vitest';

// The built binary, as `aishell daemon start` runs it (needs `pnpm nx build daemon`).
const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/aishelld.js');
const TOKEN = 'process-test-token-0123456789';

function start(
  args: readonly string[],
  options: { home?: string; env?: Record<string, string | undefined> } = {},
): {
  child: ChildProcessWithoutNullStreams;
  stderr: () => string;
  exit: Promise<number | null>;
} {
  const home = options.home ?? mkdtempSync(path.join(os.tmpdir(), 'aishelld-bin-'));
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(AISHELL_|XDG_|NODE_OPTIONS$|VITEST)/.test(k)),
  );
  const merged: Record<string, string | undefined> = {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_STATE_HOME: path.join(home, 'state'),
    AISHELL_DAEMON_TOKEN: TOKEN,
    ...options.env,
  };
  const child = spawn(process.execPath, [BIN, ...args], {
    env: Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv,
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, stderr: () => stderr, exit };
}

async function listeningUrl(stderr: () => string): Promise<string> {
  let match: RegExpExecArray | null = null;
  await expect
    .poll(() => (match = /aishelld listening on (http:\/\/\S+?)"/.exec(stderr())), { timeout: 20_000 })
    .toBeTruthy();
  return (match as unknown as RegExpExecArray)[1] as string;
}

describe('aishelld', () => {
  it('rejects an unknown flag with a one-line message and exit 2', async () => {
    const { child, stderr, exit } = start(['--bogus']);
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    expect(await exit).toBe(2);
    expect(stdout).toBe('');
    expect(stderr().trimEnd().split('\n')).toEqual([expect.stringMatching(/^aishelld: .*--bogus/)]);
  });

  it('exits 3 with a one-line reason when the port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const { stderr, exit } = start(['--port', String(port)]);
      expect(await exit).toBe(3);
      expect(stderr()).toMatch(new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port} \\(EADDRINUSE\\)`));
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('on SIGTERM finishes the request in flight, closes its sessions and exits 0', async () => {
    const connection = await pgUrl();
    const { host, protocol } = new URL(connection);
    const { child, stderr, exit } = start(['--port', '0'], {
      env: { AISHELL_DAEMON_ALLOW_URLS: `${protocol}//${host}/` },
    });
    const url = await listeningUrl(stderr);
    expect(((await (await fetch(`${url}/health`)).json()) as { pid: number }).pid).toBe(child.pid);
    const post = (sql: string) =>
      fetch(`${url}/v1/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ connection, sql }),
      });
    expect((await post('select 1')).status).toBe(200);
    const inFlight = post('select pg_sleep(0.8) as slept, 7 as answer');
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.kill('SIGTERM');
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { rows: { answer: number }[] }).rows[0]?.answer).toBe(7);
    expect(await exit).toBe(0);
    expect(stderr()).toMatch(/"msg":"stopped"/);
    expect(stderr()).not.toContain(TOKEN);
  });

  it('refuses a token file that others can read, with one line naming the file and chmod 600, and exits 2', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'aishelld-bin-'));
    const file = path.join(home, 'config', 'aishell', 'daemon-token');
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, `${'f'.repeat(64)}\n`);
    chmodSync(file, 0o644);
    const { stderr, exit } = start(['--port', '0'], { home, env: { AISHELL_DAEMON_TOKEN: undefined } });
    expect(await exit).toBe(2);
    const lines = stderr().trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(file);
    expect(lines[0]).toContain(`chmod 600 ${file}`);
    expect(stderr()).not.toContain('f'.repeat(64));
  });

  it('warns in one log line when it listens on an address other machines can reach', async () => {
    const { child, stderr, exit } = start(['--port', '0', '--host', '0.0.0.0']);
    await listeningUrl(stderr);
    await expect.poll(() => /not a loopback address/.test(stderr())).toBe(true);
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    const warnings = stderr()
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: number; msg: string; host?: string })
      .filter((l) => l.level === 40);
    expect(warnings).toEqual([
      expect.objectContaining({
        host: '0.0.0.0',
        msg: expect.stringMatching(/token is its only protection.*TLS.*firewall/),
      }),
    ]);
  });

  it('does not warn when it listens on the loopback address', async () => {
    const { child, stderr, exit } = start(['--port', '0']);
    await listeningUrl(stderr);
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(stderr()).not.toMatch(/not a loopback address/);
  });
});
