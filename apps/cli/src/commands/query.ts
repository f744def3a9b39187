import type { StatementResult } from '@aishell/engine';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../base-command.js';
import { riskPrompt } from '../confirm-risk.js';
import { demoProgress } from '../demo-progress.js';
import { connectionFlag, redisFlag, sqlArg, sqlFileFlag } from '../flags.js';
import { readInput } from '../input.js';
import { toJson } from '../output/format-value.js';
import {
  type CsvOptions,
  csvHeader,
  csvRow,
  FORMATS,
  type OutputFormat,
  renderStatement,
  resultsJson,
} from '../output/render-result.js';

export default class Query extends BaseCommand {
  static override summary = 'Run SQL on a connection and print the result.';
  static override description =
    'Runs one statement or a whole script (statements separated by `;`). Every statement is analysed first: ' +
    'a high or critical risk statement (DROP, TRUNCATE, DELETE without WHERE, ...) does not run without --yes ' +
    '(on a terminal you are asked instead). Large results stream in bounded memory with --format ndjson or csv.';
  static override examples = [
    {
      description: 'Query the embedded demo shop',
      command: '<%= config.bin %> query "select name, price from products order by price desc limit 5"',
    },
    {
      description: 'JSON for scripts',
      command: '<%= config.bin %> query "select count(*) from orders" --json',
    },
    {
      description: 'A saved connection, as CSV',
      command: '<%= config.bin %> query "select * from users" -c prod --format csv > users.csv',
    },
    {
      description: 'Run a script file inside a read-only transaction',
      command: '<%= config.bin %> query --file report.sql --read-only',
    },
    { description: 'SQL from stdin', command: 'echo "select 1" | <%= config.bin %> query -' },
    {
      description: 'Cache the result in Redis for a minute (a second run is served from the cache)',
      command:
        '<%= config.bin %> query "select count(*) from orders" --cache --ttl 60 --redis redis://127.0.0.1:6379',
    },
    {
      description: 'Confirm a risky statement',
      command: '<%= config.bin %> query "delete from sessions" --yes',
    },
  ];
  static override args = { sql: sqlArg };
  static override flags = {
    connection: connectionFlag,
    format: Flags.string({ char: 'f', description: 'output format', options: [...FORMATS] }),
    yes: Flags.boolean({ char: 'y', description: 'run high and critical risk statements without asking' }),
    'read-only': Flags.boolean({ description: 'run the whole input inside a read-only transaction' }),
    timeout: Flags.integer({ description: 'statement timeout in milliseconds', min: 1 }),
    cache: Flags.boolean({
      description:
        'require the Redis query cache (exit 3 if Redis is down); --no-cache neither reads nor fills it ' +
        '(default: used when a Redis URL is set, skipped with a note when Redis is down)',
      allowNo: true,
      helpGroup: 'CACHE',
    }),
    ttl: Flags.integer({
      description: 'cache time-to-live in seconds (default 300)',
      min: 1,
      helpGroup: 'CACHE',
    }),
    redis: redisFlag,
    file: sqlFileFlag,
    'csv-safe': Flags.boolean({
      description:
        "with --format csv: prefix fields that begin with = + - @ (not numbers) with ' so spreadsheets do not run them as formulas",
    }),
  };

  async run(): Promise<QueryDocument | undefined> {
    const { args, flags } = await this.parse(Query);
    const sql = await readInput(args.sql, flags.file);
    // --json means one JSON document on stdout, whatever --format says, except NDJSON (PRODUCT.md).
    const requested = flags.format as OutputFormat | undefined;
    const format: OutputFormat = this.jsonEnabled()
      ? requested === 'ndjson'
        ? 'ndjson'
        : 'json'
      : (requested ?? 'table');
    const progress = demoProgress();
    let warned = false;
    const session = await this.openSession({
      ...(flags.connection ? { connection: flags.connection } : {}),
      ...(progress ? { onDemoProgress: progress } : {}),
      ...(flags.redis ? { redis: flags.redis } : {}),
      ...(flags.cache === undefined ? {} : { cache: flags.cache }),
      onCacheError: (error) => {
        // One note per command, however many statements met the failure.
        if (warned) return;
        warned = true;
        this.note(`aishell: query cache skipped: ${error.message}`);
      },
    });
    try {
      const confirm = riskPrompt();
      const options = {
        readOnly: flags['read-only'],
        confirmed: flags.yes,
        ...(confirm ? { confirm } : {}),
        ...(flags.timeout ? { timeoutMillis: flags.timeout } : {}),
        ...(flags.ttl ? { ttlSeconds: flags.ttl } : {}),
      };
      // A stream is never cached: with --cache the rows are read whole so that they can be stored.
      if ((format === 'ndjson' || format === 'csv') && flags.cache !== true) {
        const analysis = await session.analyze(sql);
        const only = analysis.statements.length === 1 ? analysis.statements[0] : undefined;
        if (only && only.kind === 'select' && only.readOnly) {
          // Rows as they arrive, in bounded memory: no document (BaseCommand's exception).
          await this.#stream(session, sql, format, options, { safe: flags['csv-safe'] });
          return undefined;
        }
      }
      const { results } = await session.run(sql, options);
      // The document for --format json (and --json); the other formats are text, not a document.
      if (format === 'json') return await this.present(resultsJson(results), (doc) => this.out.json(doc));
      await this.#print(results, format, { safe: flags['csv-safe'] });
      return undefined;
    } finally {
      await session.close();
    }
  }

  async #stream(
    session: Awaited<ReturnType<BaseCommand['openSession']>>,
    sql: string,
    format: 'ndjson' | 'csv',
    options: Parameters<Awaited<ReturnType<BaseCommand['openSession']>>['stream']>[1],
    csv: CsvOptions,
  ): Promise<void> {
    const { rows } = await session.stream(sql, options);
    try {
      let fields: { name: string; type: string }[] | undefined;
      for await (const row of rows) {
        if (format === 'csv') {
          if (!fields) {
            fields = await rows.fields();
            await this.out.write(csvHeader(fields, csv));
          }
          await this.out.write(csvRow(fields, row, csv));
        } else {
          await this.out.write(`${toJson(row)}\n`);
        }
        if (this.out.broken) break;
      }
      if (format === 'csv' && !fields) await this.out.write(csvHeader(await rows.fields(), csv));
    } finally {
      await rows.close();
    }
  }

  /** The results in a text format (table, markdown, csv, ndjson). */
  async #print(results: readonly StatementResult[], format: OutputFormat, csv: CsvOptions): Promise<void> {
    const parts = results.map((r) => renderStatement(r, format, this.out.width, 'off', csv));
    if (format === 'table' || format === 'markdown') await this.out.page(parts.join('\n\n'));
    else await this.out.write(parts.join(''));
  }
}

/** PRODUCT.md's `query --json`: one statement's `{ command, rowCount, fields, rows, durationMs, cached }`, or `{ results: [...] }` for a script. */
export type QueryDocument = ReturnType<typeof resultsJson>;
