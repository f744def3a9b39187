import { identifierWords, isFlagName, normalizedWords, singular, stemKey } from './name-words.js';
import type { NlSchema } from './nl-schema.js';
import type { ValueIndex, ValueOccurrence } from './value-index.js';
import { GROUP_WORDS, STOPWORDS } from './vocabulary.js';

/** What a column holds, as far as the translator cares. */
export type ColumnCategory = 'number' | 'text' | 'date' | 'boolean' | 'other';

/** A column in the index. */
export interface IndexedColumn {
  readonly table: number;
  readonly index: number;
  readonly name: string;
  readonly type: string;
  readonly category: ColumnCategory;
  /** Normalised words of the name (split, singular). */
  readonly words: readonly string[];
  /** Part of the primary key or of a foreign key. */
  readonly key: boolean;
  readonly nullable: boolean;
  /** A yes/no column: a boolean, or named like one (`is_active`, `has_stock`). */
  readonly flag?: boolean;
  /** Content words of the column's comment ("date the customer signed up" -> date, customer, signed). */
  readonly commentWords?: readonly string[];
}

/** A foreign key resolved to table numbers. */
export interface IndexedForeignKey {
  readonly table: number;
  readonly columns: readonly string[];
  readonly referencedTable: number;
  readonly referencedColumns: readonly string[];
}

/** A table in the index. */
export interface IndexedTable {
  readonly id: number;
  readonly schema: string | null;
  readonly name: string;
  readonly words: readonly string[];
  readonly columns: readonly IndexedColumn[];
  readonly primaryKey: readonly string[];
  /** The column that names a row (`name`, `title`, `<table>_name`...), if any. */
  readonly labelColumn: number | null;
  readonly foreignKeys: readonly IndexedForeignKey[];
}

/** Something a phrase of the question can stand for. */
export type LinkTarget =
  | { readonly kind: 'table'; readonly table: number }
  | { readonly kind: 'column'; readonly table: number; readonly column: number };

/** A lexicon entry: a target and how well the phrase names it (0..1). */
export interface LexiconEntry {
  readonly target: LinkTarget;
  readonly score: number;
}

/** The precomputed linking index of one schema. Build once per schema, reuse for every question. */
export interface SchemaIndex {
  readonly dialect: NlSchema['dialect'];
  readonly tables: readonly IndexedTable[];
  /** Phrase (normalised words joined by a space) -> what it names. */
  readonly lexicon: ReadonlyMap<string, readonly LexiconEntry[]>;
  /** Longest phrase in the lexicon, in words. */
  readonly maxPhraseWords: number;
  /** Undirected join graph: table -> foreign keys touching it. */
  readonly edges: ReadonlyMap<number, readonly IndexedForeignKey[]>;
  readonly values: ValueIndex | null;
  /** Link question words by their meaning (WordNet) when they name nothing directly. @default true */
  readonly meanings?: boolean;
  /**
   * Words that a column's comment gives for one of its stored values ("status: pending (waiting),
   * shipped" makes "waiting" stand for 'pending'; "ELEC electronics" makes "electronics" 'ELEC'),
   * keyed like the value index.
   */
  readonly valueAliases?: ReadonlyMap<string, readonly ValueOccurrence[]>;
  /**
   * Names of two or more words by the stems of their words in any order ({@link stemKey}): a
   * question says "arrival date" or "arriving date" for `date_arrived`. Looked up when no phrase of
   * the lexicon matches.
   */
  readonly stems?: ReadonlyMap<string, readonly LexiconEntry[]>;
}

/** Options of {@link buildSchemaIndex}. */
export interface BuildSchemaIndexOptions {
  /** Distinct values of low-cardinality text columns, from {@link buildValueIndex}. @default null */
  readonly values?: ValueIndex | null;
  /**
   * Link question words that name nothing by their WordNet meanings (synonyms, derivations,
   * hypernyms). The data files are read on the first such word, not before. @default true
   */
  readonly meanings?: boolean;
}

/** Words that only fill a phrase ("year of birth" ~ "birth year"); left out of lexicon keys. */
export const FILLER_WORDS: ReadonlySet<string> = new Set([
  'of',
  'the',
  'a',
  'an',
  'in',
  'on',
  'for',
  'to',
  'and',
]);

const LABEL_WORDS = ['name', 'title', 'label', 'full name', 'username', 'login'];

export function columnCategory(type: string): ColumnCategory {
  const t = type.toLowerCase();
  if (/bool|bit\(1\)|tinyint\(1\)/.test(t)) return 'boolean';
  if (/date|time|year/.test(t)) return 'date';
  if (/int|num|dec|real|double|float|money|serial|number/.test(t)) return 'number';
  if (/char|text|string|clob|enum|uuid|citext|name|json|set/.test(t) || t === '') return 'text';
  return 'other';
}

function phraseKey(words: readonly string[]): string {
  return words.filter((w) => !FILLER_WORDS.has(w)).join(' ');
}

/** Words of comments that say nothing about what a column holds. */
const COMMENT_STOPWORDS: ReadonlySet<string> = new Set([
  'the',
  'when',
  'what',
  'which',
  'who',
  'this',
  'that',
  'with',
  'from',
  'into',
  'one',
  'each',
  'all',
  'not',
  'are',
  'was',
  'were',
  'has',
  'have',
  'its',
  'their',
  'our',
  'your',
  'used',
  'use',
  'value',
  'column',
  'table',
  'field',
  'row',
  'record',
  'key',
  'foreign',
  'primary',
  'reference',
  'references',
  'null',
  'true',
  'false',
  'yes',
  'longer',
  'lives',
  'live',
  'how',
  'many',
  'much',
  'where',
  'why',
  'there',
  'here',
  'also',
  'only',
  'yet',
]);

function wordsOfComment(comment: string | null | undefined): string[] {
  if (!comment) return [];
  return identifierWords(comment)
    .map(singular)
    .filter((w) => w.length > 2 && !FILLER_WORDS.has(w));
}

/** Builds the linking index of a schema: names split and singularised, join graph, optional values. */
export function buildSchemaIndex(schema: NlSchema, options: BuildSchemaIndexOptions = {}): SchemaIndex {
  const lexicon = new Map<string, LexiconEntry[]>();
  let maxPhraseWords = 1;
  // Position of each target in its lexicon list, so that adding stays O(1) on schemas of many tables.
  const positions = new Map<string, Map<string, number>>();
  const add = (words: readonly string[], target: LinkTarget, score: number): void => {
    const key = phraseKey(words);
    if (key === '') return;
    maxPhraseWords = Math.max(maxPhraseWords, key.split(' ').length);
    insert(key, target, score);
  };
  const insert = (key: string, target: LinkTarget, score: number): void => {
    const targetKey = target.kind === 'table' ? `t${target.table}` : `c${target.table}.${target.column}`;
    let list = lexicon.get(key);
    let at = positions.get(key);
    if (list === undefined || at === undefined) {
      list = [];
      at = new Map();
      lexicon.set(key, list);
      positions.set(key, at);
    }
    const same = at.get(targetKey);
    if (same === undefined) {
      at.set(targetKey, list.length);
      list.push({ target, score });
    } else if (list[same]!.score < score) list[same] = { target, score };
  };

  // Comments are evidence of their own: a short comment names its table or column as a whole
  // phrase ("units in stock"); in a longer one, each two words in a row that are not stop words
  // stand for it ("signed up", "order status"), weaker than the name (an exact name is 1).
  const addComment = (words: readonly string[], target: LinkTarget): void => {
    if (words.length === 0) return;
    if (words.length <= 3) add(words, target, 0.75);
    if (words.length === 1) return;
    for (let k = 0; k + 1 < words.length; k += 1) {
      const pair = words.slice(k, k + 2);
      // (nor a word a question is built of: "unique per customer" must not make "per customer" an
      // email, "0 means out of stock" must not read "out of stock" as the column instead of stock = 0)
      if (!pair.some((w) => COMMENT_STOPWORDS.has(w) || STOPWORDS.has(w) || GROUP_WORDS.has(w)))
        add(pair, target, 0.65);
    }
    // (single words of a longer comment are not used: "the city the customer lives in" would
    // make "life" a city; measured on the demo's refusal list)
  };

  const byName = new Map<string, number>();
  schema.tables.forEach((t, i) => {
    byName.set(t.name.toLowerCase(), i);
    if (t.schema) byName.set(`${t.schema}.${t.name}`.toLowerCase(), i);
  });

  const tables: IndexedTable[] = schema.tables.map((t, id) => {
    const words = normalizedWords(t.name, { table: true });
    const pk = new Set(t.primaryKey.map((c) => c.toLowerCase()));
    const fkCols = new Set(t.foreignKeys.flatMap((fk) => fk.columns.map((c) => c.toLowerCase())));
    const columns: IndexedColumn[] = t.columns.map((c, index) => ({
      table: id,
      index,
      name: c.name,
      type: c.type,
      category: columnCategory(c.type),
      words: normalizedWords(c.name),
      key: pk.has(c.name.toLowerCase()) || fkCols.has(c.name.toLowerCase()),
      nullable: c.nullable,
      flag: columnCategory(c.type) === 'boolean' || isFlagName(c.name),
      commentWords: wordsOfComment(c.comment),
    }));
    const foreignKeys: IndexedForeignKey[] = [];
    for (const fk of t.foreignKeys) {
      const ref =
        byName.get(`${fk.referencedSchema ?? ''}.${fk.referencedTable}`.toLowerCase()) ??
        byName.get(fk.referencedTable.toLowerCase());
      if (ref === undefined || fk.columns.length === 0) continue;
      const refTable = schema.tables[ref]!;
      // Some schemas declare a foreign key without naming the referenced columns: use the primary key.
      const refCols = fk.referencedColumns.length > 0 ? fk.referencedColumns : refTable.primaryKey;
      if (refCols.length !== fk.columns.length) continue;
      const canonical = (names: readonly string[], cols: readonly { name: string }[]): string[] =>
        names.map((n) => cols.find((c) => c.name.toLowerCase() === n.toLowerCase())?.name ?? n);
      foreignKeys.push({
        table: id,
        columns: canonical(fk.columns, t.columns),
        referencedTable: ref,
        referencedColumns: canonical(refCols, refTable.columns),
      });
    }
    inferForeignKeys(schema, id, columns, foreignKeys);
    ownerKeysFirst(words, columns, foreignKeys);
    return {
      id,
      schema: t.schema,
      name: t.name,
      words,
      columns,
      primaryKey: t.primaryKey,
      labelColumn: findLabelColumn(words, columns),
      foreignKeys,
    };
  });

  for (const [id, t] of tables.entries()) {
    const target: LinkTarget = { kind: 'table', table: id };
    add(t.words, target, 1);
    if (t.words.length > 1) {
      add(t.words.slice(-1), target, 0.75);
      add(t.words.slice(0, 1), target, 0.55);
    }
    addComment(wordsOfComment(schema.tables[id]!.comment), target);
    for (const c of t.columns) {
      const ct: LinkTarget = { kind: 'column', table: id, column: c.index };
      const w = c.words;
      add(w, ct, 1);
      // `singer_name` in table `singer` is "name"; `customer_id` in `customers` is "id".
      if (w.length > t.words.length && t.words.every((tw, k) => w[k] === tw))
        add(w.slice(t.words.length), ct, 0.95);
      if (w.length > 1) {
        const last = w[w.length - 1]!;
        const head =
          last === 'id' || last === 'code' || last === 'name' || last === 'number' ? w.slice(0, -1) : null;
        if (head !== null && head.length > 0) add(head, ct, last === 'id' ? 0.6 : 0.8);
        if (last !== 'id') add([last], ct, 0.6);
        if (w.length > 2) add(w.slice(-2), ct, 0.7);
        add(w.slice(0, 1), ct, 0.45);
      }
      addComment(c.commentWords ?? [], ct);
    }
  }

  const edges = new Map<number, IndexedForeignKey[]>();
  for (const t of tables) {
    for (const fk of t.foreignKeys) {
      if (fk.referencedTable === fk.table) continue;
      for (const end of [fk.table, fk.referencedTable]) {
        const list = edges.get(end) ?? [];
        list.push(fk);
        edges.set(end, list);
      }
    }
  }

  return {
    dialect: schema.dialect,
    tables,
    lexicon,
    maxPhraseWords,
    edges,
    values: options.values ?? null,
    meanings: options.meanings ?? true,
    valueAliases: valueAliases(schema, options.values ?? null),
    stems: stemNames(tables),
  };
}

/** Columns named with two or more words, by {@link stemKey} (weaker than a name as written). */
function stemNames(tables: readonly IndexedTable[]): Map<string, LexiconEntry[]> {
  const out = new Map<string, LexiconEntry[]>();
  for (const t of tables)
    for (const c of t.columns) {
      const words = c.words.filter((w) => !FILLER_WORDS.has(w));
      if (words.length < 2) continue;
      const key = stemKey(words);
      const list = out.get(key) ?? [];
      list.push({ target: { kind: 'column', table: t.id, column: c.index }, score: 0.9 });
      out.set(key, list);
    }
  return out;
}

/**
 * What comments say a stored value means: the words in parentheses right after the value ("pending
 * (waiting)"), or up to two words after it before a comma ("ELEC electronics, FURN furniture").
 */
function valueAliases(schema: NlSchema, values: ValueIndex | null): Map<string, ValueOccurrence[]> {
  const out = new Map<string, ValueOccurrence[]>();
  if (values === null) return out;
  const byColumn = new Map<string, ValueOccurrence[]>();
  for (const list of values.values.values())
    for (const o of list) {
      const key = `${o.table}.${o.column}`;
      const seen = byColumn.get(key) ?? [];
      if (!seen.some((x) => x.value === o.value)) seen.push(o);
      byColumn.set(key, seen);
    }
  for (const [key, occurrences] of byColumn) {
    const [ti, ci] = key.split('.').map(Number) as [number, number];
    const comment = schema.tables[ti]?.columns[ci]?.comment;
    if (!comment) continue;
    for (const o of occurrences) {
      const escaped = o.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const m = new RegExp(
        `(?:^|[\\s:(,])${escaped}(?:\\s*\\(([^)]{1,40})\\)|\\s+([A-Za-z][A-Za-z ]{0,30}?)(?=\\s*(?:[,;.)]|$)))`,
        'i',
      ).exec(comment);
      const gloss = (m?.[1] ?? m?.[2])?.trim().toLowerCase();
      if (!gloss || gloss === o.value.toLowerCase() || gloss.split(/\s+/).length > 2) continue;
      for (const k of new Set([
        gloss,
        ...gloss.split(/\s+/).filter((w) => w.length > 2 && !FILLER_WORDS.has(w)),
      ])) {
        const list = out.get(k) ?? [];
        if (!list.some((x) => x.table === o.table && x.column === o.column && x.value === o.value))
          list.push(o);
        out.set(k, list);
      }
    }
  }
  return out;
}

function findLabelColumn(tableWords: readonly string[], columns: readonly IndexedColumn[]): number | null {
  const text = columns.filter((c) => c.category === 'text' || c.category === 'other');
  for (const label of LABEL_WORDS) {
    const lw = label.split(' ');
    const exact = text.find((c) => c.words.join(' ') === label);
    if (exact) return exact.index;
    const prefixed = text.find(
      (c) =>
        c.words.length === tableWords.length + lw.length && c.words.slice(-lw.length).join(' ') === label,
    );
    if (prefixed) return prefixed.index;
  }
  const anyName = text.find((c) => c.words.includes('name') || c.words.includes('title'));
  if (anyName) return anyName.index;
  // `airlines.airline`: a text column named after its table
  const own = text.find(
    (c) =>
      c.words.join(' ') === tableWords.join(' ') || c.words.join(' ') === tableWords[tableWords.length - 1],
  );
  return own ? own.index : null;
}

/**
 * Two keys of one table to the same table (`Friend.student_id` and `Friend.friend_id`, both to
 * `Highschooler`): the one named after its own table names the other party (the friend), the other
 * one the row's owner, so "friends of Kyle" and "students with 3 friends" join on the owner's key.
 * Joins take the first key found, so the owner's key is put first; other keys keep their order.
 */
function ownerKeysFirst(
  tableWords: readonly string[],
  columns: readonly IndexedColumn[],
  foreignKeys: IndexedForeignKey[],
): void {
  const namesTable = (fk: IndexedForeignKey): boolean =>
    fk.columns.some((name) =>
      columns.find((c) => c.name === name)?.words.some((w) => tableWords.includes(w)),
    );
  for (const ref of new Set(foreignKeys.map((fk) => fk.referencedTable))) {
    const slots = foreignKeys.flatMap((fk, i) => (fk.referencedTable === ref ? [i] : []));
    if (slots.length < 2) continue;
    const group = slots.map((i) => foreignKeys[i]!);
    const ordered = [...group.filter((fk) => !namesTable(fk)), ...group.filter(namesTable)];
    slots.forEach((slot, k) => {
      foreignKeys[slot] = ordered[k]!;
    });
  }
}

/**
 * Foreign keys a schema leaves undeclared (common in real and sample databases): an integer column
 * named after another table, or after it and `id` (`flights.Airline`, `orders.CustomerId`), refers to
 * that table's single integer primary key, unless a declared foreign key already joins the two.
 */
function inferForeignKeys(
  schema: NlSchema,
  id: number,
  columns: readonly IndexedColumn[],
  foreignKeys: IndexedForeignKey[],
): void {
  const declared = new Set(foreignKeys.map((fk) => fk.referencedTable));
  const own = new Set(foreignKeys.flatMap((fk) => fk.columns.map((c) => c.toLowerCase())));
  for (const c of columns) {
    if (c.category !== 'number' || own.has(c.name.toLowerCase())) continue;
    const words = c.words[c.words.length - 1] === 'id' ? c.words.slice(0, -1) : c.words;
    if (words.length === 0) continue;
    for (const [ref, r] of schema.tables.entries()) {
      if (ref === id || declared.has(ref) || r.primaryKey.length !== 1) continue;
      const pk = r.columns.find((x) => x.name.toLowerCase() === r.primaryKey[0]!.toLowerCase());
      if (!pk || columnCategory(pk.type) !== 'number') continue;
      const rw = normalizedWords(r.name, { table: true }).map(singular);
      if (rw.join(' ') !== words.map(singular).join(' ')) continue;
      foreignKeys.push({ table: id, columns: [c.name], referencedTable: ref, referencedColumns: [pk.name] });
      declared.add(ref);
      break;
    }
  }
}
