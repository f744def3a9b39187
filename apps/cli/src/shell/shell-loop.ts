import path from 'node:path';
import {
  type AishellPaths,
  type AskResult,
  type AskTurn,
  ask,
  loadConfig,
  type Risk,
  type Session,
  type StatementResult,
} from '@aishell/engine';
import { toJson } from '../output/format-value.js';
import type { OutputSink } from '../output/sink.js';
import { highlightInput } from './highlight.js';
import { History } from './history.js';
import { inputComplete, inputKind } from './input-kind.js';
import { LineEditor } from './line-editor.js';
import { runMetaCommand } from './meta-commands.js';
import { ShellOutput } from './pager.js';
import { PipedInput } from './piped-input.js';
import { ShellCompleter } from './shell-completer.js';
import { defaultSettings, type ShellSettings } from './shell-settings.js';
import {
  probeTransaction,
  promptMarker,
  stateAfter,
  stateAfterError,
  type TransactionState,
} from './transaction-state.js';
import { interpolate } from './variables.js';

export interface ShellOptions {
  /** Opens a session on a connection (`-c`, `\c`): the command's openSession, so the vault and notes apply. */
  readonly openSession: (connection: string | undefined) => Promise<Session>;
  readonly session: Session;
  readonly paths: AishellPaths;
  readonly sink: OutputSink;
  /** `--read-only`: every statement runs in a read-only transaction; anything else is refused. */
  readonly readOnly: boolean;
  readonly input?: NodeJS.ReadStream;
  readonly output?: NodeJS.WriteStream;
  readonly env?: NodeJS.ProcessEnv;
  /** Reads a vault entry (an LLM provider's key when its variable is unset). */
  readonly resolveSecret?: (entry: string) => Promise<string>;
}

/** Earlier plain-English turns kept for follow-ups (the prompt bounds what is sent further). */
const CONVERSATION_TURNS = 20;

/** What a backslash command may use of the shell (meta-commands.ts). */
export interface ShellContext {
  readonly session: Session;
  readonly settings: ShellSettings;
  readonly output: ShellOutput;
  readonly completer: ShellCompleter;
  readonly paths: AishellPaths;
  readonly interactive: boolean;
  readonly readOnly: boolean;
  readonly transaction: TransactionState;
  /** The last SQL that ran (for `\watch`, `\e`). */
  readonly lastQuery: string | undefined;
  /** Runs SQL as if typed (guard, confirmation, transaction state, results). */
  runSql(sql: string, options?: { signal?: AbortSignal; remember?: boolean }): Promise<boolean>;
  ask(question: string): Promise<void>;
  /** `\reset`: forget the conversation, so the next question starts over; the number of turns forgotten. */
  resetConversation(): number;
  /** Runs `work` as the one operation Ctrl-C cancels. */
  operation<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** One line of an answer (y/N and the like); '' when nobody can answer (piped input) or on Ctrl-C. */
  question(prompt: string): Promise<string>;
  /** `\c`: another session, after the open transaction was dealt with; false when the switch did not happen. */
  switchTo(connection: string): Promise<boolean>;
  /** Text the next prompt starts with (`\e` that did not end in `;`). */
  setPending(text: string): void;
  /** The next input is SQL even if it reads as English (`\sql`). */
  forceSqlNext(): void;
  /** Asks before leaving with a transaction open; false means stay. */
  mayLeave(): Promise<boolean>;
  /** The terminal is lent to a program (an editor, a pager): Ctrl-C is that program's. */
  lendTerminal<T>(work: () => Promise<T>): Promise<T>;
}

/** Whether an error is the end of an operation that Ctrl-C cancelled. */
export function isCancellation(error: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted) return true;
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.endsWith('_ABORTED');
}

/**
 * The interactive shell: reads inputs (the line editor on a terminal, lines otherwise), tells SQL from
 * questions and backslash commands, runs them through the session's guard with Ctrl-C cancelling on
 * the server, keeps the transaction state in the prompt, and leaves only once an open transaction
 * was committed or rolled back.
 */
export class ShellLoop implements ShellContext {
  #session: Session;
  readonly settings: ShellSettings;
  readonly output: ShellOutput;
  readonly completer: ShellCompleter;
  readonly paths: AishellPaths;
  readonly interactive: boolean;
  readonly readOnly: boolean;
  readonly #options: ShellOptions;
  readonly #in: NodeJS.ReadStream;
  readonly #out: NodeJS.WriteStream;
  #history!: History;
  #editor: LineEditor | undefined;
  #piped: PipedInput | undefined;
  #state: TransactionState = 'idle';
  #lastQuery: string | undefined;
  #pending = '';
  #forceSql = false;
  #current: AbortController | undefined;
  #lent = 0;
  #probeWorks = true;
  /** Piped input only: Ctrl-C stopped a statement, so the script stops too. */
  #stopped = false;

  constructor(options: ShellOptions) {
    this.#options = options;
    this.#session = options.session;
    this.#in = options.input ?? process.stdin;
    this.#out = options.output ?? process.stdout;
    this.interactive = this.#in.isTTY === true;
    this.settings = defaultSettings(this.interactive && this.#out.isTTY === true, options.env ?? process.env);
    this.output = new ShellOutput(options.sink, this.settings, this.#out);
    this.completer = new ShellCompleter(options.session, options.paths);
    this.paths = options.paths;
    this.readOnly = options.readOnly;
  }

  get session(): Session {
    return this.#session;
  }

  get transaction(): TransactionState {
    return this.#state;
  }

  get lastQuery(): string | undefined {
    return this.#lastQuery;
  }

  async run(): Promise<void> {
    this.#history = await History.load(this.paths.historyFile);
    if (this.interactive) {
      this.#editor = new LineEditor({
        input: this.#in,
        output: this.#out,
        history: () => this.#history.entries,
        highlight: (text) =>
          this.settings.color ? highlightInput(text, this.#session.sqlDialect, this.#forceSql) : text,
        complete: (text, cursor) => this.completer.complete(text, cursor),
        isComplete: (text) => this.#isComplete(text),
      });
      // Ctrl-C while a statement runs (the terminal stays raw, so it is a key, not SIGINT).
      this.#editor.onInterrupt = () => this.#current?.abort(new Error('cancelled'));
      const editor = this.#editor;
      this.output.lend = (work) => editor.lend(work);
      this.completer.refresh();
      const target = this.#session.target;
      await this.output.message(
        `aishell on ${target.url} (${this.#session.dialect}${this.readOnly ? ', read-only' : ''}). Type \\? for help, \\q to quit.`,
      );
    } else {
      this.#piped = new PipedInput(this.#in);
    }
    const onSigint = (): void => {
      // A pager or an editor has the terminal: Ctrl-C is theirs.
      if (this.#lent > 0 || this.output.paging) return;
      this.#current?.abort(new Error('cancelled'));
      // A script (piped input) stops at Ctrl-C: what follows a cancelled statement must not run.
      if (!this.interactive) {
        this.#stopped = true;
        this.#piped?.close();
      }
    };
    process.on('SIGINT', onSigint);
    try {
      for (;;) {
        if (this.#stopped) break;
        const input = await this.#read();
        if (input === undefined) {
          if (await this.mayLeave()) break;
          continue;
        }
        if (!(await this.#dispatch(input))) break;
      }
    } finally {
      process.off('SIGINT', onSigint);
      this.#editor?.stop();
      this.#piped?.close();
      await this.output.close();
      await this.#session.close();
      if (this.#stopped) process.exitCode = 130;
    }
  }

  #isComplete(text: string): boolean {
    const lastLine = text.slice(text.lastIndexOf('\n') + 1).trim();
    // A backslash command on the last line runs at once (\g, \e, \watch act on the lines before it).
    if (
      lastLine.startsWith('\\') &&
      text.includes('\n') &&
      !this.#insideLiteral(text.slice(0, text.lastIndexOf('\n')))
    )
      return true;
    return inputComplete(text, this.#session.sqlDialect, this.#forceSql);
  }

  #insideLiteral(text: string): boolean {
    return !inputComplete(`${text}\n;`, this.#session.sqlDialect, true);
  }

  #prompt(continuation: boolean): string {
    return `${promptName(this.#session)}${promptMarker(this.#state, continuation)} `;
  }

  async #read(): Promise<string | undefined> {
    if (this.#editor) {
      const initial = this.#pending;
      this.#pending = '';
      return this.#editor.read({
        prompt: this.#prompt(false),
        continuation: this.#prompt(true),
        ...(initial ? { initial } : {}),
      });
    }
    return this.#piped?.read((text) => this.#isComplete(text));
  }

  /** Runs one input; false means quit. */
  async #dispatch(input: string): Promise<boolean> {
    const newline = input.lastIndexOf('\n');
    const lastLine = input.slice(newline + 1).trim();
    if (newline !== -1 && lastLine.startsWith('\\') && inputKind(input) !== 'meta') {
      // SQL lines, then a backslash command: the lines are psql's query buffer for it.
      const buffer = input.slice(0, newline);
      await this.#history.add(input);
      return this.#meta(lastLine, buffer);
    }
    const forced = this.#forceSql;
    this.#forceSql = false;
    switch (inputKind(input, forced)) {
      case 'empty':
        return true;
      case 'meta':
        await this.#history.add(input.trim());
        return this.#meta(input.trim(), '');
      case 'question':
        await this.#history.add(input.trim());
        await this.ask(input.trim());
        return true;
      default:
        await this.#history.add(input);
        await this.runSql(input);
        return true;
    }
  }

  async #meta(command: string, buffer: string): Promise<boolean> {
    try {
      const outcome = await runMetaCommand(this, command, buffer);
      if (outcome === 'quit') return !(await this.mayLeave());
      return true;
    } catch (error) {
      await this.#report(error);
      return true;
    }
  }

  async operation<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const outer = this.#current;
    this.#current = controller;
    try {
      return await work(controller.signal);
    } finally {
      this.#current = outer;
    }
  }

  async lendTerminal<T>(work: () => Promise<T>): Promise<T> {
    this.#lent++;
    try {
      return this.#editor ? await this.#editor.lend(work) : await work();
    } finally {
      this.#lent--;
    }
  }

  async runSql(sql: string, options: { signal?: AbortSignal; remember?: boolean } = {}): Promise<boolean> {
    const text = interpolate(sql, this.settings.variables, this.#session.sqlDialect);
    this.#lastQuery = text;
    const work = async (signal: AbortSignal): Promise<boolean> => {
      try {
        const { analysis, results } = await this.#session.run(text, {
          signal,
          ...(this.readOnly ? { readOnly: true } : {}),
          confirm: (risk, reasons) => this.#confirm(risk, reasons),
        });
        this.#state = stateAfter(this.#state, analysis.statements, this.#session.dialect);
        if (analysis.statements.some((s) => s.kind === 'ddl')) this.completer.refresh();
        await this.#results(results, signal);
        return true;
      } catch (error) {
        await this.#report(error, signal);
        await this.#afterError();
        return false;
      }
    };
    return options.signal ? work(options.signal) : this.operation(work);
  }

  async #results(results: readonly StatementResult[], signal: AbortSignal): Promise<void> {
    await this.output.results(results, signal);
    if (signal.aborted) await this.output.message('cancelled');
  }

  async #confirm(risk: Risk, reasons: readonly string[]): Promise<boolean> {
    if (!this.#editor) return false;
    await this.output.message(
      `This statement is ${risk} risk:\n${reasons.map((r) => `  - ${r}`).join('\n')}`,
    );
    const answer = await this.question('Run it? [y/N] ');
    return /^y(es)?$/i.test(answer.trim());
  }

  async question(prompt: string): Promise<string> {
    if (!this.#editor) return '';
    return (await this.#editor.read({ prompt, multiline: false })) ?? '';
  }

  /** After a failed or cancelled statement: the server says what became of the transaction, where it can. */
  async #afterError(): Promise<void> {
    const session = this.#session;
    const known = this.#probeWorks
      ? await probeTransaction(session.dialect, async (sql) => (await session.pool.query(sql)).rows[0]).catch(
          () => undefined,
        )
      : undefined;
    if (known === undefined) {
      if (session.dialect === 'mysql') this.#probeWorks = false; // MySQL proper has no @@in_transaction
      this.#state = stateAfterError(this.#state, session.dialect);
    } else this.#state = known;
  }

  async #report(error: unknown, signal?: AbortSignal): Promise<void> {
    if (isCancellation(error, signal)) {
      await this.output.message('cancelled');
      return;
    }
    const { message, hint, suggestions } = error as Error & { hint?: string; suggestions?: string[] };
    await this.output.error({ message: String(message ?? error), hint, suggestions });
  }

  #conversation: AskTurn[] = [];

  resetConversation(): number {
    const n = this.#conversation.length;
    this.#conversation = [];
    return n;
  }

  /** Keeps a turn for follow-ups: question, SQL, error; the first rows only go further at the samples level. */
  #remember(turn: AskTurn): void {
    this.#conversation.push(turn);
    if (this.#conversation.length > CONVERSATION_TURNS) this.#conversation.shift();
  }

  async ask(question: string): Promise<void> {
    await this.operation(async (signal) => {
      let answer: AskResult | undefined;
      try {
        // Inside an open transaction the question's SELECT runs in it: ask's own read-only
        // transaction would end the person's (one connection), and so would a failed EXPLAIN.
        const inTransaction = this.#state !== 'idle';
        const nl = (await loadConfig(this.paths).catch(() => undefined))?.nl;
        const confirm = (risk: Risk, reasons: readonly string[]) => this.#confirm(risk, reasons);
        answer = await ask(this.#session, question, {
          signal,
          conversation: this.#conversation,
          nlConfig: nl,
          confirm,
          ...(this.#options.env ? { env: this.#options.env } : {}),
          ...(this.#options.resolveSecret ? { secret: this.#options.resolveSecret } : {}),
          ...(inTransaction ? { dryRun: true, explain: false } : {}),
        });
        const params = answer.params.length > 0 ? `\n-- params: ${toJson(answer.params)}` : '';
        const notes: string[] = [];
        if (answer.understoodAs) notes.push(`-- read as: ${answer.understoodAs}`);
        if (answer.attempts && answer.attempts > 1) notes.push(`-- repaired: ${answer.attempts} answers`);
        if (answer.context && answer.context.omitted.length > 0)
          notes.push(`-- left out of the prompt to fit its budget: ${answer.context.omitted.join(', ')}`);
        await this.output.message(
          `${answer.sql}${params}\n-- ${answer.explanation}${notes.map((n) => `\n${n}`).join('')}`,
        );
        let result = answer.result;
        if (inTransaction) {
          const write = answer.write;
          if (
            write &&
            !(await confirm(write.risk, write.reasons.length > 0 ? write.reasons : [write.kind]))
          ) {
            await this.output.message('not run');
            return;
          }
          const run = await this.#session.run(answer.sql, {
            params: answer.params,
            signal,
            ...(write ? { confirmed: true } : {}),
          });
          result = run.results[0];
        }
        this.#remember({
          question,
          ...(answer.understoodAs ? { understoodAs: answer.understoodAs } : {}),
          sql: answer.sql,
          params: answer.params,
          tables: answer.tables,
          ...(result ? { rows: result.rows.slice(0, 3) } : {}),
        });
        if (result) await this.#results([result], signal);
      } catch (error) {
        if (!isCancellation(error, signal)) {
          const e = error as Error & { sql?: unknown };
          this.#remember({
            question,
            ...(answer ? { sql: answer.sql, params: answer.params, tables: answer.tables } : {}),
            ...(!answer && typeof e.sql === 'string' ? { sql: e.sql } : {}),
            error: String(e.message ?? error),
          });
        }
        await this.#report(error, signal);
        if (!isCancellation(error, signal) || this.#state !== 'idle') await this.#afterError();
      }
    });
  }

  setPending(text: string): void {
    this.#pending = text;
  }

  forceSqlNext(): void {
    this.#forceSql = true;
  }

  async mayLeave(): Promise<boolean> {
    if (this.#state === 'idle') return true;
    if (!this.#editor) {
      // Nobody to ask: closing the connection rolls the transaction back, as psql's does.
      process.stderr.write('aishell: a transaction was still open; it was rolled back\n');
      return true;
    }
    if (this.#state === 'failed') {
      await this.output.message('The transaction failed: it is rolled back.');
      await this.runSql('ROLLBACK;');
      return true;
    }
    for (;;) {
      const answer = (
        await this.question('A transaction is open. Commit it, roll it back, or stay? [c/r/S] ')
      ).trim();
      if (/^c(ommit)?$/i.test(answer)) return (await this.runSql('COMMIT;')) && this.transaction === 'idle';
      if (/^r(oll ?back)?$/i.test(answer))
        return (await this.runSql('ROLLBACK;')) && this.transaction === 'idle';
      return false;
    }
  }

  async switchTo(connection: string): Promise<boolean> {
    if (!(await this.mayLeave())) return false;
    const next = await this.#options.openSession(connection);
    const previous = this.#session;
    this.#session = next;
    // Another database: earlier questions spoke of another schema.
    this.#conversation = [];
    this.#state = 'idle';
    this.#probeWorks = true;
    this.completer.use(next);
    await previous.close();
    return true;
  }
}

/** The prompt's name: the saved connection's (or `demo`), else the database in the URL, else the engine. */
export function promptName(session: Session): string {
  const { name, url } = session.target;
  if (name) return name;
  try {
    const u = new URL(url);
    if (u.protocol === 'sqlite:') {
      const file = decodeURIComponent(u.pathname || u.href.slice('sqlite:'.length));
      return file === ':memory:' || file === ''
        ? 'memory'
        : path.basename(file).replace(/\.(db|sqlite3?)$/i, '');
    }
    const db = decodeURIComponent(u.pathname.replace(/^\//, ''));
    if (db) return db;
  } catch {
    // not a URL
  }
  return session.dialect;
}
