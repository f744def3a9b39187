import {
  type AskContextDocument,
  type AskOptions,
  type AskProvider,
  type AskResult,
  ask,
  askContext,
  loadConfig,
  resolvePaths,
} from '@aishell/engine';
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../base-command.js';
import { riskPrompt } from '../confirm-risk.js';
import { demoProgress } from '../demo-progress.js';
import { connectionFlag } from '../flags.js';
import { toJson } from '../output/format-value.js';
import { FORMATS, type OutputFormat, renderStatement, statementJson } from '../output/render-result.js';
import type { OutputSink } from '../output/sink.js';
import { redact, registerSecret } from '../redact.js';

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
    'read-only SELECT, else exit 4. Keys come from OPENAI_API_KEY / ANTHROPIC_API_KEY, else from the vault ' +
    '(aishell vault add openai-api-key / anthropic-api-key); OPENAI_BASE_URL points at any OpenAI-compatible server ' +
    '(Ollama, vLLM).\n\n' +
    'Only the tables the question needs are sent, at the --context level (names, types, comments: the default, or ' +
    'samples, which adds a few stored values per text column); --show-context prints exactly what would be sent and ' +
    "sends nothing. The model's SQL is parsed, checked against the schema and EXPLAINed without running; on a " +
    'failure the error goes back to the model, at most twice more (--max-repairs). A write the model proposes is ' +
    'shown with its risk and runs only after confirmation or --yes (exit 5 otherwise).';
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
      description: 'See exactly what would be sent to the model, sending nothing',
      command: '<%= config.bin %> ask "orders per customer" --provider openai --show-context',
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
    context: Flags.string({
      description:
        'how much of the schema a model is told (default: nl.context of the config, then comments)',
      options: ['names', 'types', 'comments', 'samples'],
    }),
    'show-context': Flags.boolean({
      description:
        'print exactly what would be sent to the model (system prompt, schema, conversation) and send nothing',
    }),
    'token-budget': Flags.integer({
      description: 'upper bound of the schema part of the prompt, in estimated tokens (default 4000)',
      min: 100,
    }),
    'max-repairs': Flags.integer({
      description: "further tries after the model's SQL fails its checks (default 2)",
      min: 0,
      max: 10,
    }),
    yes: Flags.boolean({
      char: 'y',
      description: 'run a write the model proposes without asking (offline answers only ever read)',
    }),
    format: Flags.string({ char: 'f', description: 'output format of the result', options: [...FORMATS] }),
    timeout: Flags.integer({ description: 'statement timeout in milliseconds', min: 1 }),
  };

  async run(): Promise<AskDocument | AskContextDocument | undefined> {
    const { args, flags } = await this.parse(Ask);
    const format: OutputFormat =
      (flags.format as OutputFormat | undefined) ?? (this.jsonEnabled() ? 'json' : 'table');
    const progress = demoProgress();
    const session = await this.openSession({
      ...(flags.connection ? { connection: flags.connection } : {}),
      ...(progress ? { onDemoProgress: progress } : {}),
    });
    try {
      const config = await loadConfig(resolvePaths());
      const secrets = await this.secrets();
      const options: AskOptions = {
        dryRun: flags['dry-run'],
        provider: flags.provider as AskProvider | undefined,
        model: flags.model,
        providerTimeoutMillis: flags['provider-timeout'],
        context: flags.context as AskOptions['context'],
        tokenBudget: flags['token-budget'],
        maxRepairs: flags['max-repairs'],
        nlConfig: config.nl,
        confirmed: flags.yes,
        // Under --json nobody is asked: a proposed write without --yes is refused (exit 5).
        ...(this.jsonEnabled() ? {} : withConfirm()),
        secret: async (entry) => {
          const value = await secrets.resolve(entry);
          registerSecret(value);
          return value;
        },
        ...(flags.timeout ? { timeoutMillis: flags.timeout } : {}),
      };
      if (flags['show-context']) {
        const doc = await askContext(session, args.question, options);
        return await this.present(doc, async () => this.out.write(contextText(doc)));
      }
      const answer = await ask(session, args.question, options);
      const omitted = answer.context?.omitted ?? [];
      if (omitted.length > 0 && format !== 'json') {
        // On stderr, whatever the format: the answer was written without these tables.
        this.note(
          `aishell: ${omitted.length} table${omitted.length === 1 ? '' : 's'} left out of the prompt to fit its budget (--token-budget): ${omitted.join(', ')}`,
        );
      }
      // The document for --format json, which --json implies. Another --format prints the SQL and the
      // rows in that format, with --json too: a result format, not a document (BaseCommand's exception).
      if (format === 'json') return await this.present(askDocument(answer), (doc) => this.out.json(doc));
      await showAnswer(this.out, answer, format, flags.explain || flags['dry-run']);
      return undefined;
    } finally {
      await session.close();
    }
  }

  /** A model that failed every try: under --json the error also gives the last SQL, the tries and what each failed on. */
  override async catch(error: Error & { code?: unknown; repairs?: unknown }): Promise<void> {
    if (!this.jsonEnabled() || !Array.isArray(error.repairs)) return super.catch(error);
    const e = error as Error & {
      code: string;
      hint?: string;
      sql?: string;
      attempts?: number;
      repairs: unknown[];
    };
    const body = {
      code: e.code,
      message: redact(e.message.split('\n')[0] ?? ''),
      ...(e.hint ? { hint: redact(e.hint) } : {}),
      sql: e.sql ?? '',
      attempts: e.attempts ?? e.repairs.length,
      repairs: e.repairs,
    };
    await this.out.write(`${redact(JSON.stringify({ error: body }))}\n`);
    process.exitCode = 4;
  }
}

/** The confirmation of a proposed write, where a person can answer (a terminal). */
function withConfirm(): Pick<AskOptions, 'confirm'> {
  const prompt = riskPrompt();
  return prompt ? { confirm: prompt } : {};
}

/** `--show-context` as text: a summary line, then each part as sent. */
function contextText(doc: AskContextDocument): string {
  const model = doc.model ? ` (${doc.model})` : '';
  const lines = [
    `-- provider ${doc.provider}${model}; context ${doc.level}; ${doc.tables.length} table${doc.tables.length === 1 ? '' : 's'}: ${doc.tables.join(', ')}; about ${doc.tokens} of ${doc.tokenBudget} tokens`,
  ];
  if (doc.omitted.length > 0) lines.push(`-- left out to fit the budget: ${doc.omitted.join(', ')}`);
  lines.push(
    doc.provider === 'offline'
      ? '-- nothing was sent (offline: nothing ever is; this is what --provider openai|anthropic would send)'
      : '-- nothing was sent',
    '',
    '=== system',
    doc.system,
  );
  for (const m of doc.messages) lines.push('', `=== ${m.role}`, m.content);
  return `${lines.join('\n')}\n`;
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
    const notes: string[] = [];
    if (answer.understoodAs) notes.push(`-- read as: ${answer.understoodAs}`);
    if (answer.attempts && answer.attempts > 1)
      notes.push(
        `-- repaired: ${answer.attempts} answers, the first ${answer.attempts - 1} failed (${answer.repairs?.map((r) => r.error).join('; ')})`,
      );
    if (answer.write)
      notes.push(
        `-- a ${answer.write.kind.toUpperCase()}: ${answer.write.risk} risk${answer.write.reasons.length > 0 ? ` (${answer.write.reasons.join('; ')})` : ''}`,
      );
    await out.write(
      `${answer.sql}${params}\n-- ${answer.explanation} (${answer.model ? `${answer.engine} ${answer.model}, ` : ''}confidence ${answer.confidence})\n${notes.map((n) => `${n}\n`).join('')}\n`,
    );
  }
  if (!answer.result) return;
  const text = renderStatement(answer.result, format, out.width);
  if (format === 'table' || format === 'markdown') await out.page(text);
  else await out.write(text);
}
