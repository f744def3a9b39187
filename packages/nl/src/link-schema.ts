import { AGGREGATE_CUES, NEGATION_WORDS } from './cue-words.js';
import { singular, stemKey } from './name-words.js';
import { lexQuestion, type Token } from './question-lexer.js';
import { FILLER_WORDS, type LexiconEntry, type SchemaIndex } from './schema-index.js';
import { type ValueOccurrence, valueKey } from './value-index.js';
import { STOPWORDS, SYNONYMS } from './vocabulary.js';
import { nounsOfAdjective, relatedWords } from './wordnet.js';

/** A phrase of the question that names tables or columns (`end` exclusive, token positions). */
export interface SchemaMention {
  readonly kind: 'schema';
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** Best first. */
  readonly candidates: readonly LexiconEntry[];
}

/** A phrase of the question that is a value stored in a column (or a quoted string). */
export interface ValueMention {
  readonly kind: 'value';
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly quoted: boolean;
  /** Columns holding it; empty for a quoted string seen nowhere. */
  readonly occurrences: readonly ValueOccurrence[];
}

export type Mention = SchemaMention | ValueMention;

/** The linked question: tokens and mentions in question order. */
export interface LinkedQuestion {
  readonly tokens: readonly Token[];
  readonly mentions: readonly Mention[];
}

/** What {@link linkSchema} returns: the schema elements a question speaks about, with scores (0..1). */
export interface LinkResult {
  readonly tables: readonly {
    readonly table: string;
    readonly schema: string | null;
    readonly score: number;
  }[];
  readonly columns: readonly {
    readonly table: string;
    readonly column: string;
    readonly score: number;
  }[];
  readonly values: readonly {
    readonly table: string;
    readonly column: string;
    readonly value: string;
    readonly text: string;
  }[];
}

/** Options of {@link linkSchema}. */
export interface LinkSchemaOptions {
  /** Reference time for relative dates. @default new Date() */
  readonly now?: Date;
}

function lookupLexicon(
  tokens: readonly Token[],
  start: number,
  end: number,
  index: SchemaIndex,
  meaningful: boolean,
): LexiconEntry[] {
  const words = tokens.slice(start, end).map((t) => t.lemma);
  const key = words.filter((w) => !FILLER_WORDS.has(w)).join(' ');
  const direct = index.lexicon.get(key);
  const out: LexiconEntry[] = direct ? [...direct] : [];
  // "high schoolers" for `Highschooler`, "data base" for `database`: two words written as one name
  if (end - start === 2 && out.length === 0) {
    const joined = index.lexicon.get(singular(tokens[start]!.norm + tokens[start + 1]!.norm));
    if (joined) out.push(...joined.map((e) => ({ target: e.target, score: e.score * 0.95 })));
  }
  // "arrival date", "arriving date" for `date_arrived`: the same words in another form and order
  if (end - start > 1 && out.length === 0 && key.includes(' '))
    out.push(...(index.stems?.get(stemKey(key.split(' '))) ?? []));
  if (end - start === 1) {
    const t = tokens[start]!;
    for (const alt of new Set([t.norm, ...(SYNONYMS[t.lemma] ?? [])])) {
      if (alt === key) continue;
      const factor = alt === t.norm ? 1 : 0.8;
      for (const e of index.lexicon.get(alt) ?? []) out.push({ target: e.target, score: e.score * factor });
    }
    // A noun that names nothing: its meaning may name a table ("clients" ~ customers). Adjectives
    // and verbs are left alone ("high" is not a grade, "show" not a display).
    const noun = t.tags.has('Noun') && !t.tags.has('Adjective') && !t.tags.has('Verb');
    if (out.length === 0 && meaningful && noun) out.push(...meaningLinks(t.lemma, index));
  }
  return out;
}

/** Per schema index: question word -> what it names through WordNet (built on first use, then reused). */
const meaningCache = new WeakMap<SchemaIndex, Map<string, readonly LexiconEntry[]>>();

/**
 * What a word that names nothing of the schema names through its meaning: a WordNet synonym,
 * derivation or hypernym that is a name of the schema ("clients" ~ customers, "merchandise" ~
 * products, "buyers" ~ purchasers). Each link's score is the name's score times the closeness of
 * the meaning, so that an exact name (1) or a synonym of our own list (0.8) beats it.
 */
function meaningLinks(lemma: string, index: SchemaIndex): readonly LexiconEntry[] {
  if (index.meanings === false || lemma.length < 3) return [];
  let cache = meaningCache.get(index);
  if (cache === undefined) {
    cache = new Map();
    meaningCache.set(index, cache);
  }
  const cached = cache.get(lemma);
  if (cached) return cached;
  const out: LexiconEntry[] = [];
  const seen = new Set<string>();
  for (const r of relatedWords(lemma)) {
    const key = r.words
      .map(singular)
      .filter((w) => !FILLER_WORDS.has(w))
      .join(' ');
    for (const e of index.lexicon.get(key) ?? []) {
      const id = e.target.kind === 'table' ? `t${e.target.table}` : `c${e.target.table}.${e.target.column}`;
      if (seen.has(id)) continue;
      seen.add(id);
      // Tables only, by their whole name: a column by meaning or one part of a longer name is too
      // weak a reading (it measured worse on Spider: "high" schoolers were read as a grade).
      if (e.target.kind !== 'table' || e.score < 0.9) continue;
      out.push({ target: e.target, score: Math.round(e.score * r.score * 100) / 100 });
    }
  }
  out.sort((a, b) => b.score - a.score);
  cache.set(lemma, out);
  return out;
}

function lookupValue(
  tokens: readonly Token[],
  start: number,
  end: number,
  index: SchemaIndex,
): ValueOccurrence[] {
  const values = index.values;
  if (values === null) return [];
  const span = tokens.slice(start, end);
  const byNorm = values.values.get(valueKey(span.map((t) => t.norm).join(' ')));
  if (byNorm) return [...byNorm];
  if (end - start === 1 && !span[0]!.quoted) {
    const byLemma = values.values.get(span[0]!.lemma);
    if (byLemma) return [...byLemma];
  }
  // "sales support agents": a stored phrase in the plural, its last word by its lemma
  if (
    end - start > 1 &&
    !span.some((t) => t.quoted) &&
    span[end - start - 1]!.lemma !== span[end - start - 1]!.norm
  ) {
    const words = span.map((t, n) => (n === span.length - 1 ? t.lemma : t.norm));
    const byLemma = values.values.get(valueKey(words.join(' ')));
    if (byLemma) return [...byLemma];
  }
  // A word a column's comment gives for a stored value ("waiting" for 'pending')
  const alias =
    index.valueAliases?.get(valueKey(span.map((t) => t.norm).join(' '))) ??
    (end - start === 1 ? index.valueAliases?.get(span[0]!.lemma) : undefined);
  if (alias) return [...alias];
  // "French singers", "Italian customers": the noun an adjective pertains to is a stored value
  if (end - start === 1 && !span[0]!.quoted && index.meanings !== false) {
    for (const noun of nounsOfAdjective(span[0]!.norm)) {
      const found = values.values.get(valueKey(noun));
      if (found) return [...found];
    }
  }
  return [];
}

function isWordToken(t: Token): boolean {
  return !t.punct && t.num === null && !t.quoted;
}

const STRUCTURE_WORDS: ReadonlySet<string> = new Set([
  ...NEGATION_WORDS,
  'per',
  'than',
  'between',
  'order',
  'sorted',
  'count',
  'number',
  'distinct',
  'different',
  'top',
  'first',
  'last',
  'less',
  'more',
  'least',
  'at',
]);

const SORT_ADJECTIVES = new Set([
  'ascending',
  'descending',
  'alphabetical',
  'reverse',
  'reversed',
  'increasing',
  'decreasing',
  'chronological',
  'lexicographical',
  'numerical',
  'random',
  'same',
]);

const TEXT_CUES: ReadonlySet<string> = new Set([
  'word',
  'words',
  'substring',
  'phrase',
  'string',
  'containing',
  'contains',
  'contain',
  'mentioning',
  'mentions',
]);

/** True for the word right after "the word", "substring", "containing" (an article may stand between). */
function followsTextCue(tokens: readonly Token[], i: number): boolean {
  const prev = tokens[i - 1];
  const prev2 = tokens[i - 2];
  if (TEXT_CUES.has(tokens[i]!.norm)) return false;
  if (prev && TEXT_CUES.has(prev.norm)) return !STOPWORDS.has(tokens[i]!.norm);
  return (
    !!prev &&
    (prev.norm === 'the' || prev.norm === 'a') &&
    !!prev2 &&
    TEXT_CUES.has(prev2.norm) &&
    !STOPWORDS.has(tokens[i]!.norm)
  );
}

/** "order" in "in descending order" or "order by" speaks about sorting, not about an orders table. */
function isSortingWord(tokens: readonly Token[], i: number): boolean {
  const t = tokens[i]!;
  if (t.norm !== 'order' && t.norm !== 'ordered') return false;
  const next = tokens[i + 1]?.norm;
  const prev = tokens[i - 1]?.norm ?? '';
  return next === 'by' || next === 'of' || SORT_ADJECTIVES.has(prev) || (prev === 'in' && next === undefined);
}

/** Links the tokens of a question to tables, columns and values of the index (greedy, longest phrase first). */
export function linkTokens(tokens: readonly Token[], index: SchemaIndex): Mention[] {
  const mentions: Mention[] = [];
  // (at least two: two words may be written as one name)
  const maxLen = Math.max(index.maxPhraseWords, index.values?.maxWords ?? 1, 2);
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (t.quoted) {
      const occurrences = index.values?.values.get(valueKey(t.text)) ?? [];
      mentions.push({ kind: 'value', start: i, end: i + 1, text: t.text, quoted: true, occurrences });
      i += 1;
      continue;
    }
    if (t.date && t.dateLength > 0) {
      // A date expression ("last month") is read by the planner, not linked.
      i += t.dateLength;
      continue;
    }
    if (isWordToken(t) && followsTextCue(tokens, i)) {
      // "has the word computer", "containing east": the next word is text to look for
      const occurrences = index.values?.values.get(valueKey(t.text)) ?? [];
      mentions.push({ kind: 'value', start: i, end: i + 1, text: t.text, quoted: true, occurrences });
      i += 1;
      continue;
    }
    if (!isWordToken(t) || FILLER_WORDS.has(t.lemma) || isSortingWord(tokens, i)) {
      i += 1;
      continue;
    }
    let found: Mention | null = null;
    for (let len = Math.min(maxLen, tokens.length - i); len >= 1 && found === null; len -= 1) {
      const span = tokens.slice(i, i + len);
      if (span.some((s) => !isWordToken(s))) continue;
      const lastTok = span[span.length - 1]!;
      if (FILLER_WORDS.has(lastTok.lemma)) continue;
      const text = span.map((s) => s.text).join(' ');
      const single = len === 1;
      const stop = single && STOPWORDS.has(t.norm);
      // A word that carries the question's structure ("average", "most", "not") is not a stored value,
      // also when it is capitalised only because it starts the question ("Average rating per ...").
      const structural =
        single &&
        !(t.capitalized && t.i > 0) &&
        (STOPWORDS.has(t.norm) || t.norm in AGGREGATE_CUES || STRUCTURE_WORDS.has(t.norm));
      const values = structural ? [] : lookupValue(tokens, i, i + len, index);
      const schema = stop ? [] : lookupLexicon(tokens, i, i + len, index, !structural);
      // A capitalised word that is a stored value is most likely that value (France, Paris);
      // otherwise a name of the schema wins over a value spelled the same.
      const bestSchema = schema.reduce((m, e) => Math.max(m, e.score), 0);
      const preferValue =
        values.length > 0 &&
        (schema.length === 0 || bestSchema < 0.7 || span.every((s) => s.capitalized && s.i > 0));
      // A phrase read only weakly (a comment's words, a meaning) never swallows a first word that names
      // the schema better on its own ("product price" in a comment vs the table products, then price).
      if (!single && values.length === 0 && schema.length > 0 && bestSchema < 1) {
        const first = lookupLexicon(tokens, i, i + 1, index, !STRUCTURE_WORDS.has(t.norm));
        if (first.some((e) => e.score > bestSchema)) continue;
      }
      if (preferValue && !(stop && t.norm.length < 3)) {
        found = { kind: 'value', start: i, end: i + len, text, quoted: false, occurrences: values };
      } else if (schema.length > 0) {
        schema.sort((a, b) => b.score - a.score);
        found = { kind: 'schema', start: i, end: i + len, text, candidates: schema };
      }
    }
    if (found) {
      mentions.push(found);
      i = found.end;
    } else i += 1;
  }
  return ownedAttributes(tokens, mentions, index);
}

/** Columns whose whole name is these words ("song" and "name": `Song_Name`). */
function columnsNamed(index: SchemaIndex, words: readonly string[]): LexiconEntry[] {
  const key = words.filter((w) => !FILLER_WORDS.has(w)).join(' ');
  return (index.lexicon.get(key) ?? []).filter((e) => e.target.kind === 'column' && e.score >= 0.9);
}

/** "the name of the song", "the release years for all the songs": the attributes' owner follows. */
const OWNER_PREPOSITIONS: ReadonlySet<string> = new Set(['of', 'for']);
/** Words that may stand between the attributes of one list and the owner after them. */
const OWNED_LIST_GAP: ReadonlySet<string> = new Set([
  'and',
  ',',
  'the',
  'its',
  'their',
  'a',
  'an',
  'all',
  ...OWNER_PREPOSITIONS,
]);

/**
 * "the name and the release year of the song" where the schema has `Song_Name` and
 * `Song_release_year`: attributes listed before "of the <word>" are the columns named by that word
 * and each attribute, when the word itself names a column rather than a table (a table is where
 * the attributes are looked for, as in "the name of the singer"). The word is then read by them.
 */
function ownedAttributes(tokens: readonly Token[], mentions: Mention[], index: SchemaIndex): Mention[] {
  for (let j = mentions.length - 1; j > 0; j -= 1) {
    const owner = mentions[j]!;
    if (owner.kind !== 'schema' || owner.candidates.some((c) => c.target.kind === 'table')) continue;
    const gap = tokens.slice(mentions[j - 1]!.end, owner.start).map((t) => t.norm);
    if (!gap.some((w) => OWNER_PREPOSITIONS.has(w)) || gap.some((w) => !OWNED_LIST_GAP.has(w))) continue;
    const ownerWords = tokens.slice(owner.start, owner.end).map((t) => t.lemma);
    const renamed: number[] = [];
    for (let k = j - 1; k >= 0; k -= 1) {
      const attr = mentions[k]!;
      if (attr.kind !== 'schema') break;
      const named = columnsNamed(index, [
        ...ownerWords,
        ...tokens.slice(attr.start, attr.end).map((t) => t.lemma),
      ]);
      if (named.length === 0) break;
      mentions[k] = { ...attr, candidates: named };
      renamed.push(k);
      const before = k > 0 ? tokens.slice(mentions[k - 1]!.end, attr.start).map((t) => t.norm) : [];
      if (
        k === 0 ||
        before.length === 0 ||
        before.some((w) => !OWNED_LIST_GAP.has(w) || OWNER_PREPOSITIONS.has(w))
      )
        break;
    }
    if (renamed.length > 0) mentions.splice(j, 1);
  }
  return possessedAttributes(tokens, mentions, index);
}

/**
 * "a song having 'Hey' in its name" where the schema has `Song_Name`: an attribute right after
 * "its" belongs to the word before that names only columns; the two name one column.
 */
function possessedAttributes(tokens: readonly Token[], mentions: Mention[], index: SchemaIndex): Mention[] {
  for (let j = mentions.length - 1; j > 0; j -= 1) {
    const attr = mentions[j]!;
    if (attr.kind !== 'schema' || tokens[attr.start - 1]?.norm !== 'its') continue;
    const k = mentions.findLastIndex((m, n) => n < j && m.kind === 'schema' && attr.start - m.end <= 6);
    const owner = mentions[k];
    if (owner?.kind !== 'schema' || owner.candidates.some((c) => c.target.kind === 'table')) continue;
    const words = [...tokens.slice(owner.start, owner.end), ...tokens.slice(attr.start, attr.end)];
    const named = columnsNamed(
      index,
      words.map((t) => t.lemma),
    );
    if (named.length === 0) continue;
    mentions[j] = { ...attr, candidates: named };
    mentions.splice(k, 1);
    j -= 1;
  }
  return mentions;
}

/** Tokenises and links a question. */
export function linkQuestion(question: string, index: SchemaIndex, now: Date): LinkedQuestion {
  const tokens = lexQuestion(question, now);
  return { tokens, mentions: linkTokens(tokens, index) };
}

/**
 * The tables, columns and values of the schema that a question speaks about, with scores. LLM
 * providers use it to choose what schema context to send; the offline translator builds on it.
 */
export function linkSchema(
  question: string,
  index: SchemaIndex,
  options: LinkSchemaOptions = {},
): LinkResult {
  const linked = linkQuestion(question, index, options.now ?? new Date());
  const tables = new Map<number, number>();
  const columns = new Map<string, { table: number; column: number; score: number }>();
  const values: { table: string; column: string; value: string; text: string }[] = [];
  const bump = (table: number, score: number): void => {
    tables.set(table, Math.max(tables.get(table) ?? 0, score));
  };
  for (const m of linked.mentions) {
    if (m.kind === 'value') {
      for (const o of m.occurrences) {
        const t = index.tables[o.table]!;
        values.push({ table: t.name, column: t.columns[o.column]!.name, value: o.value, text: m.text });
        bump(o.table, 0.9);
      }
      continue;
    }
    // Weak readings (a first word of a longer name, a synonym of a synonym) do not bring a table in
    // when the phrase has a strong reading.
    const best = m.candidates[0]?.score ?? 0;
    // A column name found in many tables ("name", "id") says little about which table is meant.
    const spread = new Set(m.candidates.filter((c) => c.target.kind === 'column').map((c) => c.target.table))
      .size;
    const columnWeight = spread > 2 ? 0.3 : 0.8;
    for (const c of m.candidates) {
      if (c.score < Math.min(0.6, best)) continue;
      if (c.target.kind === 'table') bump(c.target.table, c.score);
      else {
        const key = `${c.target.table}.${c.target.column}`;
        const prev = columns.get(key);
        if (!prev || prev.score < c.score)
          columns.set(key, { table: c.target.table, column: c.target.column, score: c.score });
        bump(c.target.table, c.score * columnWeight);
      }
    }
  }
  // Tables on the join path between two linked tables are needed too: add direct neighbours
  // that connect two linked tables (bridge tables such as order_items).
  const linkedIds = [...tables.keys()];
  for (const t of index.tables) {
    if (tables.has(t.id)) continue;
    const neighbours = new Set<number>();
    for (const fk of index.edges.get(t.id) ?? []) {
      const other = fk.table === t.id ? fk.referencedTable : fk.table;
      if (tables.has(other)) neighbours.add(other);
    }
    if (neighbours.size >= 2 && linkedIds.length >= 2) tables.set(t.id, 0.5);
  }
  return {
    tables: [...tables.entries()]
      .filter(([, score]) => score >= 0.3)
      .sort((a, b) => b[1] - a[1])
      .map(([id, score]) => ({ table: index.tables[id]!.name, schema: index.tables[id]!.schema, score })),
    columns: [...columns.values()]
      .sort((a, b) => b.score - a.score)
      .map((c) => ({
        table: index.tables[c.table]!.name,
        column: index.tables[c.table]!.columns[c.column]!.name,
        score: c.score,
      })),
    values,
  };
}
