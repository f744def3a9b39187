import { type AskProvider, type AskResult, ask } from '@aishell/engine';
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../base-command.js';
import { demoProgress } from '../demo-progress.js';
import { connectionFlag } from '../flags.js';
import { toJson } from '../output/format-value.js';
import { FORMATS, type OutputFormat, renderStatement, statementJson } from '../output/render-result.js';
import type { OutputSink } from '../output/sink.js';

export default class Ask extends BaseCommand {
  static override summary =
    'Ask a question in plain English; aishell writes the SQL, shows it, and runs it read-only.';
  static override description =
    'The offline translator turns the question into one SELECT with every value a bound parameter, checks it, and runs ' +
    'it inside a READ ONLY transaction with a statement timeout. It never writes data: a request such as ' +
    '"delete all customers" is refused (exit 4) with a hint to write SQL. When the question is not understood well ' +
    'enough, nothing runs and aishell says which words it did not understand and suggests wordings (exit 4).\n\n' +
    'With --provider openai or anthropic (or AISHELL_NL_PROVIDER) a language model writes the SQL instead; it is sent ' +
    'the schema (tables, columns, keys, comments) and the question, never rows. Its SQL is held to the same rule: one ' +
    'read-only SELECT, else exit 4. Keys come from OPENAI_API_KEY / ANTHROPIC_API_KEY; OPENAI_BASE_URL points at any ' +
    'OpenAI-compatible server (Ollama, vLLM).';
  static override examples = [
    { description: 'Ask the demo shop', command: '<%= config.bin %> ask "show me all users"' },
    {
      description: 'See the SQL without running it',
      command: "<%= config.bin %> ask 'find customers who spent over $1000' --dry-run",
    },
    {
      description: 'JSON for scripts',
      command: '<%= config.bin %> ask "number of customers per country" --json',
    },
    {
      description: 'Let a language model write the SQL (OPENAI_API_KEY set)',
      command: '<%= config.bin %> ask "revenue per month this year" --provider openai --model gpt-4.1',
    },
    {
      description: 'A local model through Ollama',
      command:
        'OPENAI_BASE_URL=http://localhost:11434/v1 <%= config.bin %> ask "top customers" --provider openai --model llama3.1',
    },
    {
      description: 'Another database',
      command: '<%= config.bin %> ask "top 5 most expensive products" -c postgres://me@localhost/shop',
    },
  ];
  static override args = {
    question: Args.string({
      ignoreStdin: true,
      description: 'the question, in plain English',
      required: true,
    }),
  };
  static override flags = {
    connection: connectionFlag,
    'dry-run': Flags.boolean({ description: 'show the SQL and its explanation without running it' }),
    explain: Flags.boolean({ description: 'also print the explanation when the output is not a terminal' }),
    // No default here: without the flag, AISHELL_NL_PROVIDER decides (then offline).
    provider: Flags.string({
      description: 'translator (default: AISHELL_NL_PROVIDER, then offline)',
      options: ['offline', 'anthropic', 'openai'],
    }),
    model: Flags.string({
      description:
        'model of an LLM provider (default: AISHELL_NL_MODEL, then gpt-4.1-mini / claude-sonnet-4-6)',
    }),
    'provider-timeout': Flags.integer({
      description:
        'time limit of one request to the LLM provider, in milliseconds (default 60000; 2 retries)',
      min: 1,
    }),
    yes: Flags.boolean({ char: 'y', description: 'accepted for symmetry with query: ask only ever reads' }),
    format: Flags.string({ char: 'f', description: 'output format of the result', options: [...FORMATS] }),
    timeout: Flags.integer({ description: 'statement timeout in milliseconds', min: 1 }),
  };

  async run(): Promise<AskDocument | undefined> {
    const { args, flags } = await this.parse(Ask);
    const format: OutputFormat =
      (flags.format as OutputFormat | undefined) ?? (this.jsonEnabled() ? 'json' : 'table');
    const progress = demoProgress();
    const session = await this.openSession({
      ...(flags.connection ? { connection: flags.connection } : {}),
      ...(progress ? { onDemoProgress: progress } : {}),
    });
    try {
      const answer = await ask(session, args.question, {
        dryRun: flags['dry-run'],
        provider: flags.provider as AskProvider | undefined,
        model: flags.model,
        providerTimeoutMillis: flags['provider-timeout'],
        ...(flags.timeout ? { timeoutMillis: flags.timeout } : {}),
      });
      // The document for --format json, which --json implies. Another --format prints the SQL and the
      // rows in that format, with --json too: a result format, not a document (BaseCommand's exception).
      if (format === 'json') return await this.present(askDocument(answer), (doc) => this.out.json(doc));
      await showAnswer(this.out, answer, format, flags.explain || flags['dry-run']);
      return undefined;
    } finally {
      await session.close();
    }
  }
}

/** PRODUCT.md's `ask --json`: the answer, with the result as `query --json` has it (absent with --dry-run). */
export type AskDocument = Omit<AskResult, 'result'> & { readonly result?: Record<string, unknown> };

function askDocument(answer: AskResult): AskDocument {
  const { result, ...rest } = answer;
  return result ? { ...rest, result: statementJson(result) } : rest;
}

/** The answer in a result format: on a terminal (or with --explain) the SQL and its explanation first, so the person sees what ran. */
async function showAnswer(
  out: OutputSink,
  answer: AskResult,
  format: OutputFormat,
  explain: boolean,
): Promise<void> {
  if (process.stdout.isTTY === true || explain) {
    const params = answer.params.length > 0 ? `\n-- params: ${toJson(answer.params)}` : '';
    await out.write(
      `${answer.sql}${params}\n-- ${answer.explanation} (${answer.model ? `${answer.engine} ${answer.model}, ` : ''}confidence ${answer.confidence})\n\n`,
    );
  }
  if (!answer.result) return;
  const text = renderStatement(answer.result, format, out.width);
  if (format === 'table' || format === 'markdown') await out.page(text);
  else await out.write(text);
}
