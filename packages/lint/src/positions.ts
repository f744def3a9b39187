// Offsets to lines and columns, and libpg_query's UTF-8 byte offsets to character offsets.

/** 1-based line and column of character offsets in one text; built once per file. */
export class LineIndex {
  readonly #starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.#starts.push(i + 1);
  }

  /** Line and column (both 1-based) of a character offset. */
  at(offset: number): { line: number; column: number } {
    const starts = this.#starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] as number) + 1 };
  }

  /** The 1-based line of a character offset. */
  lineOf(offset: number): number {
    return this.at(offset).line;
  }

  /** Character offset where a 1-based line starts (the text's end past the last line). */
  lineStart(line: number): number {
    return this.#starts[line - 1] ?? Number.POSITIVE_INFINITY;
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the test is for plain ASCII
const NON_ASCII = /[^\u0000-\u007f]/;

/** Maps UTF-8 byte offsets of `text` (as libpg_query reports them) to character offsets. */
export function byteToCharMapper(text: string): (byteOffset: number) => number {
  if (!NON_ASCII.test(text)) return (b) => b;
  const map: number[] = [];
  let b = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.codePointAt(i) ?? 0;
    const width = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    for (let k = 0; k < width; k++) map[b + k] = i;
    b += width;
    if (c >= 0x10000) i++;
  }
  map[b] = text.length;
  return (byteOffset) => map[byteOffset] ?? text.length;
}

/** UTF-8 length of a string in bytes (identifiers are limited in bytes). */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
