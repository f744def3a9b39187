import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Writable } from 'node:stream';

/**
 * Where a command's output goes: stdout, or a pager on a TTY when the text is taller than the screen.
 * Writes respect back-pressure; a closed pipe (`| head`) ends output quietly.
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

  async write(text: string): Promise<void> {
    if (this.#broken) return;
    if (!this.#out.write(text)) await Promise.race([once(this.#out, 'drain'), once(this.#out, 'close')]);
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
