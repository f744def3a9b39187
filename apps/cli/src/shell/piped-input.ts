import { createInterface, type Interface } from 'node:readline';

/**
 * Input that is not a terminal (a script piped in): lines, gathered into inputs the way the editor
 * gathers them on a terminal, without prompts. Lines are read through the interface's async
 * iterator, which buffers them: input that arrives while a statement runs is not lost.
 */
export class PipedInput {
  readonly #rl: Interface;
  readonly #lines: AsyncIterator<string>;

  constructor(input: NodeJS.ReadableStream) {
    this.#rl = createInterface({ input, terminal: false });
    this.#lines = this.#rl[Symbol.asyncIterator]();
  }

  /** The next line, or undefined at the end of the input. */
  async line(): Promise<string | undefined> {
    const next = await this.#lines.next();
    return next.done ? undefined : next.value;
  }

  /**
   * The next whole input: lines until `isComplete` says the input is whole. At the end of the input
   * an unfinished statement is dropped (as before: nothing half-typed runs), so undefined ends.
   */
  async read(isComplete: (text: string) => boolean): Promise<string | undefined> {
    let buffer: string | undefined;
    for (;;) {
      const line = await this.line();
      if (line === undefined) return undefined;
      buffer = buffer === undefined ? line : `${buffer}\n${line}`;
      if (buffer.trim() === '') {
        buffer = undefined;
        continue;
      }
      if (isComplete(buffer)) return buffer;
    }
  }

  close(): void {
    this.#rl.close();
  }
}
