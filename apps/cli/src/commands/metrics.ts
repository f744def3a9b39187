import { type MetricsReport, readMetrics, UsageError } from '@aishell/engine';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../base-command.js';
import { renderTable } from '../output/table.js';

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
    'and the statement shapes that took the most time in total, with their normalized text (literals removed).';
  static override examples = [
    { description: 'Everything recorded', command: '<%= config.bin %> metrics' },
    { description: 'The last hour, as JSON', command: '<%= config.bin %> metrics --since 1h --json' },
    {
      description: 'Top 3 statement shapes since a date',
      command: '<%= config.bin %> metrics --since 2025-01-31 --top 3',
    },
  ];
  static override flags = {
    since: Flags.string({ description: 'only statements since a duration ago (30m, 2h, 7d) or an ISO date' }),
    top: Flags.integer({ description: 'how many statement shapes to list', default: 10, min: 0 }),
  };

  async run(): Promise<MetricsReport> {
    const { flags } = await this.parse(Metrics);
    let since: Date | undefined;
    if (flags.since !== undefined) {
      since = parseSince(flags.since);
      if (!since) {
        throw new UsageError(`--since ${flags.since}: expected a duration such as 30m, 2h, 7d, or a date`);
      }
    }
    const report = await readMetrics({ top: flags.top, ...(since ? { since } : {}) });
    return this.present(report, (r) => this.out.page(metricsText(r, this.out.width)));
  }
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
