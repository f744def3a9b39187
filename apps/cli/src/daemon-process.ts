// Finding and probing aishelld, shared by `aishell daemon start|stop|status`: its files, its pid file,
// its /health, and how a person reads its status. Starting and stopping it is daemon-control.ts's.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AishellPaths } from '@aishell/engine';

/** Where aishelld listens unless told otherwise (PRODUCT.md). */
export const DAEMON_DEFAULTS = Object.freeze({ host: '127.0.0.1', port: 7420, waitMillis: 15_000 });

/** What `daemon start` records in `$XDG_STATE_HOME/aishell/daemon.pid`. */
export interface PidRecord {
  readonly pid: number;
  readonly host: string;
  readonly port: number;
  readonly startedAt: string;
  readonly logFile: string;
}

/** What `GET /health` answers. */
export interface HealthDoc {
  readonly status: string;
  readonly version: string;
  readonly uptimeSeconds: number;
  readonly pid?: number;
}

/** The daemon as `status` reports it (`--json`). */
export interface DaemonStatus {
  readonly running: boolean;
  readonly pid: number | null;
  readonly host: string;
  readonly port: number;
  readonly url: string;
  readonly uptimeSeconds: number | null;
  readonly version: string | null;
  /** A daemon process exists but its /health does not answer (starting, stopping or hung). */
  readonly answering: boolean;
  readonly pidFile: string;
  readonly logFile: string;
}

export function daemonFiles(paths: AishellPaths): { pidFile: string; logFile: string } {
  return {
    pidFile: path.join(paths.stateDir, 'daemon.pid'),
    logFile: path.join(paths.stateDir, 'daemon.log'),
  };
}

/** A URL for reaching a daemon that listens on `host` (a wildcard address is reached on loopback). */
export function daemonUrl(host: string, port: number): string {
  const reach = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reach.includes(':') ? `[${reach}]` : reach}:${port}`;
}

export async function readPidFile(file: string): Promise<PidRecord | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const doc = JSON.parse(text) as Partial<PidRecord>;
    if (typeof doc.pid !== 'number' || typeof doc.port !== 'number' || typeof doc.host !== 'string')
      return undefined;
    return {
      pid: doc.pid,
      host: doc.host,
      port: doc.port,
      startedAt: String(doc.startedAt ?? ''),
      logFile: String(doc.logFile ?? ''),
    };
  } catch {
    return undefined;
  }
}

/** Is there a process with this pid (EPERM: there is, owned by someone else)? */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Is `pid` an aishelld? Where /proc exists the command line tells; elsewhere existence has to do. */
export async function isAishelld(pid: number): Promise<boolean> {
  if (!processExists(pid)) return false;
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('aishelld');
  } catch {
    return true;
  }
}

/** `GET /health` of a daemon, or undefined when nothing answers within `timeoutMillis`. */
export async function probeHealth(url: string, timeoutMillis = 1_000): Promise<HealthDoc | undefined> {
  // Not AbortSignal.timeout: its timer is unref'd, and when the peer resets the connection Node 20's
  // fetch can leave nothing else keeping the process alive, so the CLI would exit mid-probe.
  const aborter = new AbortController();
  const timer = setTimeout(() => aborter.abort(), timeoutMillis);
  try {
    const res = await fetch(`${url}/health`, { signal: aborter.signal });
    if (!res.ok) return undefined;
    const doc = (await res.json()) as Partial<HealthDoc>;
    if (doc.status !== 'ok') return undefined;
    return {
      status: doc.status,
      version: String(doc.version ?? ''),
      uptimeSeconds: Number(doc.uptimeSeconds ?? 0),
      ...(typeof doc.pid === 'number' ? { pid: doc.pid } : {}),
    };
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Find the daemon: the one the pid file records, else one answering /health at `host:port`
 * (an aishelld started in the foreground).
 */
export async function locateDaemon(
  paths: AishellPaths,
  where: { host: string; port: number },
): Promise<DaemonStatus> {
  const { pidFile, logFile } = daemonFiles(paths);
  const record = await readPidFile(pidFile);
  if (record && (await isAishelld(record.pid))) {
    const url = daemonUrl(record.host, record.port);
    const health = await probeHealth(url);
    return {
      running: true,
      pid: record.pid,
      host: record.host,
      port: record.port,
      url,
      uptimeSeconds: health?.uptimeSeconds ?? null,
      version: health?.version ?? null,
      answering: health !== undefined,
      pidFile,
      logFile: record.logFile || logFile,
    };
  }
  const url = daemonUrl(where.host, where.port);
  const health = await probeHealth(url);
  return {
    running: health !== undefined,
    pid: health?.pid ?? null,
    host: where.host,
    port: where.port,
    url,
    uptimeSeconds: health?.uptimeSeconds ?? null,
    version: health?.version ?? null,
    answering: health !== undefined,
    pidFile,
    logFile,
  };
}

/** `1h 2m 3s` */
export function formatUptime(seconds: number): string {
  const s = Math.floor(seconds);
  const parts = [
    [Math.floor(s / 86_400), 'd'],
    [Math.floor((s % 86_400) / 3_600), 'h'],
    [Math.floor((s % 3_600) / 60), 'm'],
    [s % 60, 's'],
  ] as const;
  const shown = parts.filter(([n], i) => n > 0 || i === parts.length - 1);
  return shown.map(([n, unit]) => `${n}${unit}`).join(' ');
}

export function describeStatus(status: DaemonStatus): string {
  if (!status.running)
    return `aishelld is not running (looked for ${status.pidFile} and ${status.url}/health)`;
  const pid = status.pid === null ? '' : ` (pid ${status.pid})`;
  if (!status.answering) return `aishelld is running${pid} but ${status.url}/health does not answer`;
  const uptime = status.uptimeSeconds === null ? '' : `, up ${formatUptime(status.uptimeSeconds)}`;
  return `aishelld ${status.version ?? ''} is running${pid} on ${status.url}${uptime}\nlog: ${status.logFile}`;
}
