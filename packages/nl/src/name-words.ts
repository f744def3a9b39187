import pluralize from 'pluralize';

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
  id: 'id',
};

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

/** The normalised words of an identifier: split, abbreviations expanded, singular. */
export function normalizedWords(name: string): string[] {
  return identifierWords(name).flatMap((w) => (ABBREVIATIONS[w] ?? w).split(' ').map(singular));
}
