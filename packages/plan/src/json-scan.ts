// Only used when something is wrong: JSON.parse does the reading, and this walks the text again to say
// where (the offset of a syntax error, or the line where a value at a given path starts).

/** A step into a JSON value: a property name or an array index. */
export type JsonPath = readonly (string | number)[];

/** Where the JSON stops being valid, and what would have been valid there. */
export interface JsonProblem {
  offset: number;
  expected: string;
}

class Stop {
  constructor(
    readonly offset: number,
    readonly expected: string | null,
  ) {}
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class Scanner {
  #pos = 0;
  readonly #text: string;
  readonly #target: JsonPath | null;

  constructor(text: string, target: JsonPath | null) {
    this.#text = text;
    this.#target = target;
  }

  run(): void {
    this.#value([]);
    this.#ws();
    if (this.#pos < this.#text.length) this.#fail('the end of the JSON value');
  }

  #fail(expected: string): never {
    throw new Stop(this.#pos, expected);
  }

  #ws(): void {
    const t = this.#text;
    while (this.#pos < t.length) {
      const c = t.charCodeAt(this.#pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.#pos++;
      else break;
    }
  }

  #at(path: JsonPath): boolean {
    const target = this.#target;
    if (!target || target.length !== path.length) return false;
    return path.every((step, i) => step === target[i]);
  }

  #value(path: JsonPath): void {
    this.#ws();
    if (this.#at(path)) throw new Stop(this.#pos, null);
    const c = this.#text[this.#pos];
    if (c === '{') this.#object(path);
    else if (c === '[') this.#array(path);
    else if (c === '"') this.#string();
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      NUMBER.lastIndex = this.#pos;
      if (!NUMBER.test(this.#text)) this.#fail('a number');
      this.#pos = NUMBER.lastIndex;
    } else {
      for (const word of ['true', 'false', 'null']) {
        if (this.#text.startsWith(word, this.#pos)) {
          this.#pos += word.length;
          return;
        }
      }
      this.#fail('a JSON value (object, array, string, number, true, false or null)');
    }
  }

  #object(path: JsonPath): void {
    this.#pos++;
    this.#ws();
    if (this.#text[this.#pos] === '}') {
      this.#pos++;
      return;
    }
    for (;;) {
      this.#ws();
      if (this.#text[this.#pos] !== '"') this.#fail('a property name in double quotes');
      const start = this.#pos;
      this.#string();
      const key = JSON.parse(this.#text.slice(start, this.#pos)) as string;
      this.#ws();
      if (this.#text[this.#pos] !== ':') this.#fail("':' after the property name");
      this.#pos++;
      this.#value([...path, key]);
      this.#ws();
      const c = this.#text[this.#pos];
      if (c === ',') this.#pos++;
      else if (c === '}') {
        this.#pos++;
        return;
      } else this.#fail("',' or '}' after a property value");
    }
  }

  #array(path: JsonPath): void {
    this.#pos++;
    this.#ws();
    if (this.#text[this.#pos] === ']') {
      this.#pos++;
      return;
    }
    for (let i = 0; ; i++) {
      this.#value([...path, i]);
      this.#ws();
      const c = this.#text[this.#pos];
      if (c === ',') this.#pos++;
      else if (c === ']') {
        this.#pos++;
        return;
      } else this.#fail("',' or ']' after an array element");
    }
  }

  #string(): void {
    const t = this.#text;
    this.#pos++;
    while (this.#pos < t.length) {
      const c = t.charCodeAt(this.#pos);
      if (c === 34) {
        this.#pos++;
        return;
      }
      if (c < 32) this.#fail('a closing double quote before the end of the line');
      if (c === 92) {
        const e = t[this.#pos + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(t.slice(this.#pos + 2, this.#pos + 6)))
            this.#fail('four hex digits after \\u');
          this.#pos += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) this.#pos += 2;
        else this.#fail('an escape such as \\" or \\n');
      } else this.#pos++;
    }
    this.#fail('a closing double quote');
  }
}

/** The first syntax error in `text`, or null when it is valid JSON. */
export function jsonProblem(text: string): JsonProblem | null {
  try {
    new Scanner(text, null).run();
    return null;
  } catch (e) {
    if (e instanceof Stop) return { offset: e.offset, expected: e.expected ?? 'valid JSON' };
    throw e;
  }
}

/** The offset where the value at `path` starts in `text` (valid JSON), or 0 when it is not there. */
export function jsonPathOffset(text: string, path: JsonPath): number {
  try {
    new Scanner(text, path).run();
  } catch (e) {
    if (e instanceof Stop && e.expected === null) return e.offset;
  }
  return 0;
}

/** 0-based line index of an offset. */
export function lineIndexAt(text: string, offset: number): number {
  let line = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
