import pluralize from 'pluralize';
import { STEM_SUFFIXES } from './vocabulary.js';

/**
 * Common abbreviations in column names, expanded to the word a person types. General English
 * only: the translator must not know any particular schema.
 */
const ABBREVIATIONS: Readonly<Record<string, string>> = {
  num: 'number',
  no: 'number',
  nbr: 'number',
  qty: 'quantity',
  amt: 'amount',
  dept: 'department',
  addr: 'address',
  desc: 'description',
  descr: 'description',
  yr: 'year',
  dob: 'birth',
  fname: 'first name',
  lname: 'last name',
  tel: 'phone',
  cnt: 'count',
  avg: 'average',
  pct: 'percent',
  dt: 'date',
  ts: 'time',
  img: 'image',
  msg: 'message',
  pwd: 'password',
  cat: 'category',
  prod: 'product',
  cust: 'customer',
  emp: 'employee',
  mgr: 'manager',
  org: 'organization',
  loc: 'location',
  lang: 'language',
  govt: 'government',
  pop: 'population',
  hp: 'horsepower',
  nm: 'name',
  nme: 'name',
  sal: 'salary',
  cd: 'code',
  ord: 'order',
  ordr: 'order',
  cnty: 'country',
  ctry: 'country',
  st: 'state',
  desig: 'designation',
  mfr: 'manufacturer',
  mfg: 'manufacturing',
  inv: 'invoice',
  acct: 'account',
  bal: 'balance',
  txn: 'transaction',
  trx: 'transaction',
  usr: 'user',
  ref: 'reference',
  stat: 'status',
  sts: 'status',
  upd: 'updated',
  crt: 'created',
  id: 'id',
};

/** Prefixes of a table's name that only say it is a table (`tbl_customer`, `tblOrders`, `vw_sales`). */
const TABLE_PREFIXES: ReadonlySet<string> = new Set(['tbl', 'tb', 'vw', 't', 'v']);

/** Hungarian type prefixes before a capital (`strCity`, `intAge`, `dblPrice`, `bActive`). */
const HUNGARIAN = /^(str|sz|int|lng|dbl|flt|dec|cur|bln|bool|b|n|i|s|dt|obj)(?=[A-Z])/;

/** First words of a flag column: `is_active`, `has_children`, `IsDeleted`. */
const FLAG_WORDS: ReadonlySet<string> = new Set(['is', 'has', 'flag']);

const singularCache = new Map<string, string>();

/** The singular, lower-case form of one word (cached: pluralize is rule-driven and not free). */
export function singular(word: string): string {
  const lower = word.toLowerCase();
  let out = singularCache.get(lower);
  if (out === undefined) {
    out =
      /^[a-z]+$/.test(lower) && (lower.length > 3 || lower === 'ids') && !lower.endsWith('ss')
        ? pluralize.singular(lower)
        : lower;
    if (singularCache.size < 50_000) singularCache.set(lower, out);
  }
  return out;
}

/** Splits an identifier into lower-case words: `orderItems`, `order_items`, `OrderItems2` -> order, item(s). */
export function identifierWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

/** Options of {@link normalizedWords}. */
export interface NormalizedWordsOptions {
  /** The name is a table's: a leading `tbl_`, `tb_`, `vw_`, `t_` only says so and is dropped. */
  readonly table?: boolean;
}

/**
 * The normalised words of an identifier: split (snake_case, camelCase, CamelCase), Hungarian type
 * prefixes and table prefixes dropped, abbreviations expanded, singular. `dt_created` -> date,
 * created; `qty_ord` -> quantity, order; `strCity` -> city; `tbl_Customer` -> customer;
 * `is_active` -> active (see {@link isFlagName}).
 */
export function normalizedWords(name: string, options: NormalizedWordsOptions = {}): string[] {
  let words = identifierWords(name.replace(HUNGARIAN, ''));
  if (options.table && words.length > 1 && TABLE_PREFIXES.has(words[0]!)) words = words.slice(1);
  if (words.length > 1 && FLAG_WORDS.has(words[0]!)) words = words.slice(1);
  return words.flatMap((w) => (ABBREVIATIONS[w] ?? w).split(' ').map(singular));
}

/** A yes/no column by its name: `is_active`, `has_stock`, `IsDeleted`, `flag_vip`. */
export function isFlagName(name: string): boolean {
  const words = identifierWords(name.replace(HUNGARIAN, ''));
  return words.length > 1 && FLAG_WORDS.has(words[0]!);
}

/** A word without its inflection or noun ending: arrived, arriving, arrival -> arriv. */
export function wordStem(word: string): string {
  const lower = word.toLowerCase();
  for (const suffix of STEM_SUFFIXES)
    if (lower.endsWith(suffix) && lower.length - suffix.length >= 4) return lower.slice(0, -suffix.length);
  return lower;
}

/** The stems of a name's words in any order, as one key ("date_arrived" and "arrival date" alike). */
export function stemKey(words: readonly string[]): string {
  return words.map(wordStem).sort().join(' ');
}
