// Starting and stopping aishelld for `aishell daemon start|stop`: the detached spawn, the pid file,
// waiting for /health, and SIGTERM then SIGKILL. Finding and probing a daemon is daemon-process.ts's.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AishellPaths } from '@aishell/engine';
import {
  type DaemonStatus,
  daemonFiles,
  daemonUrl,
  locateDaemon,
  type PidRecord,
  probeHealth,
  processExists,
  readPidFile,
} from './daemon-process.js';
import { DaemonControlError } from './errors.js';

/** Where a daemon listens, and how long to wait for it to answer (start) or to exit (stop). */
export interface DaemonControlOptions {
  readonly host: string;
  readonly port: number;
  readonly waitMillis: number;
}

/** What `daemon start` reports (`--json`): the daemon's status, and whether this command started it. */
export type DaemonStartResult = DaemonStatus & { readonly started: boolean };

/** What `daemon stop` reports (`--json`); `killed` when SIGTERM did not end it within the wait. */
export type DaemonStopResult =
  | { readonly stopped: false; readonly wasRunning: false; readonly pid: null }
  | { readonly stopped: true; readonly wasRunning: true; readonly pid: number; readonly killed: boolean };

/**
 * The aishelld binary: AISHELLD_BIN, else the daemon app beside this CLI in the workspace
 * (apps/daemon/bin/aishelld.js), else `aishelld` on PATH.
 */
function daemonCommand(cliRoot: string): { command: string; args: string[] } {
  const bin = process.env.AISHELLD_BIN || path.resolve(cliRoot, '../daemon/bin/aishelld.js');
  if (process.env.AISHELLD_BIN || existsSync(bin)) {
    return /\.[cm]?js$/.test(bin) ? { command: process.execPath, args: [bin] } : { command: bin, args: [] };
  }
  return { command: 'aishelld', args: [] };
}

/** The last non-empty line of the daemon's log, as a person would read it (pino's `msg`). */
async function lastLogLine(logFile: string, since: number): Promise<string | undefined> {
  let text: string;
  try {
    text = (await readFile(logFile)).subarray(since).toString('utf8');
  } catch {
    return undefined;
  }
  const line = text.trimEnd().split('\n').at(-1)?.trim();
  if (!line) return undefined;
  try {
    const doc = JSON.parse(line) as { msg?: unknown };
    return typeof doc.msg === 'string' ? doc.msg : line;
  } catch {
    return line;
  }
}

/**
 * Start aishelld detached (its log in the state folder, its pid in the pid file) and wait until it
 * answers /health. A daemon that already runs is left alone (`started: false`). Throws
 * DaemonControlError when the binary cannot run, or the daemon exits or does not answer in time.
 * `cliRoot` is the CLI's package folder, beside which the workspace's daemon app lives.
 */
export async function startDaemon(
  paths: AishellPaths,
  options: DaemonControlOptions & { readonly cliRoot: string },
): Promise<DaemonStartResult> {
  const { host, port } = options;
  const existing = await locateDaemon(paths, { host, port });
  if (existing.running) return { ...existing, started: false };
  const { pidFile, logFile } = daemonFiles(paths);
  await mkdir(paths.stateDir, { recursive: true, mode: 0o700 });
  await rm(pidFile, { force: true });
  const log = await open(logFile, 'a', 0o600);
  const logStart = (await log.stat()).size;
  await chmod(logFile, 0o600);
  const { command, args } = daemonCommand(options.cliRoot);
  let child: ChildProcess;
  let exited: string | undefined;
  let spawning: Promise<Error | undefined>;
  try {
    child = spawn(command, [...args, '--port', String(port), '--host', host], {
      detached: true,
      stdio: ['ignore', log.fd, log.fd],
      env: process.env,
    });
    // Listen before anything awaits: 'spawn' and 'error' fire on the next tick.
    child.once('exit', (code, signal) => {
      exited = signal ? `signal ${signal}` : `exit code ${code}`;
    });
    spawning = new Promise<Error | undefined>((resolve) => {
      child.once('spawn', () => resolve(undefined));
      child.once('error', (error) => resolve(error));
    });
  } finally {
    await log.close();
  }
  const spawned = await spawning;
  if (spawned || child.pid === undefined) {
    throw new DaemonControlError(`cannot run ${command}: ${spawned?.message ?? 'no pid'}`, {
      hint: 'install the daemon beside the CLI (npm install -g @aishell/daemon), set AISHELLD_BIN to the aishelld binary, or put aishelld on PATH',
      cause: spawned,
    });
  }
  const pid = child.pid;
  child.unref();
  const record: PidRecord = { pid, host, port, startedAt: new Date().toISOString(), logFile };
  await writeFile(pidFile, `${JSON.stringify(record)}\n`, { mode: 0o600 });

  const url = daemonUrl(host, port);
  const deadline = Date.now() + options.waitMillis;
  let health = await probeHealth(url, 500);
  while (!(health && health.pid === pid) && exited === undefined && Date.now() < deadline) {
    await sleep(100);
    health = await probeHealth(url, 500);
  }
  if (!(health && health.pid === pid)) {
    if (exited === undefined) child.kill('SIGTERM');
    await rm(pidFile, { force: true });
    const last = await lastLogLine(logFile, logStart);
    const why =
      exited === undefined
        ? `did not answer ${url}/health within ${options.waitMillis} ms`
        : `exited (${exited})`;
    throw new DaemonControlError(`aishelld ${why}${last ? `: ${last}` : ''}`, { hint: `see ${logFile}` });
  }
  return { ...(await locateDaemon(paths, { host, port })), started: true };
}

/**
 * Stop the daemon: SIGTERM, up to `waitMillis` for it to exit, then SIGKILL. A daemon that is not
 * running is not an error. The pid file goes unless it names another live process.
 */
export async function stopDaemon(
  paths: AishellPaths,
  options: DaemonControlOptions,
): Promise<DaemonStopResult> {
  const status = await locateDaemon(paths, { host: options.host, port: options.port });
  const removePidFile = async (pid: number | null): Promise<void> => {
    const record = await readPidFile(status.pidFile);
    if (!record || record.pid === pid || !processExists(record.pid))
      await rm(status.pidFile, { force: true });
  };
  if (!status.running || status.pid === null) {
    await removePidFile(null);
    return { stopped: false, wasRunning: false, pid: null };
  }
  const pid = status.pid;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + options.waitMillis;
  while (processExists(pid) && Date.now() < deadline) await sleep(50);
  let killed = false;
  if (processExists(pid)) {
    process.kill(pid, 'SIGKILL');
    killed = true;
    while (processExists(pid)) await sleep(50);
  }
  await removePidFile(pid);
  return { stopped: true, wasRunning: true, pid, killed };
}
