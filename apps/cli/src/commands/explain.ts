import { text } from 'node:stream/consumers';
import {
  type AnalyzedPlan,
  type ExplainDocument,
  explain,
  explainPlanText,
  planDocument,
  renderPlanText,
  UsageError,
} from '@aishell/engine';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../base-command.js';
import { riskPrompt } from '../confirm-risk.js';
import { demoProgress } from '../demo-progress.js';
import { connectionFlag, sqlArg } from '../flags.js';
import { readInput, readTextFile } from '../input.js';

export default class Explain extends BaseCommand {
  static override summary =
    'Show how the database runs a statement: a plan tree with what matters marked, as pev2 does.';
  static override description =
    "Runs EXPLAIN in the engine's JSON form (PostgreSQL FORMAT JSON, MySQL/MariaDB FORMAT=JSON, SQLite EXPLAIN QUERY " +
    'PLAN) and shows the tree: node, relation and index, cost, estimated and actual rows, loops, exclusive and ' +
    'inclusive time, buffers, with findings (slow and costly nodes, misestimates, filters that drop most rows, disk ' +
    'sorts, hash batches, large sequential scans, nested loops over many rows, heap fetches, missing workers) and a ' +
    'summary of what to try. --analyze executes the statement (ANALYZE, BUFFERS): one that writes runs in a ' +
    'transaction that is rolled back, and only with --yes or your confirmation. --plan-file reads a saved plan ' +
    "(PostgreSQL JSON, psql's text, auto_explain's log entry, MySQL/MariaDB JSON) without connecting.";
  static override examples = [
    {
      description: 'The plan of a query on the demo',
      command: '<%= config.bin %> explain "select * from orders where customer_id = 42"',
    },
    {
      description: 'Measure it (the query runs)',
      command: '<%= config.bin %> explain "select count(*) from order_items" --analyze -c prod',
    },
    {
      description: 'A plan saved from psql',
      command: 'psql -c "explain analyze ..." | <%= config.bin %> explain --plan-file -',
    },
    {
      description: 'As JSON for other tools',
      command: '<%= config.bin %> explain --plan-file plan.json --json',
    },
  ];
  static override args = { sql: sqlArg };
  static override flags = {
    connection: connectionFlag,
    analyze: Flags.boolean({ description: 'execute the statement to measure it (writes are rolled back)' }),
    yes: Flags.boolean({
      char: 'y',
      description: 'under --analyze, execute a statement that writes without asking',
    }),
    'plan-file': Flags.string({
      description: 'read a saved plan from a file (- for stdin) instead of connecting',
    }),
  };

  async run(): Promise<ExplainDocument> {
    const { args, flags } = await this.parse(Explain);
    let plan: AnalyzedPlan;
    if (flags['plan-file'] !== undefined) {
      if (args.sql !== undefined) throw new UsageError('give a statement or --plan-file, not both');
      const file = flags['plan-file'];
      plan = await explainPlanText(file === '-' ? await text(process.stdin) : await readTextFile(file));
    } else {
      const sql = await readInput(args.sql, undefined);
      const progress = demoProgress();
      const session = await this.openSession({
        ...(flags.connection ? { connection: flags.connection } : {}),
        ...(progress ? { onDemoProgress: progress } : {}),
        history: false,
      });
      try {
        const confirm = riskPrompt();
        plan = await explain(session, sql, {
          analyze: flags.analyze,
          confirmed: flags.yes,
          ...(confirm ? { confirm } : {}),
        });
      } finally {
        await session.close();
      }
    }
    const document = await planDocument(plan);
    const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
    return this.present(document, async () => this.out.page(await renderPlanText(plan, { color })));
  }
}
