// The real shell in a pseudo-terminal, as a person has it: @lydell/node-pty runs the built binary on a
// pty (node-pty's own API, with prebuilt binaries, so that nothing compiles at install), and
// @xterm/headless, xterm.js without a DOM, draws what the shell writes into a screen that a test reads
// like tmux's capture-pane, colours included. Chosen over tmux because it installs with the workspace
// (tmux is not on a new machine of this kind) and hands the test the exact bytes and the exit code.
import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';
import { BIN } from './run-cli.js';

/** Keys as a terminal sends them. */
export const KEY = {
  enter: '\r',
  up: '\x1b[A',
  down: '\x1b[B',
  tab: '\t',
  ctrlC: '\x03',
  ctrlD: '\x04',
  ctrlR: '\x12',
  altEnter: '\x1b\r',
} as const;

const CLEAN_ENV = Object.fromEntries(
  Object.entries(process.env).filter(
    ([k]) =>
      !/^(AISHELL_|DATABASE_URL$|PG[A-Z]+$|MYSQL_PWD$|XDG_|NODE_OPTIONS$|VITEST|TEST$|NO_COLOR$|PAGER$)/.test(
        k,
      ),
  ),
) as Record<string, string>;

export interface TerminalOptions {
  readonly env?: Record<string, string>;
  readonly cols?: number;
  readonly rows?: number;
}

/** One `aishell` in a terminal of its own. */
export class ShellTerminal {
  readonly #pty: pty.IPty;
  readonly #term: xterm.Terminal;
  #raw = '';
  #parsed = Promise.resolve();
  readonly exited: Promise<number>;

  constructor(args: readonly string[], options: TerminalOptions = {}) {
    const cols = options.cols ?? 120;
    const rows = options.rows ?? 40;
    this.#term = new xterm.Terminal({ cols, rows, scrollback: 5000, allowProposedApi: true });
    this.#pty = pty.spawn(process.execPath, [BIN, ...args], {
      name: 'xterm-256color',
      cols,
      rows,
      env: { ...CLEAN_ENV, TERM: 'xterm-256color', PAGER: '', ...options.env },
    });
    this.#pty.onData((data) => {
      this.#raw += data;
      this.#parsed = new Promise((resolve) => this.#term.write(data, resolve));
    });
    this.exited = new Promise((resolve) => this.#pty.onExit(({ exitCode }) => resolve(exitCode)));
  }

  /** Everything the shell wrote, escape codes included. */
  get raw(): string {
    return this.#raw;
  }

  /** Keys, as typed (several at once arrive as one read, as a paste would without bracketing). */
  write(keys: string): void {
    this.#pty.write(keys);
  }

  /** Types `text` a character at a time, then waits until the screen shows it. */
  async type(text: string): Promise<void> {
    for (const ch of text) this.#pty.write(ch);
    await this.waitFor(text.split('\n').pop() ?? text);
  }

  /** The screen and its scrollback as text, one line per line written (a wrapped one joined again), trailing blanks cut. */
  screen(): string {
    const buffer = this.#term.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < buffer.length; i++) {
      const line = buffer.getLine(i);
      const wrapsOn = buffer.getLine(i + 1)?.isWrapped === true;
      const text = line?.translateToString(!wrapsOn) ?? '';
      if (line?.isWrapped && lines.length > 0) lines[lines.length - 1] += text;
      else lines.push(text);
    }
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines.join('\n');
  }

  /** The row the cursor is on. */
  cursorLine(): string {
    const buffer = this.#term.buffer.active;
    return buffer.getLine(buffer.baseY + buffer.cursorY)?.translateToString(true) ?? '';
  }

  /**
   * The foreground colours of the first occurrence of `text` on the screen (a set of xterm colour
   * numbers; -1 for the default colour), read from the cells as the terminal drew them.
   */
  coloursOf(text: string): Set<number> {
    const buffer = this.#term.buffer.active;
    for (let i = buffer.length - 1; i >= 0; i--) {
      const line = buffer.getLine(i);
      const at = line?.translateToString(true).indexOf(text) ?? -1;
      if (!line || at === -1) continue;
      const colours = new Set<number>();
      for (let x = at; x < at + text.length; x++) {
        const cell = line.getCell(x);
        colours.add(cell && !cell.isFgDefault() ? cell.getFgColor() : -1);
      }
      return colours;
    }
    throw new Error(`"${text}" is not on the screen:\n${this.screen()}`);
  }

  /** Waits until the screen matches (or the shell exits, or `timeoutMs` passes: then it throws with the screen). */
  async waitFor(pattern: RegExp | string | (() => boolean), timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.exited.then(() => {
      exited = true;
    });
    for (;;) {
      await this.#parsed;
      const screen = this.screen();
      const matched =
        typeof pattern === 'string'
          ? screen.includes(pattern)
          : typeof pattern === 'function'
            ? pattern()
            : pattern.test(screen);
      if (matched) return screen;
      if (exited || Date.now() > deadline) {
        throw new Error(
          `waited for ${typeof pattern === 'function' ? 'a condition' : String(pattern)}${exited ? ' (the shell exited)' : ''}; the screen:\n${screen}\nthe last bytes: ${JSON.stringify(this.#raw.slice(-800))}`,
        );
      }
      await new Promise((r) => setTimeout(r, 40));
    }
  }

  /** How many times `text` is on the screen. */
  count(text: string): number {
    return this.screen().split(text).length - 1;
  }

  /** Ends the shell if it still runs. */
  close(): void {
    try {
      this.#pty.kill();
    } catch {
      // already gone
    }
    this.#term.dispose();
  }
}
