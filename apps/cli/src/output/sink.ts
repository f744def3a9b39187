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
