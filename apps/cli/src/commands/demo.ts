import {
  type AishellPaths,
  type EnsureDemoResult,
  ensureDemo,
  loadConfig,
  resolveConnectionTarget,
  resolvePaths,
} from '@aishell/engine';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../base-command.js';
import { demoProgress } from '../demo-progress.js';

export default class Demo extends BaseCommand {
  static override summary = 'Create (once) or reset the embedded demo database, an online shop in PGlite.';
  static override description =
    'The demo is a PostgreSQL database (PGlite, no server needed) under $XDG_DATA_HOME/aishell/demo with customers, ' +
    'products, categories, orders, order items, payments, reviews, employees and support tickets. It is what ' +
    'aishell uses when no connection is configured anywhere.';
  static override examples = [
    { description: 'Create the demo (nothing happens if it exists)', command: '<%= config.bin %> demo' },
    { description: 'Start over with fresh demo data', command: '<%= config.bin %> demo --reset' },
    { description: 'Where is it?', command: '<%= config.bin %> demo --path' },
    {
      description: 'Query it',
      command:
        '<%= config.bin %> query "select country, count(*) from customers group by 1 order by 2 desc" -c demo',
    },
  ];
  static override flags = {
    reset: Flags.boolean({ description: 'drop the demo database and create it again' }),
    path: Flags.boolean({ description: 'print the demo database folder and exit' }),
  };

  async run(): Promise<DemoDocument | { path: string }> {
    const { flags } = await this.parse(Demo);
    const paths = resolvePaths();
    if (flags.path) return this.present({ path: paths.demoDir }, (doc) => `${doc.path}\n`);
    const progress = demoProgress();
    const result = await ensureDemo(paths, {
      reset: flags.reset,
      ...(progress ? { onProgress: progress } : {}),
    });
    const doc = { path: result.path, created: result.created, durationMs: Math.round(result.durationMs) };
    // The text gives the time from the exact duration, not the document's whole milliseconds.
    return this.present(doc, async () => this.out.write(await demoText(result, paths, this.config.bin)));
  }
}

/** `demo --json` */
export interface DemoDocument {
  readonly path: string;
  /** False when the demo existed already (and --reset was not given). */
  readonly created: boolean;
  readonly durationMs: number;
}

/** Where the demo is and, when it was just built, how to query it. */
async function demoText(result: EnsureDemoResult, paths: AishellPaths, bin: string): Promise<string> {
  if (!result.created)
    return `Demo database already exists at ${result.path} (use --reset to recreate it).\n`;
  // `-c demo` unless commands without -c already land on the demo (nothing else is configured).
  const target = resolveConnectionTarget(undefined, {
    env: process.env,
    config: await loadConfig(paths),
    paths,
  });
  const on = target.isDemo ? '' : ' -c demo';
  return `Demo database ready at ${result.path} (${(result.durationMs / 1000).toFixed(1)} s).\nTry: ${bin} query "select * from customers limit 5"${on}\n`;
}
