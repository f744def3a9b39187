import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { hasUrlPassword } from '../redact.js';

/** Entries kept, in the file and in memory. */
export const HISTORY_LIMIT = 1000;
// Lines that may carry a secret never reach the history, neither the file nor the up arrow.
const SECRETIVE = /password|passwd|identified\s+by|secret|token|api[_-]?key/i;

/** Whether an input may be remembered: it holds nothing that looks like a password. */
export function mayRemember(entry: string): boolean {
  return entry.trim() !== '' && !SECRETIVE.test(entry) && !hasUrlPassword(entry);
}

/**
 * The shell's history: the inputs of this and earlier sessions, oldest first. In memory an entry is
 * kept as it was typed, several lines included, so the up arrow brings a whole statement back as it
 * was written; the file (`$XDG_STATE_HOME/aishell/history`, mode 0600) holds one line per entry, a
 * statement's lines joined by spaces, as psql's and the shell's earlier history did.
 */
export class History {
  readonly #file: string;
  readonly #entries: string[];

  private constructor(file: string, entries: string[]) {
    this.#file = file;
    this.#entries = entries;
  }

  /** Reads the file; a missing or unreadable one starts an empty history. */
  static async load(file: string): Promise<History> {
    let entries: string[] = [];
    try {
      entries = (await readFile(file, 'utf8')).split('\n').filter(Boolean).slice(-HISTORY_LIMIT);
    } catch {
      // no history yet
    }
    return new History(file, entries);
  }

  /** Oldest first. */
  get entries(): readonly string[] {
    return this.#entries;
  }

  /** Remembers an input (unless it may hold a secret, or repeats the last one) and appends it to the file. */
  async add(entry: string): Promise<void> {
    const text = entry.trim();
    if (!mayRemember(text)) return;
    if (this.#entries[this.#entries.length - 1] !== text) {
      this.#entries.push(text);
      if (this.#entries.length > HISTORY_LIMIT) this.#entries.splice(0, this.#entries.length - HISTORY_LIMIT);
    }
    try {
      await mkdir(path.dirname(this.#file), { recursive: true, mode: 0o700 });
      await appendFile(this.#file, `${text.replace(/\s*\n\s*/g, ' ')}\n`, { mode: 0o600 });
    } catch {
      // history is a convenience; a read-only home must not stop the shell
    }
  }
}
