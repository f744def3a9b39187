import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pgUrl } from '@aishell/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempHome } from './run-cli.js';

// Needs the CLI and the daemon built (`pnpm nx build cli` and `pnpm nx build daemon`): `daemon start`
// runs apps/daemon/bin/aishelld.js beside the CLI.
const env = tempHome();
const started: number[] = [];

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

afterAll(() => {
  for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL');
});

describe('aishell daemon', () => {
  it('reports a daemon that is not running as stopped despite a stale pid file, and stop cleans it up', async () => {
    const port = await freePort();
    const home = tempHome();
    const stateDir = path.join(home.XDG_STATE_HOME as string, 'aishell');
    const pidFile = path.join(stateDir, 'daemon.pid');
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(
      pidFile,
      JSON.stringify({ pid: dead, host: '127.0.0.1', port, startedAt: '', logFile: '' }),
    );
    const status = await runCli(['daemon', 'status', '--port', String(port), '--json'], { env: home });
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ running: false, pid: null, port });
    const stop = await runCli(['daemon', 'stop', '--port', String(port)], { env: home });
    expect(stop.code).toBe(0);
    expect(stop.stdout).toMatch(/not running/);
    expect(existsSync(pidFile)).toBe(false);
  }, 60_000);

  it('starts the daemon in the background, shows it in status, serves a real query, and stops it', async () => {
    const port = await freePort();
    // The daemon serves saved connections only, unless its allowlist names more (docs/daemon.md).
    const pg = new URL(await pgUrl());
    const folder = mkdtempSync(path.join(os.tmpdir(), 'aishell-daemon-cli-'));
    writeFileSync(path.join(folder, 'd.db'), '');
    const start = await runCli(['daemon', 'start', '--port', String(port), '--json'], {
      env: {
        ...env,
        AISHELL_DAEMON_ALLOW_URLS: `${pg.protocol}//${pg.host}/`,
        AISHELL_DAEMON_ALLOW_FOLDERS: folder,
      },
      timeoutMs: 60_000,
    });
    expect(start.code, start.stdout + start.stderr).toBe(0);
    const doc = JSON.parse(start.stdout) as { pid: number; running: boolean; started: boolean; port: number };
    expect(doc).toMatchObject({ running: true, started: true, port, answering: true });
    started.push(doc.pid);

    const stateDir = path.join(env.XDG_STATE_HOME as string, 'aishell');
    expect(JSON.parse(readFileSync(path.join(stateDir, 'daemon.pid'), 'utf8'))).toMatchObject({
      pid: doc.pid,
      port,
    });
    expect(readFileSync(path.join(stateDir, 'daemon.log'), 'utf8')).toMatch(/aishelld listening on/);

    const status = await runCli(['daemon', 'status', '--json'], { env });
    expect(status.code, status.stderr).toBe(0);
    const st = JSON.parse(status.stdout) as { uptimeSeconds: number };
    expect(st).toMatchObject({ running: true, pid: doc.pid, port, url: `http://127.0.0.1:${port}` });
    expect(st.uptimeSeconds).toBeGreaterThan(0);
    const human = await runCli(['daemon', 'status'], { env });
    expect(human.stdout).toMatch(
      new RegExp(`running \\(pid ${doc.pid}\\) on http://127\\.0\\.0\\.1:${port}, up \\d+s`),
    );

    const tokenFile = path.join(env.XDG_CONFIG_HOME as string, 'aishell', 'daemon-token');
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    const token = readFileSync(tokenFile, 'utf8').trim();
    const sqlite = `sqlite://${path.join(folder, 'd.db')}`;
    for (const connection of [await pgUrl(), sqlite]) {
      const res = await fetch(`http://127.0.0.1:${port}/v1/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ connection, sql: 'select 40 + 2 as answer' }),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        command: 'SELECT',
        rowCount: 1,
        rows: [{ answer: 42 }],
        cached: false,
      });
    }

    const again = await runCli(['daemon', 'start', '--port', String(port), '--json'], { env });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ running: true, started: false, pid: doc.pid });

    const stop = await runCli(['daemon', 'stop', '--json'], { env, timeoutMs: 30_000 });
    expect(stop.code, stop.stderr).toBe(0);
    expect(JSON.parse(stop.stdout)).toEqual({ stopped: true, wasRunning: true, pid: doc.pid, killed: false });
    expect(alive(doc.pid)).toBe(false);
    expect(existsSync(path.join(stateDir, 'daemon.pid'))).toBe(false);
    expect(readFileSync(path.join(stateDir, 'daemon.log'), 'utf8')).toMatch(/"msg":"stopped"/);
    expect(readFileSync(path.join(stateDir, 'daemon.log'), 'utf8')).not.toContain(token);

    const after = await runCli(['daemon', 'status', '--port', String(port), '--json'], { env });
    expect(JSON.parse(after.stdout)).toMatchObject({ running: false });
  }, 180_000);

  it('exits 3 with the last line of the daemon log when the daemon cannot start', async () => {
    // Holds the port; drops the CLI's /health probes at once so that close() does not wait on them.
    const blocker = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const r = await runCli(['daemon', 'start', '--port', String(port)], {
        env: tempHome(),
        timeoutMs: 60_000,
      });
      expect(r.code, r.stdout + r.stderr).toBe(3);
      expect(r.stderr).toMatch(new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port} \\(EADDRINUSE\\)`));
      const json = await runCli(['daemon', 'start', '--port', String(port), '--json'], {
        env: tempHome(),
        timeoutMs: 60_000,
      });
      expect(json.code).toBe(3);
      expect(JSON.parse(json.stdout).error).toMatchObject({
        code: 'DAEMON_START_FAILED',
        message: expect.stringMatching(/EADDRINUSE/),
      });
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  }, 180_000);
});
