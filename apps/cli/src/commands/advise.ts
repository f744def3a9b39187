import {
  type AdviseDocument,
  advise,
  type CreatedIndex,
  createIndexes,
  type IndexAdvice,
  type IndexBuildProgress,
  indexesToCreate,
  type Session,
  splitStatements,
  UsageError,
} from '@aishell/engine';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../base-command.js';
import { demoProgress } from '../demo-progress.js';
import { connectionFlag, sqlArg, sqlFileFlag } from '../flags.js';
import { readInput } from '../input.js';

export default class Advise extends BaseCommand {
  static override summary = 'Advise indexes, proven with hypothetical indexes (HypoPG), as dexter does.';
  static override description =
    'For the statements given (an argument, --file, or - for stdin), or the top statements of pg_stat_statements by ' +
    'total time (--top, --min-calls, --min-mean-ms, dexter’s filters): EXPLAIN each one, try the columns it filters, ' +
    'joins, sorts and groups on as HypoPG hypothetical indexes (one column, then two-column orders), and keep an index ' +
    'only when the planner uses it and the cost falls by half or more (a two-column index must halve the cost again ' +
    'against the best one-column index). Prints CREATE INDEX CONCURRENTLY statements with the cost before and after, ' +
    'the statements each one helps and its estimated size, then the unused and duplicate indexes to drop. Nothing is ' +
    'created: everything runs in a read-only transaction and the hypothetical indexes are reset. Without HypoPG (and on ' +
    'MySQL/MariaDB and SQLite) the candidates come from the plan and are marked unproven, with the reason and how to ' +
    'install it. --create builds the proven indexes concurrently after confirmation (--yes, or a prompt on a terminal; ' +
    'exit 5 otherwise), showing progress on a terminal.';
  static override examples = [
    {
      description: 'The top 10 statements of pg_stat_statements',
      command: '<%= config.bin %> advise -c prod',
    },
    {
      description: 'One statement (parameters as pg_stat_statements shows them are fine)',
      command: '<%= config.bin %> advise "select * from orders where customer_id = $1" -c prod',
    },
    {
      description: 'The statements of a file, as JSON',
      command: '<%= config.bin %> advise --file slow.sql -c prod --json',
    },
    {
      description: 'The 20 costliest statements called 100 times or more, and build what is proven',
      command: '<%= config.bin %> advise --top 20 --min-calls 100 -c prod --create --yes',
    },
  ];
  static override args = { sql: sqlArg };
  static override flags = {
    connection: connectionFlag,
    file: sqlFileFlag,
    top: Flags.integer({
      description: 'advise on the N statements of pg_stat_statements with the most total time (default 10)',
      min: 1,
      max: 1000,
    }),
    'min-calls': Flags.integer({
      description: 'with --top: only statements called at least N times',
      min: 0,
    }),
    'min-mean-ms': Flags.string({
      description: 'with --top: only statements with a mean time of at least X ms',
    }),
    create: Flags.boolean({
      description: 'build the proven indexes (CREATE INDEX CONCURRENTLY) after confirmation',
    }),
    yes: Flags.boolean({ char: 'y', description: 'with --create: build without asking' }),
  };

  async run(): Promise<AdviseDocument> {
    const { args, flags } = await this.parse(Advise);
    const given = args.sql !== undefined || flags.file !== undefined;
    if (
      given &&
      (flags.top !== undefined || flags['min-calls'] !== undefined || flags['min-mean-ms'] !== undefined)
    )
      throw new UsageError('give statements or --top (with --min-calls, --min-mean-ms), not both');
    if (flags.yes && !flags.create) throw new UsageError('--yes goes with --create');
    const minMeanMs = flags['min-mean-ms'] === undefined ? undefined : Number(flags['min-mean-ms']);
    if (minMeanMs !== undefined && (!Number.isFinite(minMeanMs) || minMeanMs < 0))
      throw new UsageError(
        `--min-mean-ms ${flags['min-mean-ms']}: expected a number of milliseconds, 0 or more`,
      );
    const text = given ? await readInput(args.sql, flags.file) : undefined;
    const progress = demoProgress();
    const session = await this.openSession({
      ...(flags.connection ? { connection: flags.connection } : {}),
      ...(progress ? { onDemoProgress: progress } : {}),
      history: false,
    });
    let doc: AdviseDocument;
    try {
      const statements =
        text === undefined ? undefined : splitStatements(text, session.sqlDialect).map((s) => s.text);
      if (statements !== undefined && statements.length === 0) throw new UsageError('no statement given');
      doc = await advise(session, {
        ...(statements ? { statements } : {}),
        ...(flags.top !== undefined ? { top: flags.top } : {}),
        ...(flags['min-calls'] !== undefined ? { minCalls: flags['min-calls'] } : {}),
        ...(minMeanMs !== undefined ? { minMeanMs } : {}),
      });
      if (!this.jsonEnabled()) await this.out.write(adviceText(doc));
      if (flags.create) {
        const created = await this.#create(session, doc, flags.yes);
        doc = { ...doc, created };
      }
    } finally {
      await session.close();
    }
    return doc;
  }

  /** Builds the proven indexes: asks on a terminal unless --yes, refuses (exit 5) where nobody can be asked. */
  async #create(session: Session, doc: AdviseDocument, yes: boolean): Promise<CreatedIndex[]> {
    const todo = indexesToCreate(doc);
    if (todo.length === 0) {
      this.note(
        doc.indexes.length > 0
          ? 'aishell: nothing to create: no advised index is proven (review the unproven ones and run them yourself)'
          : 'aishell: nothing to create',
      );
      return [];
    }
    const tty = process.stdin.isTTY === true && process.stderr.isTTY === true;
    const controller = new AbortController();
    // Ctrl-C cancels the build; the INVALID index it leaves is dropped before the command ends.
    const onSignal = () => controller.abort(new Error('interrupted'));
    process.once('SIGINT', onSignal);
    try {
      const created = await createIndexes(session, doc, {
        confirmed: yes,
        ...(tty ? { confirm: confirmBuild } : {}),
        ...(process.stderr.isTTY ? { onProgress: showProgress } : {}),
        signal: controller.signal,
      });
      for (const c of created)
        this.note(`aishell: created ${c.name} on ${c.table} in ${formatMs(c.durationMs)}`);
      return created;
    } finally {
      process.off('SIGINT', onSignal);
    }
  }
}

async function confirmBuild(statements: readonly string[]): Promise<boolean> {
  process.stderr.write(
    `This builds (without blocking writes):\n${statements.map((s) => `  ${s}`).join('\n')}\n`,
  );
  const { default: confirm } = await import('@inquirer/confirm');
  return confirm(
    { message: `Build ${statements.length === 1 ? 'it' : 'them'}?`, default: false },
    { output: process.stderr },
  );
}

function showProgress(p: IndexBuildProgress): void {
  if (p.phase === 'done') {
    process.stderr.write(`\r\x1b[2K`);
    return;
  }
  const share =
    p.blocksTotal && p.blocksDone !== null
      ? ` ${Math.round((p.blocksDone / p.blocksTotal) * 100)} % of blocks`
      : p.tuplesTotal && p.tuplesDone !== null
        ? ` ${Math.round((p.tuplesDone / p.tuplesTotal) * 100)} % of rows`
        : '';
  process.stderr.write(`\r\x1b[2Kbuilding ${p.index} (${p.position}/${p.count}): ${p.phase}${share}`);
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

function cost(n: number | null): string {
  return n === null ? '?' : n.toLocaleString('en-US', { maximumFractionDigits: n >= 100 ? 0 : 2 });
}

function bytes(n: number | null): string {
  if (n === null) return 'size unknown';
  if (n >= 1024 * 1024) return `about ${(n / 1024 / 1024).toFixed(1)} MB`;
  return `about ${Math.max(1, Math.round(n / 1024))} kB`;
}

/** A statement on one line, cut where it is long. */
function oneLine(sql: string, max = 100): string {
  const line = sql.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function indexLines(i: IndexAdvice): string[] {
  const lines = [`  ${i.sql}`];
  if (i.proven) {
    const drop = i.costBefore ? Math.round((1 - (i.costAfter ?? 0) / i.costBefore) * 100) : 0;
    lines.push(`    cost ${cost(i.costBefore)} -> ${cost(i.costAfter)} (-${drop} %), ${bytes(i.sizeBytes)}`);
  } else {
    // What makes it unproven is said once, in the notes (or HypoPG's hint at the top).
    const why = i.reason.split(' — ')[0];
    lines.push(`    unproven${i.costBefore !== null ? `, cost now ${cost(i.costBefore)}` : ''}: ${why}`);
  }
  for (const s of i.statementCosts)
    lines.push(
      `    - ${oneLine(s.statement)}${s.costAfter !== null ? `  (${cost(s.costBefore)} -> ${cost(s.costAfter)})` : ''}`,
    );
  return lines;
}

/** The advice as a person reads it: indexes to create, to drop, then each statement's outcome. */
function adviceText(doc: AdviseDocument): string {
  const proof =
    doc.hypopg.state === 'ready'
      ? `proven with HypoPG ${doc.hypopg.version}`
      : 'not proven (candidates from the plan)';
  const lines = [
    `${doc.dialect}: ${doc.statements.length} statement${doc.statements.length === 1 ? '' : 's'}${doc.source === 'pg_stat_statements' ? ' from pg_stat_statements' : ''}, ${proof}`,
  ];
  if (doc.hypopg.hint) lines.push(`  ${doc.hypopg.hint}`);
  lines.push('');
  if (doc.indexes.length === 0) lines.push('No index to create.');
  else {
    lines.push(doc.indexes.every((i) => i.proven) ? 'Indexes to create:' : 'Index candidates:');
    for (const i of doc.indexes) lines.push(...indexLines(i));
  }
  if (doc.drop.length > 0) {
    lines.push('', 'Indexes to drop:');
    for (const d of doc.drop) {
      const scans = d.indexScans !== null ? `, ${d.indexScans} scans` : '';
      lines.push(`  ${d.sql}`, `    ${d.reason}; ${bytes(d.sizeBytes)}${scans}`);
    }
  }
  if (doc.statements.length > 0) {
    lines.push('', 'Statements:');
    for (const s of doc.statements) {
      const figures = s.costAfter !== null ? ` ${cost(s.costBefore)} -> ${cost(s.costAfter)}` : '';
      const calls = s.calls !== undefined ? ` (${s.calls} calls, mean ${s.meanMs} ms)` : '';
      lines.push(`  ${s.status.padEnd(8)}${figures}  ${oneLine(s.sql)}${calls}`);
      if (s.status !== 'improved') lines.push(`            ${s.reason}`);
    }
  }
  for (const n of doc.notes) if (!doc.hypopg.hint || !n.includes(doc.hypopg.hint)) lines.push('', n);
  return `${lines.join('\n')}\n`;
}
