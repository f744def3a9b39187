import { type OpenSessionOptions, Session, type VaultSecrets } from '@aishell/engine';
import type { Interfaces } from '@oclif/core';
import { Command } from '@oclif/core/command';
import * as Flags from '@oclif/core/flags';
import { ExitCode, exitCodeFor } from './exit-codes.js';
import { OutputSink } from './output/sink.js';
import { redact, registerArgvSecrets, registerSecret } from './redact.js';
import { vaultSecrets } from './vault-access.js';

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<
  (typeof BaseCommand)['baseFlags'] & T['flags']
>;

/** How a command shows its document to a person: the text for stdout, or a promise that writes it. */
export type Show<T> = (doc: T) => string | Promise<void>;

/**
 * What every aishell command shares: `--json` and `--verbose`, one place that turns errors into a
 * one-line message and PRODUCT.md's exit code, and an output sink that pages and survives `| head`.
 * Commands stay thin: parse flags, call @aishell/engine, and return the command's JSON document from
 * run(), which BaseCommand prints under --json; otherwise `present` shows it to a person.
 *
 * The exceptions, which print as they go and return nothing: the streams (`query --format ndjson|csv`
 * on a single read, `cache export --format ndjson`), result formats other than json (`query` and `ask`
 * with --format table|csv|markdown|ndjson), the interactive shell and `help`.
 */
export abstract class BaseCommand extends Command {
  // oclif's --json: run()'s document is printed through logJson below.
  static override enableJsonFlag = true;
  static override baseFlags = {
    // enableJsonFlag's flag, in PRODUCT.md's words (oclif's own says "Format output as json.").
    json: Flags.boolean({ description: 'print exactly one JSON document on stdout', helpGroup: 'GLOBAL' }),
    verbose: Flags.boolean({ description: 'show details of errors (stack traces)', helpGroup: 'GLOBAL' }),
  };

  protected readonly out = new OutputSink();
  /** stderr, for errors (BaseCommand.catch). */
  readonly #err = new OutputSink(process.stderr);
  protected verboseMode = false;

  override async init(): Promise<void> {
    registerArgvSecrets(process.argv);
    // LLM API keys: no provider error holds one, but a server could still echo it back.
    for (const name of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY']) registerSecret(process.env[name]);
    this.verboseMode = this.#ownArgv().includes('--verbose');
    await super.init();
  }

  /** The command's own words: argv up to a `--`. Read, not parsed: even a flag error is reported in the requested shape. */
  #ownArgv(): string[] {
    const dashDash = this.argv.indexOf('--');
    return dashDash === -1 ? this.argv : this.argv.slice(0, dashDash);
  }

  /**
   * Whether --json was given (before any `--`), as oclif decides it, but not from the environment:
   * oclif also takes AISHELL_CONTENT_TYPE=json, which aishell never offered.
   */
  override jsonEnabled(): boolean {
    return this.#ownArgv().includes('--json');
  }

  /** oclif hands run()'s document here under --json: one document on stdout, indented on a terminal. */
  override logJson(json: unknown): void {
    // oclif does not wait for this: Node finishes a pending write to stdout before the process exits,
    // and a reader that left (`| head`) ends it quietly, as for every other output.
    void this.out.json(json);
  }

  /**
   * Show a command's document to a person, unless --json asked for the document itself (which
   * BaseCommand prints once run() returns it). Returns the document, for run() to return.
   */
  protected async present<T>(doc: T, show: Show<T>): Promise<T> {
    if (this.jsonEnabled()) return doc;
    const shown = show(doc);
    if (typeof shown === 'string') await this.out.write(shown);
    else await shown;
    return doc;
  }

  /** A line for the person (stderr, so stdout stays clean for data). */
  protected note(message: string): void {
    process.stderr.write(`${redact(message)}\n`);
  }

  #secrets: VaultSecrets | undefined;

  /** The vault for saved-connection passwords, unlocked on first use and closed when the command ends. */
  protected async secrets(): Promise<VaultSecrets> {
    this.#secrets ??= vaultSecrets();
    return this.#secrets;
  }

  /** Open a session; a saved password or a `vault:<entry>` URL is read from the vault only when needed. */
  protected async openSession(options: OpenSessionOptions): Promise<Session> {
    const session = await Session.open({ resolveSecret: (await this.secrets()).resolve, ...options });
    // Never silently: a person who meant their own database must see that aishell is not on it.
    if (session.target.source === 'demo' && !this.jsonEnabled()) {
      this.note(
        'aishell: using the embedded demo database (no connection is configured: pass -c <name|url>, set ' +
          'DATABASE_URL or PGHOST, or save one with `aishell connect <url> --name <name> --default`)',
      );
    }
    return session;
  }

  override async finally(error: Error | undefined): Promise<void> {
    await this.#secrets?.close();
    await super.finally(error);
  }

  override async catch(
    error: Error & { code?: unknown; hint?: unknown; suggestions?: unknown },
  ): Promise<void> {
    const exit = exitCodeFor(error);
    let message = redact(String(error.message ?? error)).split('\n')[0] ?? 'error';
    const code = typeof error.code === 'string' ? error.code : exit === ExitCode.usage ? 'USAGE' : 'INTERNAL';
    if (exit === ExitCode.internal) {
      message = `${message} (this is a bug in aishell: please report it with the output of --verbose)`;
    }
    const hint = typeof error.hint === 'string' ? redact(error.hint) : undefined;
    if (this.jsonEnabled()) {
      const body: Record<string, unknown> = { code, message };
      if (hint) body.hint = hint;
      if (Array.isArray(error.suggestions)) body.suggestions = error.suggestions;
      await this.out.write(`${JSON.stringify({ error: body })}\n`);
    } else {
      const suggestions = Array.isArray(error.suggestions) ? error.suggestions : undefined;
      await this.#err.error({ message, hint, suggestions }, 'aishell: ');
    }
    if (this.verboseMode && error.stack) await this.#err.write(`${redact(error.stack)}\n`);
    process.exitCode = exit;
  }
}
