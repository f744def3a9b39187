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

/**
 * What every aishell command shares: `--json` and `--verbose`, one place that turns errors into a
 * one-line message and PRODUCT.md's exit code, and an output sink that pages and survives `| head`.
 * Commands stay thin: parse flags, call @aishell/engine, print what it returns.
 */
export abstract class BaseCommand extends Command {
  static override baseFlags = {
    json: Flags.boolean({ description: 'print exactly one JSON document on stdout', helpGroup: 'GLOBAL' }),
    verbose: Flags.boolean({ description: 'show details of errors (stack traces)', helpGroup: 'GLOBAL' }),
  };

  protected readonly out = new OutputSink();
  /** stderr, for errors (BaseCommand.catch). */
  readonly #err = new OutputSink(process.stderr);
  protected jsonMode = false;
  protected verboseMode = false;

  override async init(): Promise<void> {
    registerArgvSecrets(process.argv);
    // LLM API keys: no provider error holds one, but a server could still echo it back.
    for (const name of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY']) registerSecret(process.env[name]);
    // Known before parsing, so that even a flag error is reported in the requested shape.
    const dashDash = this.argv.indexOf('--');
    const own = dashDash === -1 ? this.argv : this.argv.slice(0, dashDash);
    this.jsonMode = own.includes('--json');
    this.verboseMode = own.includes('--verbose');
    await super.init();
  }

  /** Print a document as JSON (under --json) on stdout. */
  protected async printJson(value: unknown): Promise<void> {
    await this.out.json(value);
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
    if (session.target.source === 'demo' && !this.jsonMode) {
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
    if (this.jsonMode) {
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
