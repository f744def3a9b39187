import { emitKeypressEvents } from 'node:readline';
import stringWidth from 'string-width';
import { type Completion, commonPrefix } from './completion.js';

// Why an editor of our own on Node's readline key decoder, rather than a library: the shell needs a
// buffer of several lines that Enter extends until the statement is complete, colours as it is typed,
// history entries of several lines, Ctrl-R, Tab over a context, and Ctrl-C that clears the buffer.
// readline's Interface edits one line and cannot colour it; terminal-kit's inputField is one line too;
// ink (React) and blessed take the whole screen (and blessed is unmaintained). prompt_toolkit, what
// pgcli and mycli use, has no JavaScript counterpart. So readline decodes the keys (emitKeypressEvents,
// bracketed paste included) and this file keeps the buffer and draws it, about as linenoise does.

/** A key as readline's keypress decoder reports it. */
interface Key {
  readonly name?: string | undefined;
  readonly sequence?: string | undefined;
  readonly ctrl?: boolean | undefined;
  readonly meta?: boolean | undefined;
  readonly shift?: boolean | undefined;
}

export interface LineEditorOptions {
  readonly input: NodeJS.ReadStream;
  readonly output: NodeJS.WriteStream;
  /** The history, oldest first (read at each recall, so that it may grow between reads). */
  readonly history?: () => readonly string[];
  /** The text as shown: the same characters with colour codes added (never altered otherwise). */
  readonly highlight?: ((text: string) => string) | undefined;
  /** Tab's candidates at the cursor (keys typed while a promise is pending wait for it). */
  readonly complete?: (text: string, cursor: number) => Completion | Promise<Completion>;
  /** Whether Enter runs the buffer (true) or opens a new line in it. @default always */
  readonly isComplete?: (text: string) => boolean;
}

export interface ReadOptions {
  readonly prompt: string;
  /** The prompt of the second and later lines. @default spaces as wide as the prompt */
  readonly continuation?: string;
  /** Enter opens a new line until `isComplete`; history, completion and colour apply. @default true */
  readonly multiline?: boolean;
  /** Text to start with (`\e`'s result, say). */
  readonly initial?: string;
}

/** Most candidates listed under the prompt at one Tab. */
const LIST_LIMIT = 200;

/**
 * A line editor for a terminal: several lines per input, history (Up/Down, Ctrl-R), Tab completion,
 * colour as you type, psql's and readline's keys. `read()` resolves with the input, or undefined for
 * Ctrl-D on an empty buffer. Ctrl-C clears the buffer (and, outside a multi-line read, answers '').
 *
 * The terminal stays in raw mode from `start()` to `stop()`, also while a statement runs: keys typed
 * meanwhile wait for the next prompt (nothing is echoed into the results, nothing is lost), and Ctrl-C
 * then calls `onInterrupt` instead of sending SIGINT. `lend()` hands the terminal to a program that
 * reads it itself (the pager, $EDITOR) and takes it back.
 */
export class LineEditor {
  readonly #in: NodeJS.ReadStream;
  readonly #out: NodeJS.WriteStream;
  readonly #options: LineEditorOptions;
  #session: EditSession | undefined;
  /** Keys typed while no read was waiting (type-ahead). */
  readonly #queued: [string | undefined, Key][] = [];
  #started = false;
  #lent = 0;
  /** Ctrl-C while no read is waiting (a statement runs). */
  onInterrupt: () => void = () => {};

  constructor(options: LineEditorOptions) {
    this.#in = options.input;
    this.#out = options.output;
    this.#options = options;
    emitKeypressEvents(this.#in);
  }

  readonly #onKey = (text: string | undefined, key: Key | undefined): void => {
    const k = key ?? {};
    if (this.#session) {
      this.#session.key(text, k);
      return;
    }
    if (k.ctrl && k.name === 'c') {
      this.#queued.length = 0; // what was typed ahead of a cancelled statement goes with it
      this.onInterrupt();
      return;
    }
    this.#queued.push([text, k]);
  };

  readonly #onResize = (): void => this.#session?.render();

  readonly #onContinue = (): void => {
    this.#raw(true);
    this.#session?.render(true);
  };

  #raw(on: boolean): void {
    if (this.#in.isTTY) this.#in.setRawMode(on);
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#raw(true);
    this.#in.resume();
    this.#in.on('keypress', this.#onKey);
    this.#out.on('resize', this.#onResize);
  }

  stop(): void {
    if (!this.#started) return;
    this.#started = false;
    this.#in.off('keypress', this.#onKey);
    this.#out.off('resize', this.#onResize);
    this.#raw(false);
    this.#in.pause();
  }

  /** Gives the terminal to `work` (a pager, an editor) and takes it back afterwards. */
  async lend<T>(work: () => Promise<T>): Promise<T> {
    if (!this.#started || this.#lent > 0) return work();
    this.#lent++;
    this.#in.off('keypress', this.#onKey);
    this.#raw(false);
    this.#in.pause();
    try {
      return await work();
    } finally {
      this.#lent--;
      this.#raw(true);
      this.#in.resume();
      this.#in.on('keypress', this.#onKey);
    }
  }

  read(options: ReadOptions): Promise<string | undefined> {
    this.start();
    return new Promise((resolve) => {
      const session = new EditSession(this.#out, this.#options, options, (value) => {
        this.#session = undefined;
        process.off('SIGCONT', this.#onContinue);
        this.#out.write('\x1b[?2004l');
        resolve(value);
      });
      session.suspend = () => {
        this.#raw(false);
        process.once('SIGCONT', this.#onContinue);
        process.kill(process.pid, 'SIGTSTP');
      };
      this.#session = session;
      this.#out.write('\x1b[?2004h'); // bracketed paste: a pasted newline is text, not Enter
      session.render(true);
      // Keys typed while the last statement ran, in order; they may end this read at once.
      while (this.#queued.length > 0 && this.#session === session) {
        const [text, key] = this.#queued.shift() as [string | undefined, Key];
        session.key(text, key);
      }
    });
  }
}

/** One `read()`: the buffer, the cursor, where the drawing stands, history and search positions. */
class EditSession {
  readonly #out: NodeJS.WriteStream;
  readonly #editor: LineEditorOptions;
  readonly #read: ReadOptions;
  readonly #done: (value: string | undefined) => void;
  #buffer: string;
  #cursor: number;
  /** Rows between the top of the drawing and the row the terminal cursor is on. */
  #cursorRow = 0;
  #history: readonly string[];
  #historyIndex: number;
  #draft = '';
  /** The buffer came from history and was not edited: Up and Down keep walking the history. */
  #recalled = false;
  #pasting = false;
  #search: { query: string; index: number; failed: boolean; saved: string } | undefined;
  /** Keys that came while Tab waited for its candidates. */
  #waiting: [string | undefined, Key][] | undefined;
  suspend: () => void = () => {};

  constructor(
    out: NodeJS.WriteStream,
    editor: LineEditorOptions,
    read: ReadOptions,
    done: (value: string | undefined) => void,
  ) {
    this.#out = out;
    this.#editor = editor;
    this.#read = read;
    this.#done = done;
    this.#buffer = read.initial ?? '';
    this.#cursor = this.#buffer.length;
    this.#history = this.#multiline ? (editor.history?.() ?? []) : [];
    this.#historyIndex = this.#history.length;
  }

  get #multiline(): boolean {
    return this.#read.multiline !== false;
  }

  key(text: string | undefined, key: Key): void {
    if (this.#waiting) {
      this.#waiting.push([text, key]);
      return;
    }
    if (key.name === 'paste-start') {
      this.#pasting = true;
      return;
    }
    if (key.name === 'paste-end') {
      this.#pasting = false;
      this.render();
      return;
    }
    if (this.#pasting) {
      if (key.name === 'return' || key.name === 'enter') this.#insert('\n', false);
      else if (text) this.#insert(text.replace(/\r\n?/g, '\n'), false);
      return;
    }
    if (this.#search) {
      this.#searchKey(text, key);
      return;
    }
    if (key.ctrl && !key.meta) {
      switch (key.name) {
        case 'c':
          this.#interrupt();
          return;
        case 'd':
          if (this.#buffer === '') {
            this.#finish(undefined);
            return;
          }
          this.#deleteAt(this.#cursor);
          return;
        case 'a':
          this.#move(this.#lineStart());
          return;
        case 'e':
          this.#move(this.#lineEnd());
          return;
        case 'b':
          this.#move(Math.max(0, this.#cursor - 1));
          return;
        case 'f':
          this.#move(Math.min(this.#buffer.length, this.#cursor + 1));
          return;
        case 'h':
          this.#backspace();
          return;
        case 'u':
          this.#edit(this.#lineStart(), this.#cursor, '');
          return;
        case 'k':
          this.#edit(this.#cursor, this.#lineEnd(), '');
          return;
        case 'w':
          this.#edit(this.#wordLeft(), this.#cursor, '');
          return;
        case 'l':
          this.#out.write('\x1b[2J\x1b[H');
          this.#cursorRow = 0;
          this.render(true);
          return;
        case 'p':
          this.#up();
          return;
        case 'n':
          this.#down();
          return;
        case 'r':
          if (!this.#multiline) return;
          this.#search = { query: '', index: this.#history.length, failed: false, saved: this.#buffer };
          this.render();
          return;
        case 'z':
          this.suspend();
          return;
        case 'j':
          this.#insert('\n');
          return;
        case 'left':
          this.#move(this.#wordLeft());
          return;
        case 'right':
          this.#move(this.#wordRight());
          return;
        default:
          return;
      }
    }
    if (key.meta) {
      switch (key.name) {
        case 'return':
        case 'enter':
          if (this.#multiline) this.#insert('\n');
          return;
        case 'b':
        case 'left':
          this.#move(this.#wordLeft());
          return;
        case 'f':
        case 'right':
          this.#move(this.#wordRight());
          return;
        case 'backspace':
          this.#edit(this.#wordLeft(), this.#cursor, '');
          return;
        case 'd':
          this.#edit(this.#cursor, this.#wordRight(), '');
          return;
        default:
          return;
      }
    }
    switch (key.name) {
      case 'return':
        this.#enter();
        return;
      case 'enter': // Ctrl-J, or a bare \n from a pipe into the terminal
        if (this.#multiline) this.#insert('\n');
        else this.#enter();
        return;
      case 'backspace':
        this.#backspace();
        return;
      case 'delete':
        this.#deleteAt(this.#cursor);
        return;
      case 'left':
        this.#move(Math.max(0, this.#cursor - 1));
        return;
      case 'right':
        this.#move(Math.min(this.#buffer.length, this.#cursor + 1));
        return;
      case 'home':
        this.#move(this.#lineStart());
        return;
      case 'end':
        this.#move(this.#lineEnd());
        return;
      case 'up':
        this.#up();
        return;
      case 'down':
        this.#down();
        return;
      case 'tab':
        this.#tab();
        return;
      case 'escape':
        return;
      default:
        if (text && !hasControl(text)) this.#insert(text);
    }
  }

  // --- editing -------------------------------------------------------------------------------------

  #insert(text: string, draw = true): void {
    this.#buffer = this.#buffer.slice(0, this.#cursor) + text + this.#buffer.slice(this.#cursor);
    this.#cursor += text.length;
    this.#recalled = false;
    if (draw) this.render();
  }

  #edit(from: number, to: number, text: string): void {
    if (from === to && text === '') return;
    this.#buffer = this.#buffer.slice(0, from) + text + this.#buffer.slice(to);
    this.#cursor = from + text.length;
    this.#recalled = false;
    this.render();
  }

  #backspace(): void {
    if (this.#cursor === 0) return;
    const step = surrogateBefore(this.#buffer, this.#cursor);
    this.#edit(this.#cursor - step, this.#cursor, '');
  }

  #deleteAt(at: number): void {
    if (at >= this.#buffer.length) return;
    this.#edit(at, at + surrogateAfter(this.#buffer, at), '');
  }

  #move(to: number): void {
    this.#cursor = to;
    this.render();
  }

  #lineStart(): number {
    return this.#buffer.lastIndexOf('\n', this.#cursor - 1) + 1;
  }

  #lineEnd(): number {
    const nl = this.#buffer.indexOf('\n', this.#cursor);
    return nl === -1 ? this.#buffer.length : nl;
  }

  #wordLeft(): number {
    let i = this.#cursor;
    while (i > 0 && !/[\p{L}\p{N}_$]/u.test(this.#buffer[i - 1] ?? '')) i--;
    while (i > 0 && /[\p{L}\p{N}_$]/u.test(this.#buffer[i - 1] ?? '')) i--;
    return i;
  }

  #wordRight(): number {
    let i = this.#cursor;
    const n = this.#buffer.length;
    while (i < n && !/[\p{L}\p{N}_$]/u.test(this.#buffer[i] ?? '')) i++;
    while (i < n && /[\p{L}\p{N}_$]/u.test(this.#buffer[i] ?? '')) i++;
    return i;
  }

  #enter(): void {
    const complete = !this.#multiline || (this.#editor.isComplete?.(this.#buffer) ?? true);
    if (!complete) {
      this.#insert('\n');
      return;
    }
    this.#cursor = this.#buffer.length;
    this.render();
    this.#out.write('\r\n');
    this.#finish(this.#buffer);
  }

  #interrupt(): void {
    this.#cursor = this.#buffer.length;
    this.render();
    this.#out.write('^C\r\n');
    if (!this.#multiline) {
      this.#finish('');
      return;
    }
    this.#buffer = '';
    this.#cursor = 0;
    this.#cursorRow = 0;
    this.#historyIndex = this.#history.length;
    this.#recalled = false;
    this.render(true);
  }

  #finish(value: string | undefined): void {
    if (value === undefined) this.#out.write('\r\n');
    this.#done(value);
  }

  // --- history -------------------------------------------------------------------------------------

  #up(): void {
    const onFirstLine = this.#buffer.lastIndexOf('\n', this.#cursor - 1) === -1;
    if (!onFirstLine && !this.#recalled) {
      this.#verticalMove(-1);
      return;
    }
    if (this.#historyIndex === 0) return;
    if (this.#historyIndex === this.#history.length) this.#draft = this.#buffer;
    this.#historyIndex--;
    this.#recall(this.#history[this.#historyIndex] ?? '');
  }

  #down(): void {
    const onLastLine = this.#buffer.indexOf('\n', this.#cursor) === -1;
    if (!onLastLine && !this.#recalled) {
      this.#verticalMove(1);
      return;
    }
    if (this.#historyIndex >= this.#history.length) return;
    this.#historyIndex++;
    this.#recall(
      this.#historyIndex === this.#history.length ? this.#draft : (this.#history[this.#historyIndex] ?? ''),
    );
  }

  #recall(text: string): void {
    this.#buffer = text;
    this.#cursor = text.length;
    this.#recalled = true;
    this.render();
  }

  /** The cursor one line up or down, at the same column (or the line's end). */
  #verticalMove(direction: -1 | 1): void {
    const start = this.#lineStart();
    const column = this.#cursor - start;
    if (direction < 0) {
      const prevStart = this.#buffer.lastIndexOf('\n', start - 2) + 1;
      this.#cursor = Math.min(prevStart + column, start - 1);
    } else {
      const end = this.#lineEnd();
      const nextEnd = this.#buffer.indexOf('\n', end + 1);
      this.#cursor = Math.min(end + 1 + column, nextEnd === -1 ? this.#buffer.length : nextEnd);
    }
    this.render();
  }

  #searchKey(text: string | undefined, key: Key): void {
    const search = this.#search;
    if (!search) return;
    if (key.ctrl && (key.name === 'c' || key.name === 'g')) {
      this.#search = undefined;
      this.#buffer = search.saved;
      this.#cursor = this.#buffer.length;
      this.render();
      return;
    }
    if (key.ctrl && key.name === 'r') {
      this.#findOlder(search.query, search.index - 1);
      return;
    }
    if (key.name === 'backspace') {
      this.#findOlder(search.query.slice(0, -1), this.#history.length - 1);
      return;
    }
    if (
      text &&
      !key.ctrl &&
      !key.meta &&
      key.name !== 'return' &&
      key.name !== 'escape' &&
      !hasControl(text)
    ) {
      this.#findOlder(search.query + text, search.index);
      return;
    }
    // Any other key takes the match into the buffer and then does what it does there.
    this.#search = undefined;
    this.#historyIndex = Math.min(search.index, this.#history.length);
    this.#cursor = this.#buffer.length;
    if (key.name === 'escape') {
      this.render();
      return;
    }
    this.key(text, key);
  }

  /** The newest entry at or before `from` that holds `query`. */
  #findOlder(query: string, from: number): void {
    const search = this.#search;
    if (!search) return;
    search.query = query;
    for (let i = Math.min(from, this.#history.length - 1); i >= 0; i--) {
      const entry = this.#history[i] ?? '';
      if (query !== '' && entry.includes(query)) {
        search.index = i;
        search.failed = false;
        this.#buffer = entry;
        this.#cursor = entry.indexOf(query);
        this.render();
        return;
      }
    }
    search.failed = query !== '';
    this.render();
  }

  // --- completion ----------------------------------------------------------------------------------

  #tab(): void {
    const complete = this.#editor.complete;
    if (!complete || !this.#multiline) return;
    const result = complete(this.#buffer, this.#cursor);
    if (!(result instanceof Promise)) {
      this.#offer(result);
      return;
    }
    const waiting: [string | undefined, Key][] = [];
    this.#waiting = waiting;
    result
      .then(
        (r) => {
          this.#waiting = undefined;
          this.#offer(r);
        },
        () => {
          this.#waiting = undefined;
        },
      )
      .finally(() => {
        for (const [text, key] of waiting) this.key(text, key);
      });
  }

  #offer({ candidates, start, end }: Completion): void {
    if (candidates.length === 0) return;
    const typed = this.#buffer.slice(start, end);
    if (candidates.length === 1) {
      const [only = ''] = candidates;
      const spacer = only.endsWith('/') || only.endsWith('.') ? '' : ' ';
      const after = this.#buffer[this.#cursor];
      this.#edit(start, end, only + (after === undefined || after === '\n' ? spacer : ''));
      return;
    }
    const prefix = commonPrefix(candidates);
    if (prefix.length > typed.length) {
      this.#edit(start, end, prefix);
      return;
    }
    // Nothing more to insert: list them (pgcli shows its menu at the first Tab too).
    this.#list(candidates);
  }

  /** The candidates in columns under the input, then the input drawn again below them. */
  #list(candidates: readonly string[]): void {
    const cols = this.#columns();
    const shown = candidates.slice(0, LIST_LIMIT);
    const width = Math.min(cols, Math.max(...shown.map((c) => stringWidth(c))) + 2);
    const perRow = Math.max(1, Math.floor(cols / width));
    const rows: string[] = [];
    for (let i = 0; i < shown.length; i += perRow) {
      rows.push(
        shown
          .slice(i, i + perRow)
          .map((c) => c + ' '.repeat(Math.max(0, width - stringWidth(c))))
          .join('')
          .trimEnd(),
      );
    }
    if (candidates.length > shown.length) rows.push(`... and ${candidates.length - shown.length} more`);
    const cursor = this.#cursor;
    this.#cursor = this.#buffer.length;
    this.render();
    this.#out.write(`\r\n${rows.join('\r\n')}\r\n`);
    this.#cursor = cursor;
    this.#cursorRow = 0;
    this.render(true);
  }

  // --- drawing -------------------------------------------------------------------------------------

  #columns(): number {
    return this.#out.columns || 80;
  }

  /** Draws the prompt and the buffer from the top of the previous drawing (or here, when `fresh`). */
  render(fresh = false): void {
    const cols = this.#columns();
    const search = this.#search;
    const prompt = search
      ? `(${search.failed ? 'failed ' : ''}reverse-i-search)'${search.query}': `
      : this.#read.prompt;
    const continuation = this.#read.continuation ?? ' '.repeat(stringWidth(this.#read.prompt));
    const lines = this.#buffer.split('\n');
    const shown = (this.#multiline && this.#editor.highlight?.(this.#buffer)) || this.#buffer;
    const shownLines = shown.split('\n');
    const painted = shownLines.length === lines.length ? shownLines : lines;
    let out = '';
    if (!fresh && this.#cursorRow > 0) out += `\x1b[${this.#cursorRow}A`;
    out += '\r\x1b[J';
    // The cursor's line and column among the buffer's lines.
    const before = this.#buffer.slice(0, this.#cursor).split('\n');
    const cursorLine = before.length - 1;
    const cursorColumn = stringWidth(before[cursorLine] ?? '');
    let row = 0;
    let targetRow = 0;
    let targetCol = 0;
    let endRow = 0;
    lines.forEach((line, i) => {
      const lead = i === 0 ? prompt : continuation;
      const leadWidth = stringWidth(lead);
      const width = leadWidth + stringWidth(line);
      out += lead + (painted[i] ?? line);
      if (i === cursorLine) {
        const at = leadWidth + cursorColumn;
        targetRow = row + Math.floor(at / cols);
        targetCol = at % cols;
      }
      const last = i === lines.length - 1;
      if (!last) {
        out += '\r\n';
        row += Math.max(1, Math.ceil(width / cols));
      } else {
        // A line that fills the last column exactly leaves the terminal waiting to wrap: go down now.
        if (width > 0 && width % cols === 0) out += '\r\n';
        endRow = row + Math.floor(width / cols);
      }
    });
    if (endRow > targetRow) out += `\x1b[${endRow - targetRow}A`;
    out += '\r';
    if (targetCol > 0) out += `\x1b[${targetCol}C`;
    this.#cursorRow = targetRow;
    this.#out.write(out);
  }
}

/** Whether `text` holds a control character (a key that is not text). */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 || c === 127) return true;
  }
  return false;
}

function surrogateBefore(text: string, at: number): number {
  const c = text.charCodeAt(at - 1);
  return c >= 0xdc00 && c <= 0xdfff && at >= 2 ? 2 : 1;
}

function surrogateAfter(text: string, at: number): number {
  const c = text.charCodeAt(at);
  return c >= 0xd800 && c <= 0xdbff ? 2 : 1;
}
