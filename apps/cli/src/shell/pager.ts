import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { StatementResult } from '@aishell/engine';
import stringWidth from 'string-width';
import { type OutputFormat, renderStatement } from '../output/render-result.js';
import type { ErrorReport, OutputSink } from '../output/sink.js';
import { naturalTableWidth } from '../output/table.js';
import type { ShellSettings } from './shell-settings.js';

/** Around a NULL in aligned output until it is drawn: zero-width marks, so widths stay right. */
const NULL_OPEN = '\u0001';
const NULL_CLOSE = '\u0002';
// biome-ignore lint/suspicious/noControlCharactersInRegex: the marks are control characters on purpose
const NULL_MARKED = /\u0001([^\u0002\n]*)\u0002?/g;
const FORMAT: Record<ShellSettings['format'], OutputFormat> = {
  aligned: 'table',
  csv: 'csv',
  json: 'json',
  markdown: 'markdown',
};
/** Output is written in pieces this large, so that Ctrl-C stops a long print between two of them. */
const CHUNK_CHARS = 64 * 1024;

/** The pager to run: $PAGER (split on spaces), or psql's `less -SRFX`; none when PAGER is set empty. */
export function pagerCommand(env: NodeJS.ProcessEnv = process.env): [string, ...string[]] | undefined {
  if (env.PAGER === '') return undefined;
  const words = (env.PAGER || 'less -SRFX').trim().split(/\s+/);
  const [cmd = 'less', ...args] = words;
  return words.length === 1 && cmd === 'less' ? ['less', '-SRFX'] : [cmd, ...args];
}

/**
 * Where the shell's output goes: results to the screen, through the pager when they are taller or
 * wider than the terminal, or to the file of `\o`; messages and errors always to the screen.
 */
export class ShellOutput {
  readonly #sink: OutputSink;
  readonly #settings: ShellSettings;
  readonly #stdout: NodeJS.WriteStream;
  #file: { path: string; stream: WriteStream } | undefined;
  /** A pager is showing output: Ctrl-C is the pager's. */
  paging = false;
  /** Hands the terminal to the pager (the line editor lets go of it meanwhile). */
  lend: <T>(work: () => Promise<T>) => Promise<T> = (work) => work();

  constructor(sink: OutputSink, settings: ShellSettings, stdout: NodeJS.WriteStream = process.stdout) {
    this.#sink = sink;
    this.#settings = settings;
    this.#stdout = stdout;
  }

  /** The file results go to (`\o`), if any. */
  get file(): string | undefined {
    return this.#file?.path;
  }

  /** Width results may take on the screen (Infinity off a terminal, and for a file). */
  get width(): number {
    return this.#file ? Number.POSITIVE_INFINITY : this.#sink.width;
  }

  get #colour(): boolean {
    return this.#settings.color && !this.#file && this.#stdout.isTTY === true;
  }

  /** `\o <file>` (emptied first, as psql does), or `\o` alone: back to the screen. */
  async redirect(file: string | undefined): Promise<void> {
    const previous = this.#file;
    this.#file = undefined;
    if (previous) {
      previous.stream.end();
      await once(previous.stream, 'close').catch(() => {});
    }
    if (file === undefined) return;
    const stream = createWriteStream(file, { flags: 'w', mode: 0o600 });
    await Promise.race([once(stream, 'open'), once(stream, 'error').then(([e]) => Promise.reject(e))]);
    this.#file = { path: file, stream };
  }

  /** The text of statement results as the settings say (format, \x, NULL, timing). */
  resultsText(results: readonly StatementResult[], maxWidth: number): string {
    const s = this.#settings;
    return results
      .map((r) => {
        const format = FORMAT[s.format];
        let text: string;
        if (format === 'table' && r.fields.length > 0) {
          const expanded =
            s.expanded === 'auto'
              ? r.rows.length > 0 && naturalTableWidth(r.fields, r.rows) > this.#sink.width
                ? 'on'
                : 'off'
              : s.expanded;
          const rows = r.rows.map((row) => markNulls(row, s.nullDisplay));
          text = renderStatement({ ...r, rows }, 'table', maxWidth, expanded).replace(
            NULL_MARKED,
            (_m, t: string) => (this.#colour ? `\x1b[2m${t}\x1b[0m` : t),
          );
        } else {
          text = renderStatement(r, format, maxWidth).replace(/\n$/, '');
        }
        return s.timing ? `${text}\nTime: ${r.durationMs.toFixed(3)} ms` : text;
      })
      .join('\n\n');
  }

  /** Statement results: to the `\o` file, or to the screen (paged when too tall or too wide). */
  async results(results: readonly StatementResult[], signal?: AbortSignal): Promise<void> {
    if (this.#file) return this.#toFile(this.resultsText(results, Number.POSITIVE_INFINITY), signal);
    const screen = this.#sink.width;
    if (!Number.isFinite(screen) || !this.#pagerWanted())
      return this.#write(this.resultsText(results, screen), signal);
    // Drawn at full width first: when that fits, it is what the screen shows; when not, the pager
    // (less -S) scrolls sideways through it instead of cutting every column.
    const full = this.resultsText(results, Number.POSITIVE_INFINITY);
    if (this.#fits(full)) return this.#write(full, signal);
    return this.#page(full, signal);
  }

  /** Text that is a result (`\d`, `\dt`, `\l`, ...): to the `\o` file or the screen, paged when tall. */
  async show(text: string, signal?: AbortSignal): Promise<void> {
    if (this.#file) return this.#toFile(text, signal);
    if (this.#pagerWanted() && !this.#fits(text)) return this.#page(text, signal);
    return this.#write(text, signal);
  }

  /** A message for the person: always the screen. */
  message(text: string): Promise<void> {
    return this.#sink.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  error(report: ErrorReport): Promise<void> {
    return this.#sink.error(report, 'ERROR: ');
  }

  async close(): Promise<void> {
    await this.redirect(undefined);
  }

  #pagerWanted(): boolean {
    return this.#settings.pager && this.#stdout.isTTY === true && pagerCommand() !== undefined;
  }

  #fits(text: string): boolean {
    const rows = this.#stdout.rows || 24;
    const cols = this.#stdout.columns || 80;
    const lines = text.split('\n');
    if (lines.length > rows - 1) return false;
    return lines.every((line) => stringWidth(line) <= cols);
  }

  async #write(text: string, signal: AbortSignal | undefined): Promise<void> {
    const whole = text.endsWith('\n') ? text : `${text}\n`;
    for (let at = 0; at < whole.length; at += CHUNK_CHARS) {
      if (signal?.aborted) return;
      await this.#sink.write(whole.slice(at, at + CHUNK_CHARS));
    }
  }

  async #toFile(text: string, signal: AbortSignal | undefined): Promise<void> {
    const stream = this.#file?.stream;
    if (!stream) return;
    const whole = text.endsWith('\n') ? text : `${text}\n`;
    for (let at = 0; at < whole.length; at += CHUNK_CHARS) {
      if (signal?.aborted) return;
      if (!stream.write(whole.slice(at, at + CHUNK_CHARS))) await once(stream, 'drain');
    }
  }

  /** Through the pager; Ctrl-C is the pager's to handle (the shell ignores it meanwhile). */
  async #page(text: string, signal: AbortSignal | undefined): Promise<void> {
    const command = pagerCommand();
    if (!command) return this.#write(text, signal);
    const [cmd, ...args] = command;
    this.paging = true;
    let code: number;
    try {
      [code] = await this.lend(async () => {
        const child = spawn(cmd, args, { stdio: ['pipe', 'inherit', 'inherit'] });
        child.stdin.on('error', () => {});
        child.stdin.end(text.endsWith('\n') ? text : `${text}\n`);
        return (await Promise.race([once(child, 'close'), once(child, 'error').then(() => [-1])])) as [
          number,
        ];
      });
    } finally {
      this.paging = false;
    }
    if (code === -1) await this.#write(text, signal);
  }
}

function markNulls(row: Record<string, unknown>, display: string): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(row)) {
    if (v !== null && v !== undefined) continue;
    copy ??= { ...row };
    copy[k] = `${NULL_OPEN}${display}${NULL_CLOSE}`;
  }
  return copy ?? row;
}
