// MySQL/MariaDB statements read from their tokens: enough of CREATE TABLE, ALTER TABLE, CREATE/DROP
// INDEX, DROP, RENAME and SET to lint migrations. Anything else is kept as `other` with its words.
import type { Token } from '../lexer.js';

/** A column definition as written. */
export interface MyColumn {
  readonly name: string;
  readonly offset: number;
  /** Lower-case type name: `int`, `varchar`, `enum`. */
  readonly type: string;
  readonly typeOffset: number;
  /** The type's arguments as written: `['255']`, `["'a'", "'b'"]`. */
  readonly args: readonly string[];
  readonly unsigned: boolean;
  /** true NOT NULL, false NULL, undefined not said. */
  readonly notNull: boolean | undefined;
  readonly hasDefault: boolean;
  readonly autoIncrement: boolean;
  readonly primaryKey: boolean;
  readonly unique: boolean;
  readonly generated: 'virtual' | 'stored' | undefined;
  readonly charset: string | undefined;
  readonly references: boolean;
  /** The definition's text, trimmed. */
  readonly text: string;
}

export type MyAction =
  | {
      readonly kind: 'add-column';
      readonly offset: number;
      readonly columns: readonly MyColumn[];
      readonly positioned: boolean;
      readonly text: string;
    }
  | { readonly kind: 'add-index'; readonly offset: number; readonly unique: boolean; readonly text: string }
  | { readonly kind: 'add-primary-key'; readonly offset: number; readonly text: string }
  | { readonly kind: 'add-foreign-key'; readonly offset: number; readonly text: string }
  | { readonly kind: 'add-check'; readonly offset: number; readonly text: string }
  | {
      readonly kind: 'modify-column';
      readonly offset: number;
      readonly from: string;
      readonly column: MyColumn;
      readonly text: string;
    }
  | { readonly kind: 'alter-column'; readonly offset: number; readonly column: string; readonly text: string }
  | { readonly kind: 'drop-column'; readonly offset: number; readonly column: string; readonly text: string }
  | { readonly kind: 'drop-primary-key'; readonly offset: number; readonly text: string }
  | { readonly kind: 'drop-index'; readonly offset: number; readonly text: string }
  | { readonly kind: 'drop-foreign-key'; readonly offset: number; readonly text: string }
  | {
      readonly kind: 'rename-column';
      readonly offset: number;
      readonly from: string;
      readonly to: string;
      readonly text: string;
    }
  | { readonly kind: 'rename-table'; readonly offset: number; readonly to: string; readonly text: string }
  | { readonly kind: 'convert-charset'; readonly offset: number; readonly text: string }
  | { readonly kind: 'partitioning'; readonly offset: number; readonly text: string }
  | { readonly kind: 'order-by'; readonly offset: number; readonly text: string }
  | { readonly kind: 'option'; readonly offset: number; readonly text: string };

export type MyStatement =
  | (Base & {
      readonly kind: 'alter-table';
      readonly table: string;
      readonly tableOffset: number;
      readonly actions: readonly MyAction[];
    })
  | (Base & {
      readonly kind: 'create-table';
      readonly table: string;
      readonly tableOffset: number;
      readonly ifNotExists: boolean;
      readonly temporary: boolean;
      readonly columns: readonly MyColumn[];
      /** `CREATE TABLE ... LIKE other`. */
      readonly like: string | undefined;
    })
  | (Base & { readonly kind: 'create-index'; readonly table: string; readonly unique: boolean })
  | (Base & { readonly kind: 'drop-index'; readonly table: string })
  | (Base & {
      readonly kind: 'drop';
      readonly object: string;
      readonly names: readonly string[];
      readonly ifExists: boolean;
    })
  | (Base & {
      readonly kind: 'create';
      readonly object: string;
      readonly name: string;
      readonly ifNotExists: boolean;
    })
  | (Base & { readonly kind: 'rename-table'; readonly pairs: readonly [string, string][] })
  | (Base & { readonly kind: 'set'; readonly settings: readonly [string, string][] })
  | (Base & { readonly kind: 'begin' | 'commit' | 'rollback' | 'other' });

interface Base {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly tokens: readonly Token[];
  /** ALGORITHM= and LOCK= clauses, upper-case, when given. */
  readonly algorithm: string | undefined;
  readonly lock: string | undefined;
  /** Statements MySQL commits implicitly (DDL). */
  readonly ddl: boolean;
}

/** Reads tokens of one statement (without its `;`) at [start, end) of `text`. */
export function readMysqlStatement(
  text: string,
  tokens: readonly Token[],
  start: number,
  end: number,
): MyStatement {
  const r = new Reader(
    text,
    tokens.filter((t) => t.type !== 'comment'),
  );
  const base = {
    start,
    end,
    text: text.slice(start, end),
    tokens: r.tokens,
    ...r.algorithmAndLock(),
    ddl: false,
  };
  const w0 = r.word(0);
  const w1 = r.word(1);
  if (w0 === 'BEGIN' || (w0 === 'START' && w1 === 'TRANSACTION')) return { ...base, kind: 'begin' };
  if (w0 === 'COMMIT') return { ...base, kind: 'commit' };
  if (w0 === 'ROLLBACK' && w1 !== 'TO') return { ...base, kind: 'rollback' };
  if (w0 === 'SET') return { ...base, kind: 'set', settings: r.settings() };
  const ddl = { ...base, ddl: true };
  if (w0 === 'ALTER') {
    r.at = 1;
    r.skipWords('ONLINE', 'OFFLINE', 'IGNORE');
    if (r.accept('TABLE')) {
      const name = r.name();
      return {
        ...ddl,
        kind: 'alter-table',
        table: name.name,
        tableOffset: name.offset,
        actions: r.actions(),
      };
    }
    return { ...ddl, kind: 'other' };
  }
  if (w0 === 'CREATE') {
    r.at = 1;
    r.skipWords(
      'OR',
      'REPLACE',
      'TEMPORARY',
      'ONLINE',
      'OFFLINE',
      'UNIQUE',
      'FULLTEXT',
      'SPATIAL',
      'DEFINER',
      'ALGORITHM',
      'SQL',
      'SECURITY',
    );
    const temporary = r.tokens
      .slice(1, r.at)
      .some((t) => r.text.slice(t.start, t.end).toUpperCase() === 'TEMPORARY');
    const unique = r.tokens
      .slice(1, r.at)
      .some((t) => r.text.slice(t.start, t.end).toUpperCase() === 'UNIQUE');
    const object = r.word(r.at);
    r.at++;
    if (object === 'TABLE') {
      const ifNotExists = r.acceptAll('IF', 'NOT', 'EXISTS');
      const name = r.name();
      const like = r.accept('LIKE')
        ? r.name().name
        : r.peek('(') && r.wordAfterParen() === 'LIKE'
          ? r.likeInParens()
          : undefined;
      return {
        ...ddl,
        kind: 'create-table',
        table: name.name,
        tableOffset: name.offset,
        ifNotExists,
        temporary,
        columns: like === undefined ? r.tableColumns() : [],
        like,
      };
    }
    if (object === 'INDEX') {
      r.accept('IF') && r.acceptAll('NOT', 'EXISTS');
      r.name();
      r.skipWords('USING', 'BTREE', 'HASH');
      return { ...ddl, kind: 'create-index', table: r.accept('ON') ? r.name().name : '', unique };
    }
    const ifNotExists = r.acceptAll('IF', 'NOT', 'EXISTS');
    return { ...ddl, kind: 'create', object, name: r.name().name, ifNotExists };
  }
  if (w0 === 'DROP') {
    r.at = 1;
    r.skipWords('TEMPORARY', 'ONLINE', 'OFFLINE');
    const object = r.word(r.at);
    r.at++;
    if (object === 'INDEX') {
      r.name();
      return { ...ddl, kind: 'drop-index', table: r.accept('ON') ? r.name().name : '' };
    }
    const ifExists = r.acceptAll('IF', 'EXISTS');
    return {
      ...ddl,
      kind: 'drop',
      object: object === 'SCHEMA' ? 'DATABASE' : object,
      names: r.nameList(),
      ifExists,
    };
  }
  if (w0 === 'RENAME' && w1 === 'TABLE') {
    r.at = 2;
    return { ...ddl, kind: 'rename-table', pairs: r.renamePairs() };
  }
  if (w0 === 'TRUNCATE') return { ...ddl, kind: 'other' };
  return { ...base, kind: 'other' };
}

/** Unquotes `name` / `a`.`b` identifiers the way MySQL compares table and column names (lower case). */
export function unquote(raw: string): string {
  if (raw.startsWith('`')) return raw.slice(1, -1).replace(/``/g, '`');
  if (raw.startsWith('"')) return raw.slice(1, -1).replace(/""/g, '"');
  return raw;
}

class Reader {
  readonly text: string;
  readonly tokens: readonly Token[];
  at = 0;

  constructor(text: string, tokens: readonly Token[]) {
    this.text = text;
    this.tokens = tokens;
  }

  raw(i: number): string {
    const t = this.tokens[i];
    return t === undefined ? '' : this.text.slice(t.start, t.end);
  }

  /** The upper-case word at `i` ('' for anything else). */
  word(i: number): string {
    const t = this.tokens[i];
    return t?.type === 'word' ? this.text.slice(t.start, t.end).toUpperCase() : '';
  }

  peek(punct: string): boolean {
    return this.tokens[this.at]?.type === 'punct' && this.raw(this.at) === punct;
  }

  accept(word: string): boolean {
    if (this.word(this.at) !== word) return false;
    this.at++;
    return true;
  }

  acceptAll(...words: string[]): boolean {
    for (let k = 0; k < words.length; k++) if (this.word(this.at + k) !== words[k]) return false;
    this.at += words.length;
    return true;
  }

  skipWords(...words: string[]): void {
    while (words.includes(this.word(this.at))) {
      this.at++;
      // DEFINER = x, ALGORITHM = x, SQL SECURITY x
      if (this.raw(this.at) === '=') this.at += 2;
    }
  }

  /** A (possibly qualified) name: `db`.`t` -> 't' (lower-case), with the offset of its first part. */
  name(): { name: string; offset: number } {
    const first = this.tokens[this.at];
    if (first === undefined) return { name: '', offset: 0 };
    let last = unquote(this.raw(this.at));
    this.at++;
    while (this.raw(this.at) === '.' && this.tokens[this.at + 1] !== undefined) {
      last = unquote(this.raw(this.at + 1));
      this.at += 2;
    }
    return { name: last.toLowerCase(), offset: first.start };
  }

  nameList(): string[] {
    const out: string[] = [];
    while (this.at < this.tokens.length) {
      out.push(this.name().name);
      if (this.raw(this.at) !== ',') break;
      this.at++;
    }
    return out;
  }

  renamePairs(): [string, string][] {
    const out: [string, string][] = [];
    while (this.at < this.tokens.length) {
      const from = this.name().name;
      this.accept('TO');
      out.push([from, this.name().name]);
      if (this.raw(this.at) !== ',') break;
      this.at++;
    }
    return out;
  }

  wordAfterParen(): string {
    return this.word(this.at + 1);
  }

  likeInParens(): string {
    this.at += 2;
    const name = this.name().name;
    return name;
  }

  /** `SET [SESSION|GLOBAL|LOCAL|PERSIST] a = 1, @@session.b = 2` -> [['a', '1'], ['b', '2']] (lower-case names). */
  settings(): [string, string][] {
    const out: [string, string][] = [];
    const segments = this.segments(1);
    for (const [from, to] of segments) {
      let i = from;
      while (['SESSION', 'GLOBAL', 'LOCAL', 'PERSIST', 'PERSIST_ONLY'].includes(this.word(i))) i++;
      let name = this.raw(i).toLowerCase();
      if (name.startsWith('@@')) name = name.replace(/^@@(session\.|global\.|local\.|persist\.)?/, '');
      if (name === 'names' || name === 'character') {
        out.push(['names', this.raw(i + (name === 'character' ? 2 : 1)).toLowerCase()]);
        continue;
      }
      let j = i + 1;
      if (this.raw(j) === '=' || this.raw(j) === ':=' || this.word(j) === 'TO') j++;
      out.push([
        unquote(name),
        this.text.slice(this.tokens[j]?.start ?? 0, this.tokens[to - 1]?.end ?? 0).trim(),
      ]);
    }
    return out;
  }

  /** [from, to) token ranges of the top-level, comma-separated pieces from token `from`. */
  segments(from: number, to = this.tokens.length): [number, number][] {
    const out: [number, number][] = [];
    let depth = 0;
    let start = from;
    for (let i = from; i < to; i++) {
      const p = this.tokens[i]?.type === 'punct' ? this.raw(i) : '';
      if (p === '(') depth++;
      else if (p === ')') depth--;
      else if (p === ',' && depth === 0) {
        out.push([start, i]);
        start = i + 1;
      }
    }
    if (start < to) out.push([start, to]);
    return out;
  }

  segmentText(from: number, to: number): string {
    const a = this.tokens[from];
    const b = this.tokens[to - 1];
    return a === undefined || b === undefined ? '' : this.text.slice(a.start, b.end);
  }

  /** ALGORITHM [=] x and LOCK [=] x anywhere at the top level of the statement. */
  algorithmAndLock(): { algorithm: string | undefined; lock: string | undefined } {
    let algorithm: string | undefined;
    let lock: string | undefined;
    let depth = 0;
    for (let i = 0; i < this.tokens.length; i++) {
      const p = this.tokens[i]?.type === 'punct' ? this.raw(i) : '';
      if (p === '(') depth++;
      else if (p === ')') depth--;
      if (depth !== 0) continue;
      const w = this.word(i);
      if (w !== 'ALGORITHM' && w !== 'LOCK') continue;
      // LOCK TABLES is a statement of its own, not the clause
      if (w === 'LOCK' && i === 0) continue;
      const j = this.raw(i + 1) === '=' ? i + 2 : i + 1;
      const value = this.raw(j).toUpperCase();
      if (value === '') continue;
      if (w === 'ALGORITHM') algorithm = value;
      else lock = value;
    }
    return { algorithm, lock };
  }

  /** The columns of `CREATE TABLE t ( ... )`. */
  tableColumns(): MyColumn[] {
    if (!this.peek('(')) return [];
    const open = this.at;
    let depth = 0;
    let close = open;
    for (let i = open; i < this.tokens.length; i++) {
      const p = this.tokens[i]?.type === 'punct' ? this.raw(i) : '';
      if (p === '(') depth++;
      else if (p === ')' && --depth === 0) {
        close = i;
        break;
      }
    }
    const out: MyColumn[] = [];
    for (const [from, to] of this.segments(open + 1, close)) {
      const w = this.word(from);
      if (
        [
          'PRIMARY',
          'KEY',
          'INDEX',
          'UNIQUE',
          'CONSTRAINT',
          'FOREIGN',
          'CHECK',
          'FULLTEXT',
          'SPATIAL',
        ].includes(w)
      ) {
        continue;
      }
      out.push(this.column(from, to));
    }
    this.at = close + 1;
    return out;
  }

  /** One column definition at tokens [from, to). */
  column(from: number, to: number): MyColumn {
    const nameToken: Token = (from < to ? this.tokens[from] : undefined) ?? {
      type: 'word',
      start: this.tokens[to - 1]?.end ?? 0,
      end: this.tokens[to - 1]?.end ?? 0,
    };
    let i = from + 1;
    const typeToken = this.tokens[i];
    let type = this.word(i).toLowerCase();
    i++;
    // two-word types
    if (
      (type === 'double' && this.word(i) === 'PRECISION') ||
      (type === 'character' && this.word(i) === 'VARYING') ||
      (type === 'national' && this.tokens[i]?.type === 'word')
    ) {
      type = type === 'character' ? 'varchar' : type === 'national' ? this.word(i).toLowerCase() : type;
      i++;
    }
    if (type === 'char' && this.word(i) === 'VARYING') {
      type = 'varchar';
      i++;
    }
    const args: string[] = [];
    if (this.raw(i) === '(') {
      let depth = 0;
      let argStart = i + 1;
      for (; i < to; i++) {
        const p = this.tokens[i]?.type === 'punct' ? this.raw(i) : '';
        if (p === '(') depth++;
        else if (p === ')' || (p === ',' && depth === 1)) {
          if (depth === 1) args.push(this.segmentText(argStart, i).trim());
          argStart = i + 1;
          if (p === ')' && --depth === 0) {
            i++;
            break;
          }
        }
      }
    }
    let unsigned = false;
    let notNull: boolean | undefined;
    let hasDefault = false;
    let autoIncrement = false;
    let primaryKey = false;
    let unique = false;
    let generated: 'virtual' | 'stored' | undefined;
    let charset: string | undefined;
    let references = false;
    for (; i < to; i++) {
      const w = this.word(i);
      switch (w) {
        case 'UNSIGNED':
          unsigned = true;
          break;
        case 'NOT':
          if (this.word(i + 1) === 'NULL') {
            notNull = true;
            i++;
          }
          break;
        case 'NULL':
          notNull = false;
          break;
        case 'DEFAULT':
          hasDefault = true;
          i = this.skipExpression(i + 1, to) - 1;
          break;
        case 'AUTO_INCREMENT':
          autoIncrement = true;
          break;
        case 'PRIMARY':
          primaryKey = true;
          break;
        case 'UNIQUE':
          unique = true;
          break;
        case 'AS':
          generated ??= 'virtual';
          i = this.skipExpression(i + 1, to) - 1;
          break;
        case 'STORED':
        case 'PERSISTENT':
          generated = 'stored';
          break;
        case 'VIRTUAL':
          generated = 'virtual';
          break;
        case 'CHARSET':
          charset = this.raw(i + 1 + (this.raw(i + 1) === '=' ? 1 : 0)).toLowerCase();
          break;
        case 'CHARACTER':
          if (this.word(i + 1) === 'SET')
            charset = this.raw(i + 2 + (this.raw(i + 2) === '=' ? 1 : 0)).toLowerCase();
          break;
        case 'REFERENCES':
          references = true;
          break;
        case 'COMMENT':
          i++;
          break;
        default:
          break;
      }
    }
    return {
      name: unquote(this.text.slice(nameToken.start, nameToken.end)).toLowerCase(),
      offset: nameToken.start,
      type,
      typeOffset: typeToken?.start ?? nameToken.start,
      args,
      unsigned,
      notNull,
      hasDefault,
      autoIncrement,
      primaryKey,
      unique,
      generated,
      charset: charset === undefined ? undefined : unquote(charset.replace(/^'|'$/g, '')),
      references,
      text: this.segmentText(from, to),
    };
  }

  /** The index after one expression starting at `i`: a literal, a name, a call or a parenthesized group. */
  skipExpression(i: number, to: number): number {
    if (this.raw(i) === '-' || this.raw(i) === '+') i++;
    if (this.raw(i) === '(') return this.skipParens(i, to);
    i++;
    if (this.raw(i) === '(') return this.skipParens(i, to);
    return i;
  }

  skipParens(i: number, to: number): number {
    let depth = 0;
    for (; i < to; i++) {
      const p = this.tokens[i]?.type === 'punct' ? this.raw(i) : '';
      if (p === '(') depth++;
      else if (p === ')' && --depth === 0) return i + 1;
    }
    return to;
  }

  /** The actions of ALTER TABLE, one per top-level comma-separated piece. */
  actions(): MyAction[] {
    const out: MyAction[] = [];
    for (const [from, to] of this.segments(this.at)) {
      const offset = this.tokens[from]?.start ?? 0;
      const text = this.segmentText(from, to);
      const w = this.word(from);
      const w1 = this.word(from + 1);
      let i = from + 1;
      if (w === 'ADD') {
        if (w1 === 'COLUMN') i++;
        if (this.word(i) === 'IF' && this.word(i + 1) === 'NOT' && this.word(i + 2) === 'EXISTS') i += 3;
        const kw = this.word(i);
        const kw2 = this.word(i + 1);
        const constraintName =
          kw === 'CONSTRAINT'
            ? this.tokens[i + 1]?.type === 'word' && !['PRIMARY', 'UNIQUE', 'FOREIGN', 'CHECK'].includes(kw2)
              ? 2
              : 1
            : 0;
        const target = this.word(i + constraintName);
        if (w1 !== 'COLUMN' && target === 'PRIMARY') out.push({ kind: 'add-primary-key', offset, text });
        else if (w1 !== 'COLUMN' && target === 'FOREIGN') out.push({ kind: 'add-foreign-key', offset, text });
        else if (w1 !== 'COLUMN' && target === 'CHECK') out.push({ kind: 'add-check', offset, text });
        else if (w1 !== 'COLUMN' && ['INDEX', 'KEY', 'UNIQUE', 'FULLTEXT', 'SPATIAL'].includes(target))
          out.push({ kind: 'add-index', offset, unique: target === 'UNIQUE', text });
        else if (w1 !== 'COLUMN' && target === 'PARTITION') out.push({ kind: 'partitioning', offset, text });
        else if (this.raw(i) === '(') {
          const close = this.skipParens(i, to) - 1;
          const columns = this.segments(i + 1, close).map(([a, b]) => this.column(a, b));
          out.push({ kind: 'add-column', offset, columns, positioned: false, text });
        } else {
          const column = this.column(i, to);
          const positioned = this.tokens
            .slice(i, to)
            .some((_, k) => ['FIRST', 'AFTER'].includes(this.word(i + k)));
          out.push({ kind: 'add-column', offset, columns: [column], positioned, text });
        }
      } else if (w === 'CHANGE') {
        if (w1 === 'COLUMN') i++;
        const from2 = unquote(this.raw(i)).toLowerCase();
        out.push({ kind: 'modify-column', offset, from: from2, column: this.column(i + 1, to), text });
      } else if (w === 'MODIFY') {
        if (w1 === 'COLUMN') i++;
        const column = this.column(i, to);
        out.push({ kind: 'modify-column', offset, from: column.name, column, text });
      } else if (w === 'ALTER') {
        if (w1 === 'COLUMN') i++;
        if (['INDEX', 'CHECK', 'CONSTRAINT'].includes(this.word(i)))
          out.push({ kind: 'option', offset, text });
        else out.push({ kind: 'alter-column', offset, column: unquote(this.raw(i)).toLowerCase(), text });
      } else if (w === 'DROP') {
        if (w1 === 'PRIMARY') out.push({ kind: 'drop-primary-key', offset, text });
        else if (w1 === 'FOREIGN') out.push({ kind: 'drop-foreign-key', offset, text });
        else if (['INDEX', 'KEY'].includes(w1)) out.push({ kind: 'drop-index', offset, text });
        else if (['CHECK', 'CONSTRAINT'].includes(w1)) out.push({ kind: 'option', offset, text });
        else if (w1 === 'PARTITION') out.push({ kind: 'partitioning', offset, text });
        else {
          if (w1 === 'COLUMN') i++;
          if (this.word(i) === 'IF' && this.word(i + 1) === 'EXISTS') i += 2;
          out.push({ kind: 'drop-column', offset, column: unquote(this.raw(i)).toLowerCase(), text });
        }
      } else if (w === 'RENAME') {
        if (w1 === 'COLUMN')
          out.push({
            kind: 'rename-column',
            offset,
            from: unquote(this.raw(from + 2)).toLowerCase(),
            to: unquote(this.raw(from + 4)).toLowerCase(),
            text,
          });
        else if (['INDEX', 'KEY'].includes(w1)) out.push({ kind: 'option', offset, text });
        else {
          if (w1 === 'TO' || w1 === 'AS') i++;
          const saved = this.at;
          this.at = i;
          const to2 = this.name().name;
          this.at = saved;
          out.push({ kind: 'rename-table', offset, to: to2, text });
        }
      } else if (w === 'CONVERT') out.push({ kind: 'convert-charset', offset, text });
      else if (w === 'ORDER') out.push({ kind: 'order-by', offset, text });
      else if (
        w === 'PARTITION' ||
        (w === 'REMOVE' && w1 === 'PARTITIONING') ||
        (['COALESCE', 'REORGANIZE', 'EXCHANGE', 'TRUNCATE', 'REBUILD'].includes(w) && w1 === 'PARTITION')
      )
        out.push({ kind: 'partitioning', offset, text });
      else out.push({ kind: 'option', offset, text });
    }
    return out;
  }
}
