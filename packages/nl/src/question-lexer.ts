import * as chrono from 'chrono-node';
import nlp from 'compromise';
import type { Term } from 'compromise/misc';
import { singular } from './name-words.js';

/** A date range found in the question: `[start, end)`, ISO dates (UTC). */
export interface DateRange {
  readonly start: string;
  readonly end: string;
}

/** One token of a question. */
export interface Token {
  readonly i: number;
  /** As written. */
  readonly text: string;
  /** Lower case, punctuation trimmed. */
  readonly norm: string;
  /** Dictionary form: singular noun, infinitive verb, positive adjective (`oldest` -> `old`). */
  readonly lemma: string;
  /** Part-of-speech tags from compromise (`Noun`, `Superlative`, `ProperNoun`, ...). */
  readonly tags: ReadonlySet<string>;
  /** The number this token spells (`3`, `$1,000`, `three`), else null. */
  readonly num: number | null;
  readonly money: boolean;
  /** A quoted string from the question (`'Paris'`): always a value. */
  readonly quoted: boolean;
  /** A date expression (chrono-node) this token starts; the following `dateLength - 1` tokens belong to it. */
  readonly date: DateRange | null;
  readonly dateLength: number;
  readonly punct: boolean;
  readonly capitalized: boolean;
}

const QUOTED = /"([^"]+)"|“([^”]+)”|``\s*([^']+?)\s*''|‘([^’]+)’|(?<![\w])'([^']+)'(?![\w])/g;
const TOKEN = /\$?\d[\d,]*(?:\.\d+)?%?|[A-Za-z\u00C0-\u024F][\w\u00C0-\u024F]*(?:[-'’][A-Za-z]+)*|[^\s\w]/g;

const EMPTY_TAGS: ReadonlySet<string> = new Set();

function iso(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function addDays(d: Date, days: number): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + days));
}

/** Turns one chrono-node result into a day-aligned range, by what it knows (day, month or year). */
function rangeOf(result: chrono.ParsedResult, now: Date): DateRange {
  const s = result.start;
  const y = s.get('year') ?? now.getUTCFullYear();
  const m = (s.get('month') ?? 1) - 1;
  const d = s.get('day') ?? 1;
  if (result.end) {
    const e = result.end.date();
    return { start: iso(new Date(Date.UTC(y, m, d))), end: iso(addDays(e, 1)) };
  }
  if (/\b(last|past|previous)\s+\d+|\b(last|past)\s+(few|couple)/i.test(result.text)) {
    return { start: iso(new Date(Date.UTC(y, m, d))), end: iso(addDays(now, 1)) };
  }
  if (s.isCertain('day') || s.isCertain('weekday')) {
    const start = new Date(Date.UTC(y, m, d));
    const week = /\bweek\b/i.test(result.text);
    return { start: iso(start), end: iso(addDays(start, week ? 7 : 1)) };
  }
  if (s.isCertain('month') || /\bmonth\b/i.test(result.text)) {
    return { start: iso(new Date(Date.UTC(y, m, 1))), end: iso(new Date(Date.UTC(y, m + 1, 1))) };
  }
  return { start: iso(new Date(Date.UTC(y, 0, 1))), end: iso(new Date(Date.UTC(y + 1, 0, 1))) };
}

/** A year range for a bare year ("in 2024"). */
export function yearRange(year: number): DateRange {
  return {
    start: `${String(year).padStart(4, '0')}-01-01`,
    end: `${String(year + 1).padStart(4, '0')}-01-01`,
  };
}

/**
 * Splits a question into tokens with lemmas and tags (compromise), numbers, money, quoted values and
 * date ranges (chrono-node, relative to `now`).
 */
export function lexQuestion(question: string, now: Date): Token[] {
  // Quoted values are cut out first so that no later step splits or lemmatises them.
  const pieces: { text: string; quoted: boolean; offset: number }[] = [];
  let last = 0;
  for (const m of question.matchAll(QUOTED)) {
    const value = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? '').trim();
    if (m.index > last) pieces.push({ text: question.slice(last, m.index), quoted: false, offset: last });
    if (value !== '') pieces.push({ text: value, quoted: true, offset: m.index });
    last = m.index + m[0].length;
  }
  if (last < question.length) pieces.push({ text: question.slice(last), quoted: false, offset: last });

  const plain = pieces
    .filter((p) => !p.quoted)
    .map((p) => p.text)
    .join(' ');
  // compromise: tags and dictionary forms. The term objects are read directly (`docs`), which costs
  // about half of `json()`.
  const doc = nlp(plain);
  doc.compute('root');
  const info = new Map<string, { root: string | null; tags: ReadonlySet<string> }>();
  let spelledNumbers = false;
  for (const sentence of doc.docs) {
    for (const t of sentence as (Term & { root?: string })[]) {
      if (!t.normal || info.has(t.normal)) continue;
      const tags = t.tags ?? new Set<string>();
      info.set(t.normal, { root: t.root ?? null, tags });
      if (tags.has('Value') && !tags.has('Ordinal') && !/\d/.test(t.normal)) spelledNumbers = true;
    }
  }
  const spelled = new Map<string, number>();
  if (spelledNumbers) {
    for (const n of doc.numbers().json() as { text: string; number?: { num?: number } }[]) {
      const text = n.text
        .trim()
        .toLowerCase()
        .replace(/[.,?!]$/, '');
      const num = n.number?.num;
      // Spelled-out words only: not Roman numerals ("CV", "XI"), which are far more often codes.
      if (
        /^[a-z]+$/.test(text) &&
        !/^[ivxlcdm]+$/.test(text) &&
        typeof num === 'number' &&
        Number.isFinite(num)
      )
        spelled.set(text, num);
    }
  }

  const raw: { text: string; quoted: boolean; start: number }[] = [];
  for (const p of pieces) {
    if (p.quoted) {
      raw.push({ text: p.text, quoted: true, start: p.offset });
      continue;
    }
    for (const m of p.text.matchAll(TOKEN))
      raw.push({ text: m[0], quoted: false, start: p.offset + m.index });
  }

  // Dates: chrono-node on the whole question; map its character ranges onto tokens.
  const dates: { start: number; end: number; range: DateRange }[] = [];
  for (const r of chrono.parse(question, now)) {
    if (/^\s*\d{1,4}\s*$/.test(r.text)) continue;
    dates.push({ start: r.index, end: r.index + r.text.length, range: rangeOf(r, now) });
  }

  const tokens: Token[] = [];
  for (const [i, r] of raw.entries()) {
    const norm = r.quoted ? r.text : r.text.toLowerCase().replace(/[’]/g, "'");
    const numMatch = r.quoted ? null : /^\$?(\d[\d,]*(?:\.\d+)?)(%?)$/.exec(norm);
    let num: number | null = numMatch ? Number(numMatch[1]!.replace(/,/g, '')) : null;
    // "the one whose name ...": a pronoun, not the number 1
    const pronounOne =
      norm === 'one' &&
      ['the', 'this', 'that', 'each', 'which', 'every', 'any'].includes(raw[i - 1]?.text.toLowerCase() ?? '');
    if (num === null && !r.quoted && !pronounOne && !info.get(norm)?.tags.has('Ordinal'))
      num = spelled.get(norm) ?? null;
    if (num !== null && !Number.isFinite(num)) num = null;
    const ti = r.quoted ? undefined : info.get(norm);
    let lemma = norm;
    if (!r.quoted && num === null) {
      if (norm.endsWith("n't") || norm === 'not' || norm === 'no' || norm === 'never') lemma = 'not';
      else if (ti?.root) lemma = singular(ti.root);
      else lemma = singular(norm);
    }
    const date = dates.find((d) => d.start === r.start);
    let dateLength = 0;
    if (date) dateLength = raw.filter((x) => x.start >= date.start && x.start < date.end).length;
    tokens.push({
      i,
      text: r.text,
      norm,
      lemma,
      tags: ti?.tags ?? EMPTY_TAGS,
      num,
      money: !r.quoted && norm.startsWith('$'),
      quoted: r.quoted,
      date: date ? date.range : null,
      dateLength,
      punct: !r.quoted && /^[^\w$]$/.test(r.text),
      capitalized: !r.quoted && /^[A-Z]/.test(r.text),
    });
  }
  return tokens;
}
