import { readFile } from 'node:fs/promises';
import {
  type FingerprintSummary,
  type MetricsReport,
  readMetrics,
  resolvePaths,
  UsageError,
  type WindowSummary,
} from '@aishell/engine';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../base-command.js';
import { DAEMON_DEFAULTS, locateDaemon } from '../daemon-process.js';
import { renderTable } from '../output/table.js';

/** What aishelld's `GET /v1/metrics` answers (docs/daemon.md). */
export interface LiveMetrics {
  readonly source: 'daemon';
  readonly url: string;
  readonly window: string;
  readonly overall: WindowSummary;
  readonly top: readonly FingerprintSummary[];
  readonly fingerprints: { readonly tracked: number; readonly max: number; readonly evicted: number };
  readonly memoryCeilingBytes: number;
  readonly nPlusOne: readonly { fingerprint: string; count: number; example: string }[];
}

/** Time to wait for a running daemon's figures before giving up. */
const DAEMON_TIMEOUT_MILLIS = 5000;

const UNIT_MILLIS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** `--since`: `30m`, `2h`, `7d`, `1w` ago, or an ISO date. A regular expression is all this needs. */
function parseSince(value: string, now = Date.now()): Date | undefined {
  const relative = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i.exec(value.trim());
  if (relative)
    return new Date(now - Number(relative[1]) * (UNIT_MILLIS[relative[2]?.toLowerCase() ?? 's'] ?? 0));
  const absolute = Date.parse(value);
  return Number.isNaN(absolute) ? undefined : new Date(absolute);
}

export default class Metrics extends BaseCommand {
  static override summary = "Latency percentiles, counts and cache hit rate of this host's query history.";
  static override description =
    'Reads the metrics history that every aishell command appends to ($XDG_STATE_HOME/aishell/metrics.ndjson; ' +
    'AISHELL_HISTORY=off turns it off): statements, errors, cache hits, p50/p95/p99/max latency (HDR histograms), ' +
    'and the statement shapes that took the most time in total, with their normalized text (literals removed).\n\n' +
    "With --daemon it reads the running daemon's live figures instead (GET /v1/metrics, with AISHELL_DAEMON_TOKEN " +
    'or the token file): a sliding window of 1m, 5m or 1h with p50/p90/p99/p99.9 per statement shape; when no ' +
    'daemon runs, the history (its JSON then says "source": "history").';
  static override examples = [
    { description: 'Everything recorded', command: '<%= config.bin %> metrics' },
    {
      description: "The running daemon's live figures of the last minute (else the history)",
      command: '<%= config.bin %> metrics --daemon --window 1m',
    },
    { description: 'The last hour, as JSON', command: '<%= config.bin %> metrics --since 1h --json' },
    {
      description: 'Top 3 statement shapes since a date',
      command: '<%= config.bin %> metrics --since 2025-01-31 --top 3',
    },
  ];
  static override flags = {
    since: Flags.string({ description: 'only statements since a duration ago (30m, 2h, 7d) or an ISO date' }),
    top: Flags.integer({ description: 'how many statement shapes to list', default: 10, min: 0 }),
    daemon: Flags.boolean({
      description:
        "read the running daemon's live figures (GET /v1/metrics); the history file when none runs",
    }),
    window: Flags.string({
      description: 'with --daemon: the sliding window of the live figures',
      options: ['1m', '5m', '1h'],
      default: '5m',
    }),
    port: Flags.integer({
      description: 'with --daemon: TCP port of the daemon',
      default: DAEMON_DEFAULTS.port,
      min: 1,
      max: 65_535,
    }),
    host: Flags.string({
      description: 'with --daemon: address of the daemon',
      default: DAEMON_DEFAULTS.host,
    }),
  };

  async run(): Promise<MetricsReport | LiveMetrics | (MetricsReport & { source: 'history' })> {
    const { flags } = await this.parse(Metrics);
    if (flags.daemon) {
      const live = await readDaemonMetrics(flags.host, flags.port, flags.window, flags.top);
      if (live) return this.present(live, (l) => this.out.page(liveText(l, this.out.width)));
    }
    let since: Date | undefined;
    if (flags.since !== undefined) {
      since = parseSince(flags.since);
      if (!since) {
        throw new UsageError(`--since ${flags.since}: expected a duration such as 30m, 2h, 7d, or a date`);
      }
    }
    const report = await readMetrics({ top: flags.top, ...(since ? { since } : {}) });
    // With --daemon and no daemon running: the history, marked so that a script can tell.
    const document = flags.daemon ? { ...report, source: 'history' as const } : report;
    return this.present(document, (r) => this.out.page(metricsText(r, this.out.width)));
  }
}

/**
 * The live figures of the daemon that runs at `host:port` (or that the pid file names), or undefined when
 * none runs. A daemon that runs but refuses the token is an error to fix (exit 2), not a reason to show
 * the history instead.
 */
async function readDaemonMetrics(
  host: string,
  port: number,
  window: string,
  top: number,
): Promise<LiveMetrics | undefined> {
  const paths = resolvePaths();
  const status = await locateDaemon(paths, { host, port });
  if (!status.running || !status.answering) return undefined;
  const token = process.env.AISHELL_DAEMON_TOKEN?.trim() || (await readToken(paths.daemonTokenFile));
  const hint = `set AISHELL_DAEMON_TOKEN to the daemon's token, or read it from ${paths.daemonTokenFile}`;
  if (!token)
    throw new UsageError(`aishelld runs at ${status.url} but no token was found to ask it`, { hint });
  let res: Response;
  try {
    res = await fetch(`${status.url}/v1/metrics?window=${window}&top=${top}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(DAEMON_TIMEOUT_MILLIS),
    });
  } catch {
    return undefined; // it stopped meanwhile: the history it is
  }
  if (res.status === 401) throw new UsageError(`aishelld at ${status.url} refused the token`, { hint });
  if (res.status === 404) {
    throw new UsageError(`aishelld at ${status.url} has no live figures (an older version)`, {
      hint: 'restart it with this version: aishell daemon stop && aishell daemon start',
    });
  }
  if (!res.ok) throw new UsageError(`aishelld at ${status.url} answered ${res.status} to GET /v1/metrics`);
  const doc = (await res.json()) as Omit<LiveMetrics, 'url'>;
  return { ...doc, source: 'daemon', url: status.url };
}

async function readToken(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'utf8')).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The live figures: the window's counts and percentiles, then its busiest statement shapes. */
export function liveText(l: LiveMetrics, width: number): string {
  const o = l.overall;
  const lookups = o.cacheHits + o.cacheMisses;
  const rate =
    lookups === 0 ? 'no cache lookups' : `${((o.cacheHits / lookups) * 100).toFixed(1)} % hit rate`;
  const lines = [
    `aishelld at ${l.url}, last ${l.window}: ${o.count} statements, errors ${o.errors}, rows ${o.rows}`,
    `cache hits ${o.cacheHits}, misses ${o.cacheMisses} (${rate})`,
    `latency ms: p50 ${o.p50Millis}  p90 ${o.p90Millis}  p99 ${o.p99Millis}  p99.9 ${o.p999Millis}  max ${o.maxMillis}`,
    `statement shapes followed: ${l.fingerprints.tracked} of at most ${l.fingerprints.max} (${l.fingerprints.evicted} dropped)`,
  ];
  if (l.top.length > 0) {
    const fields = [
      { name: 'total ms', type: 'numeric' },
      { name: 'count', type: 'int' },
      { name: 'p50 ms', type: 'numeric' },
      { name: 'p99 ms', type: 'numeric' },
      { name: 'errors', type: 'int' },
      { name: 'hits', type: 'int' },
      { name: 'statement', type: 'text' },
    ];
    const rows = l.top.map((t) => ({
      'total ms': t.totalMillis,
      count: t.count,
      'p50 ms': t.p50Millis,
      'p99 ms': t.p99Millis,
      errors: t.errors,
      hits: t.cacheHits,
      statement: t.text ?? t.fingerprint,
    }));
    lines.push('', renderTable(fields, rows, { maxWidth: width }));
  }
  for (const n of l.nPlusOne) lines.push(`N+1 suspicion: ${n.count} times within 1 s: ${n.example}`);
  return `${lines.join('\n')}\n`;
}

/** The counts, the latency percentiles, and a table of the statement shapes that took longest in total. */
export function metricsText(r: MetricsReport, width: number): string {
  if (r.statements === 0) return `No statements recorded${r.since ? ` since ${r.since}` : ''} (${r.file}).\n`;
  const rate =
    r.cacheHitRate === null ? 'no cache lookups' : `${(r.cacheHitRate * 100).toFixed(1)} % hit rate`;
  const lines = [
    `${r.statements} statements from ${r.from} to ${r.to}`,
    `errors ${r.errors}, cached ${r.cached} (${rate})`,
    `latency ms: p50 ${r.latency.p50Ms}  p95 ${r.latency.p95Ms}  p99 ${r.latency.p99Ms}  max ${r.latency.maxMs}`,
  ];
  if (r.top.length > 0) {
    const fields = [
      { name: 'total ms', type: 'numeric' },
      { name: 'count', type: 'int' },
      { name: 'p95 ms', type: 'numeric' },
      { name: 'errors', type: 'int' },
      { name: 'statement', type: 'text' },
    ];
    const rows = r.top.map((t) => ({
      'total ms': t.totalMs,
      count: t.count,
      'p95 ms': t.p95Ms,
      errors: t.errors,
      statement: t.normalized,
    }));
    lines.push('', renderTable(fields, rows, { maxWidth: width }));
  }
  return `${lines.join('\n')}\n`;
}
