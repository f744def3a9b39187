import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { redact } from '../redact.js';
import { toJson } from './format-value.js';

/** What a person is told about an error: its message, and a hint and suggested wordings when it has them. */
export interface ErrorReport {
  readonly message: string;
  readonly hint?: string | undefined;
  readonly suggestions?: readonly unknown[] | undefined;
}

/**
 * Where a command's output goes: stdout, or a pager on a TTY when the text is taller than the screen.
 * Writes respect back-pressure; a closed pipe (`| head`) ends output quietly. It also knows how wide
 * the output may be and how an error reads, so that no command works either out on its own.
 */
export class OutputSink {
  readonly #out: Writable;
  #broken = false;

  constructor(out: Writable = process.stdout) {
    this.#out = out;
    this.#out.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') this.#broken = true;
      else throw error;
    });
  }

  get broken(): boolean {
    return this.#broken;
  }

  /** How wide a table may be: the terminal's columns (80 when it does not say), unlimited off a terminal. */
  get width(): number {
    const out = this.#out as Partial<NodeJS.WriteStream>;
    return out.isTTY ? out.columns || 80 : Number.POSITIVE_INFINITY;
  }

  /** A JSON document on a line of its own, indented on a terminal. */
  async json(value: unknown): Promise<void> {
    await this.write(`${toJson(value, (this.#out as Partial<NodeJS.WriteStream>).isTTY === true)}\n`);
  }

  /**
   * An error as a person reads it, secrets masked: `<prefix><message>`, then `hint: <hint>`, then `try:`
   * and one indented line per suggestion. The prefix is `aishell: ` on stderr, `ERROR: ` in the shell.
   */
  async error(report: ErrorReport, prefix: string): Promise<void> {
    let text = `${prefix}${redact(report.message)}\n`;
    if (report.hint) text += `hint: ${redact(report.hint)}\n`;
    if (report.suggestions && report.suggestions.length > 0)
      text += `try:\n${report.suggestions.map((s) => `  ${redact(String(s))}`).join('\n')}\n`;
    await this.write(text);
  }

  async write(text: string): Promise<void> {
    if (this.#broken) return;
    if (this.#out.write(text)) return;
    // A reader that went away (`| head`) makes the wait end with EPIPE: that ends the output, quietly,
    // and the command stops (a stream checks `broken` and closes, which cancels it on the server).
    await new Promise<void>((resolve, reject) => {
      const out = this.#out;
      const settle = (error?: NodeJS.ErrnoException): void => {
        out.off('drain', onDrain).off('close', onDrain).off('error', settle);
        if (error === undefined || error.code === 'EPIPE') {
          if (error) this.#broken = true;
          resolve();
        } else reject(error);
      };
      const onDrain = (): void => settle();
      out.once('drain', onDrain).once('close', onDrain).once('error', settle);
    });
  }

  /** Show a block of text, through `$PAGER` (default `less -FRSX`) when it does not fit the terminal. */
  async page(text: string): Promise<void> {
    const out = process.stdout;
    const lines = text.split('\n').length;
    const usePager =
      out.isTTY && this.#out === out && lines > (out.rows || 24) - 1 && process.env.PAGER !== '';
    if (!usePager) return this.write(text.endsWith('\n') ? text : `${text}\n`);
    const pagerCommand = (process.env.PAGER || 'less').trim().split(/\s+/);
    const [cmd, ...args] = pagerCommand;
    const finalArgs = pagerCommand.length === 1 && cmd === 'less' ? ['-FRSX'] : args;
    const child = spawn(cmd as string, finalArgs, { stdio: ['pipe', 'inherit', 'inherit'] });
    child.stdin.on('error', () => {});
    child.stdin.end(text.endsWith('\n') ? text : `${text}\n`);
    const [code] = (await Promise.race([once(child, 'close'), once(child, 'error').then(() => [-1])])) as [
      number,
    ];
    if (code === -1) await this.write(text);
  }
}
