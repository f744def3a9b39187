import { type Token, tokenize } from '../lexer.js';
import {
  asArray,
  asString,
  child,
  location,
  type PgNode,
  type Relation,
  relation,
  unwrap,
} from './pg-node.js';

/** One `ALTER TABLE` action, with where its text starts (the parse tree does not say). */
export interface AlterCommand {
  readonly index: number;
  /** `AT_AddColumn`, `AT_SetNotNull`, ... */
  readonly subtype: string;
  /** The column (or constraint, trigger) the action names. */
  readonly name: string | undefined;
  readonly def: unknown;
  readonly missingOk: boolean;
  readonly cascade: boolean;
  /** Character offset of the action's first word in the file. */
  readonly offset: number;
}

/** One parsed statement of a file: its node, where it sits, and its text. */
export class PgStatement {
  readonly index: number;
  /** The node's type: `AlterTableStmt`, `IndexStmt`, ... */
  readonly type: string;
  readonly node: PgNode;
  /** Character offsets in the file of its first token and of its end (before the `;`). */
  readonly start: number;
  readonly end: number;
  readonly #fileText: string;
  readonly #toChar: (byte: number) => number;
  readonly #byteBase: number;
  #tokens: Token[] | undefined;
  #commands: AlterCommand[] | undefined;

  constructor(
    index: number,
    raw: Record<string, unknown>,
    span: { start: number; end: number },
    fileText: string,
    toChar: (byte: number) => number,
    byteBase: number,
  ) {
    const [type, node] = unwrap(raw) ?? ['Unknown', {}];
    this.index = index;
    this.type = type;
    this.node = node;
    this.start = span.start;
    this.end = span.end;
    this.#fileText = fileText;
    this.#toChar = toChar;
    this.#byteBase = byteBase;
  }

  get text(): string {
    return this.#fileText.slice(this.start, this.end);
  }

  /** The file offset of a node's byte `location` (the statement's start when there is none). */
  at(node: PgNode | number | undefined): number {
    const loc = typeof node === 'number' ? node : location(node);
    if (loc === undefined) return this.start;
    const at = this.#toChar(this.#byteBase + loc);
    return at >= this.start && at <= this.end ? at : this.start;
  }

  /** The statement's tokens, comments left out. */
  tokens(): Token[] {
    this.#tokens ??= tokenize(this.#fileText, 'postgres', this.start, this.end).filter(
      (t) => t.type !== 'comment',
    );
    return this.#tokens;
  }

  word(token: Token | undefined): string {
    return token === undefined ? '' : this.#fileText.slice(token.start, token.end).toLowerCase();
  }

  /** The statement's text with `insertion` after the first word `after` (case-insensitive). */
  insertAfterWord(after: string, insertion: string, skip: readonly string[] = []): string {
    const tokens = this.tokens();
    let k = tokens.findIndex((t) => t.type === 'word' && this.word(t) === after);
    if (k === -1) return this.text;
    while (skip.includes(this.word(tokens[k + 1]))) k++;
    const at = (tokens[k] as Token).end;
    return this.#fileText.slice(this.start, at) + insertion + this.#fileText.slice(at, this.end);
  }

  /** The statement's text with [from, to) (file offsets) replaced. */
  replace(from: number, to: number, replacement: string): string {
    return this.#fileText.slice(this.start, from) + replacement + this.#fileText.slice(to, this.end);
  }

  slice(from: number, to: number): string {
    return this.#fileText.slice(from, to);
  }

  /** For ALTER TABLE (and ALTER VIEW, TYPE, ...): the relation altered. */
  get relation(): Relation | undefined {
    return relation(this.node.relation);
  }

  /** The ALTER TABLE actions, each with the offset of its text. */
  commands(): AlterCommand[] {
    if (this.#commands !== undefined) return this.#commands;
    const cmds = asArray(this.node.cmds);
    const offsets = this.#commandOffsets(cmds.length);
    this.#commands = cmds.map((c, index) => {
      const cmd = child(c, 'AlterTableCmd') ?? {};
      return {
        index,
        subtype: asString(cmd.subtype) ?? '',
        name: asString(cmd.name),
        def: cmd.def,
        missingOk: cmd.missing_ok === true,
        cascade: cmd.behavior === 'DROP_CASCADE',
        offset: offsets[index] ?? this.start,
      };
    });
    return this.#commands;
  }

  /** The text of one ALTER TABLE action (without its separating comma). */
  commandText(command: AlterCommand): string {
    const next = this.commands()[command.index + 1];
    const end = next === undefined ? this.end : this.#commaBefore(next.offset);
    return this.#fileText.slice(command.offset, end).trim();
  }

  /** The statement as far as its first action: `ALTER TABLE [IF EXISTS] name`. */
  commandsPrefix(): string {
    const first = this.commands()[0];
    return this.#fileText.slice(this.start, first === undefined ? this.end : first.offset).trim();
  }

  #commaBefore(offset: number): number {
    const tokens = this.tokens();
    for (let k = tokens.length - 1; k >= 0; k--) {
      const t = tokens[k] as Token;
      if (t.start < offset && this.#fileText[t.start] === ',') return t.start;
    }
    return offset;
  }

  // Actions are the top-level, comma-separated pieces after the relation's name.
  #commandOffsets(count: number): number[] {
    const rel = this.relation;
    if (count === 0 || rel === undefined) return [];
    const tokens = this.tokens();
    const relAt = this.at(rel.location);
    let k = tokens.findIndex((t) => t.start >= relAt);
    if (k === -1) return [];
    // the name: word or "quoted", dotted parts
    k++;
    while (this.#fileText[tokens[k]?.start ?? -1] === '.' && tokens[k + 1] !== undefined) k += 2;
    if (this.#fileText[tokens[k]?.start ?? -1] === '*') k++;
    const offsets: number[] = [];
    let depth = 0;
    let segmentStart = true;
    for (; k < tokens.length; k++) {
      const t = tokens[k] as Token;
      const c = t.type === 'punct' ? this.#fileText.slice(t.start, t.end) : '';
      if (segmentStart) {
        offsets.push(t.start);
        segmentStart = false;
      }
      if (c === '(') depth++;
      else if (c === ')') depth--;
      else if (c === ',' && depth === 0) segmentStart = true;
    }
    return offsets.length === count ? offsets : [];
  }
}
