import {
  ANALYZE_N_PLUS_ONE_DEFAULTS,
  analyzeNPlusOne,
  type LogFormat,
  type NPlusOneLogFinding,
  type NPlusOneLogReport,
} from '@aishell/engine';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../../base-command.js';
import { renderTable } from '../../output/table.js';

/** Below this size a log is read too fast for a progress line to help. */
const PROGRESS_MIN_BYTES = 32 * 1024 * 1024;

const FORMAT_NAMES: Record<string, string> = {
  'postgres/stderr': 'PostgreSQL log (stderr format)',
  'postgres/csvlog': 'PostgreSQL log (csvlog format)',
  'mysql/general-log': 'MySQL/MariaDB general query log',
};

export default class AnalyzeNPlusOne extends BaseCommand {
  static override summary = 'Find N+1 query patterns in a PostgreSQL or MySQL/MariaDB server log.';
  static override description =
    'Reads the log as a stream (any size), fingerprints every logged statement, and reports statements ' +
    'run --threshold or more times within --window milliseconds in one session (a PostgreSQL backend, a ' +
    'MySQL thread): typically a loop that runs one query per row of a previous result. The report shows ' +
    'normalized statements only, without literals; --verbose adds one example as logged, literals included. ' +
    'The server must log statements: docs/n-plus-one.md says how.';
  static override examples = [
    {
      description: 'A PostgreSQL log (log_statement = all, or log_min_duration_statement = 0)',
      command: '<%= config.bin %> analyze n-plus-one --log /var/log/postgresql/postgresql-15-main.log',
    },
    {
      description: 'A MariaDB general query log, as JSON',
      command: '<%= config.bin %> analyze n-plus-one --log /var/lib/mysql/host.log --format mysql --json',
    },
    {
      description: 'Stricter: 5 executions within 200 ms make an N+1',
      command: '<%= config.bin %> analyze n-plus-one --log app.log --threshold 5 --window 200',
    },
  ];
  static override flags = {
    log: Flags.string({ char: 'l', description: 'the server log file to read', required: true }),
    format: Flags.string({
      description: 'which server wrote the log (default: told from its first lines)',
      options: ['postgres', 'mysql'],
    }),
    threshold: Flags.integer({
      description: 'executions of one statement within the window, in one session, that make an N+1',
      default: ANALYZE_N_PLUS_ONE_DEFAULTS.threshold,
      min: 1,
    }),
    window: Flags.integer({
      description: 'width of the window, in milliseconds',
      default: ANALYZE_N_PLUS_ONE_DEFAULTS.windowMillis,
      min: 0,
    }),
  };

  async run(): Promise<NPlusOneLogReport> {
    const { flags } = await this.parse(AnalyzeNPlusOne);
    // A progress line on stderr is for a person watching, not for a script reading the document.
    const progress = this.jsonEnabled() ? undefined : progressLine(flags.log);
    let report: NPlusOneLogReport;
    try {
      report = await analyzeNPlusOne(flags.log, {
        ...(flags.format === undefined ? {} : { format: flags.format as LogFormat }),
        threshold: flags.threshold,
        windowMillis: flags.window,
        includeExamples: flags.verbose,
        ...(progress === undefined ? {} : { onProgress: progress.update }),
      });
    } finally {
      progress?.clear();
    }
    return this.present(report, (r) => reportText(r, flags.log, this.out.width));
  }
}

/** What was read, then a table of the findings and a hint for each. */
function reportText(report: NPlusOneLogReport, file: string, maxWidth: number): string {
  const kind = FORMAT_NAMES[`${report.format}/${report.layout}`] ?? report.format;
  const unparsed = report.unparsed > 0 ? ` (${report.unparsed} could not be parsed and were skipped)` : '';
  let text = `Read ${report.statements} statements from ${file}, a ${kind}${unparsed}.\n`;
  if (report.findings.length === 0) return `${text}No N+1 pattern found.\n`;
  const n = report.findings.length;
  text += `Found ${n} N+1 pattern${n === 1 ? '' : 's'}:\n\n`;
  const rows = report.findings.map((f, i) => ({
    '#': i + 1,
    times: f.count,
    'largest burst': f.largestBurst,
    sessions: f.sessions,
    span: spanText(f),
    statement: f.normalized,
  }));
  const fields = Object.keys(rows[0] ?? {}).map((name) => ({
    name,
    type: name === 'span' || name === 'statement' ? 'text' : 'int',
  }));
  text += `${renderTable(fields, rows, { maxWidth })}\n\n`;
  report.findings.forEach((f, i) => {
    text += `#${i + 1} ${f.fingerprint}: ${f.hint}\n`;
    if (f.example !== undefined) text += `   example: ${f.example}\n`;
  });
  return text;
}

function spanText(f: NPlusOneLogFinding): string {
  const span = f.spanMs < 1000 ? `${f.spanMs} ms` : `${(f.spanMs / 1000).toFixed(1)} s`;
  return `${span} from ${f.firstAt}`;
}

/** A percentage on stderr while a large log is read, on a terminal only. */
function progressLine(
  file: string,
): { update: (p: { bytesRead: number; totalBytes: number }) => void; clear: () => void } | undefined {
  if (!process.stderr.isTTY) return undefined;
  let shown = false;
  return {
    update: ({ bytesRead, totalBytes }) => {
      if (totalBytes < PROGRESS_MIN_BYTES) return;
      shown = true;
      process.stderr.write(`\rReading ${file}: ${Math.floor((bytesRead / totalBytes) * 100)}%`);
    },
    clear: () => {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
}
