import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { resolvePaths } from '@aishell/engine';
import * as Flags from '@oclif/core/flags';
import {
  DAEMON_DEFAULTS,
  DaemonCommand,
  DaemonControlError,
  daemonFiles,
  daemonUrl,
  describeStatus,
  locateDaemon,
  type PidRecord,
  probeHealth,
} from '../../daemon-process.js';
import { daemonFlags } from '../../flags.js';

const EXIT_CANNOT_START = 3;

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

export default class DaemonStart extends DaemonCommand {
  static override summary = 'Start the aishell daemon (aishelld) in the background.';
  static override description =
    'Runs aishelld detached, with its log in $XDG_STATE_HOME/aishell/daemon.log and its pid in ' +
    "$XDG_STATE_HOME/aishell/daemon.pid, and waits until it answers /health (exit 3 with the log's last line " +
    'when it does not). Clients send the bearer token: AISHELL_DAEMON_TOKEN, else the content of ' +
    '$XDG_CONFIG_HOME/aishell/daemon-token, which the daemon creates on first start.';
  static override examples = [
    { description: 'Start it on 127.0.0.1:7420', command: '<%= config.bin %> daemon start' },
    { description: 'Another port', command: '<%= config.bin %> daemon start --port 7500' },
    {
      description: 'Then query it',
      command:
        'curl -s -H "Authorization: Bearer $(cat ~/.config/aishell/daemon-token)" -H "content-type: application/json" ' +
        '-d \'{"connection":"demo","sql":"select count(*) from customers"}\' http://127.0.0.1:7420/v1/query',
    },
  ];
  static override flags = {
    ...daemonFlags,
    timeout: Flags.integer({
      description: 'how long to wait for the daemon to answer, in milliseconds',
      default: DAEMON_DEFAULTS.waitMillis,
      min: 1,
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(DaemonStart);
    const paths = resolvePaths();
    const existing = await locateDaemon(paths, { host: flags.host, port: flags.port });
    if (existing.running) {
      if (flags.json) return this.printJson({ ...existing, started: false });
      this.note('aishelld is already running');
      await this.out.write(`${describeStatus(existing)}\n`);
      return;
    }
    const { pidFile, logFile } = daemonFiles(paths);
    await mkdir(paths.stateDir, { recursive: true, mode: 0o700 });
    await rm(pidFile, { force: true });
    const log = await open(logFile, 'a', 0o600);
    const logStart = (await log.stat()).size;
    await chmod(logFile, 0o600);
    const { command, args } = daemonCommand(this.config.root);
    let child: ChildProcess;
    let exited: string | undefined;
    let spawning: Promise<Error | undefined>;
    try {
      child = spawn(command, [...args, '--port', String(flags.port), '--host', flags.host], {
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
      throw new DaemonControlError(
        'DAEMON_START_FAILED',
        `cannot run ${command}: ${spawned?.message ?? 'no pid'}`,
        {
          exit: EXIT_CANNOT_START,
          hint: 'install the daemon beside the CLI (npm install -g @aishell/daemon), set AISHELLD_BIN to the aishelld binary, or put aishelld on PATH',
          cause: spawned,
        },
      );
    }
    const pid = child.pid;
    child.unref();
    const record: PidRecord = {
      pid,
      host: flags.host,
      port: flags.port,
      startedAt: new Date().toISOString(),
      logFile,
    };
    await writeFile(pidFile, `${JSON.stringify(record)}\n`, { mode: 0o600 });

    const url = daemonUrl(flags.host, flags.port);
    const deadline = Date.now() + flags.timeout;
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
          ? `did not answer ${url}/health within ${flags.timeout} ms`
          : `exited (${exited})`;
      throw new DaemonControlError('DAEMON_START_FAILED', `aishelld ${why}${last ? `: ${last}` : ''}`, {
        exit: EXIT_CANNOT_START,
        hint: `see ${logFile}`,
      });
    }
    const status = await locateDaemon(paths, { host: flags.host, port: flags.port });
    if (flags.json) return this.printJson({ ...status, started: true });
    await this.out.write(`${describeStatus(status)}\n`);
    this.note(
      process.env.AISHELL_DAEMON_TOKEN
        ? 'clients authenticate with AISHELL_DAEMON_TOKEN as a bearer token'
        : `clients authenticate with the bearer token in ${paths.daemonTokenFile}`,
    );
  }
}
