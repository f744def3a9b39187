import {
  type HealthCheckResult,
  type HealthReport,
  health,
  healthExitCode,
  UsageError,
} from '@aishell/engine';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../base-command.js';
import { demoProgress } from '../demo-progress.js';
import { connectionFlag } from '../flags.js';
import { renderTable } from '../output/table.js';

export default class Health extends BaseCommand {
  static override summary =
    "Check the database's health, as pghero does (exit 0 ok, 8 warnings, 9 critical).";
  static override description =
    "pghero's checks for PostgreSQL (connections, idle transactions, long and blocked queries, wraparound, " +
    'sequence overflow, invalid and duplicate indexes, unused and missing indexes, cache hit ratio, dead tuples, ' +
    'replication, slow statements, sizes), their counterparts for MySQL/MariaDB, and integrity checks for SQLite. ' +
    'Each check is OK, WARN, CRIT or SKIPPED (it cannot run here: the reason says why) with its value, its threshold ' +
    'and a fix. Exit 0 when all are OK or skipped, 8 on any warning, 9 on any critical finding: fit for cron and CI.';
  static override examples = [
    { description: 'Every check on the default connection', command: '<%= config.bin %> health' },
    {
      description: 'Two checks, a stricter threshold, as JSON',
      command:
        '<%= config.bin %> health -c prod --only idle_in_transaction,connections --threshold idle_in_transaction_seconds=30 --json',
    },
    {
      description: 'In a cron job: mail only when something is wrong',
      command: '<%= config.bin %> health -c prod || mail ...',
    },
  ];
  static override flags = {
    connection: connectionFlag,
    only: Flags.string({
      description: 'run only these checks (comma-separated names, e.g. connections,duplicate_indexes)',
      multiple: true,
    }),
    threshold: Flags.string({
      description: 'override a threshold: name=value (e.g. idle_in_transaction_seconds=30); repeatable',
      multiple: true,
    }),
    'max-objects': Flags.integer({ description: 'objects listed per check (default 10)', min: 1 }),
  };

  async run(): Promise<HealthReport> {
    const { flags } = await this.parse(Health);
    const only = flags.only
      ?.flatMap((o) => o.split(','))
      .map((o) => o.trim())
      .filter(Boolean);
    const thresholds = parseThresholds(flags.threshold ?? []);
    const progress = demoProgress();
    const session = await this.openSession({
      ...(flags.connection ? { connection: flags.connection } : {}),
      ...(progress ? { onDemoProgress: progress } : {}),
      history: false,
    });
    let report: HealthReport;
    try {
      report = await health(session, {
        ...(only && only.length > 0 ? { only } : {}),
        ...(Object.keys(thresholds).length > 0 ? { thresholds } : {}),
        ...(flags['max-objects'] ? { maxObjects: flags['max-objects'] } : {}),
      });
    } finally {
      await session.close();
    }
    process.exitCode = await healthExitCode(report);
    return this.present(report, (r) => this.out.page(healthText(r, this.out.width)));
  }
}

/** `--threshold name=value ...` as numbers; a malformed one is a usage error naming it. */
function parseThresholds(pairs: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    const value = Number(pair.slice(eq + 1).trim());
    if (eq <= 0 || pair.slice(eq + 1).trim() === '' || !Number.isFinite(value))
      throw new UsageError(`--threshold ${pair}: expected name=number, e.g. idle_in_transaction_seconds=30`);
    out[name] = value;
  }
  return out;
}

const STATUS_WORD: Record<HealthCheckResult['status'], string> = {
  ok: 'OK',
  warn: 'WARN',
  crit: 'CRIT',
  skipped: 'SKIPPED',
};

/** A number as a person reads it: ratios as percentages, bytes in MB, the rest as they are. */
function figure(value: number | null, unit: HealthCheckResult['unit']): string {
  if (value === null) return '';
  if (unit === 'ratio') return `${(value * 100).toFixed(1)} %`;
  if (unit === 'bytes') return `${(value / 1024 / 1024).toFixed(1)} MB`;
  return `${value}${unit === 'seconds' ? ' s' : unit === 'milliseconds' ? ' ms' : ''}`;
}

/** One line per check, then each finding's objects and fix, then the tally. */
function healthText(r: HealthReport, width: number): string {
  const fields = ['status', 'check', 'value', 'threshold', 'found'].map((name) => ({ name, type: 'text' }));
  const rows = r.checks.map((c) => ({
    status: STATUS_WORD[c.status],
    check: c.name,
    value: figure(c.value, c.unit),
    threshold: figure(c.threshold, c.unit),
    found: c.reason,
  }));
  const lines = [
    `${r.server.flavor} ${r.server.version}`.trim(),
    renderTable(fields, rows, { maxWidth: width }),
  ];
  for (const c of r.checks) {
    if (c.status !== 'warn' && c.status !== 'crit') continue;
    lines.push('', `${STATUS_WORD[c.status]} ${c.name}: ${c.reason}`);
    for (const o of c.objects) lines.push(`  - ${objectText(o)}`);
    if (c.moreObjects > 0) lines.push(`  ... and ${c.moreObjects} more`);
    if (c.fix) lines.push(`  fix: ${c.fix}`);
  }
  const count = (s: HealthCheckResult['status']) => r.checks.filter((c) => c.status === s).length;
  lines.push(
    '',
    `${count('ok')} ok, ${count('warn')} warn, ${count('crit')} crit, ${count('skipped')} skipped`,
  );
  return `${lines.join('\n')}\n`;
}

function objectText(o: Readonly<Record<string, unknown>>): string {
  return Object.entries(o)
    .filter(([k, v]) => k !== 'fix' && v !== null && v !== undefined)
    .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(', ') : String(v)}`)
    .join(', ');
}
