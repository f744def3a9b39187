import type { AggregateFn, CompareOp, PeriodUnit } from './query-plan.js';

/** Word sequences (lower case) that express a comparison before a number, value or date. */
export const COMPARISON_CUES: readonly { readonly words: readonly string[]; readonly op: CompareOp }[] = [
  { words: ['no', 'more', 'than'], op: '<=' },
  { words: ['no', 'less', 'than'], op: '>=' },
  { words: ['not', 'more', 'than'], op: '<=' },
  { words: ['not', 'less', 'than'], op: '>=' },
  { words: ['more', 'than'], op: '>' },
  { words: ['greater', 'than'], op: '>' },
  { words: ['higher', 'than'], op: '>' },
  { words: ['larger', 'than'], op: '>' },
  { words: ['bigger', 'than'], op: '>' },
  { words: ['later', 'than'], op: '>' },
  { words: ['longer', 'than'], op: '>' },
  { words: ['at', 'least'], op: '>=' },
  { words: ['at', 'most'], op: '<=' },
  { words: ['up', 'to'], op: '<=' },
  { words: ['less', 'than'], op: '<' },
  { words: ['fewer', 'than'], op: '<' },
  { words: ['lower', 'than'], op: '<' },
  { words: ['smaller', 'than'], op: '<' },
  { words: ['earlier', 'than'], op: '<' },
  { words: ['shorter', 'than'], op: '<' },
  { words: ['prior', 'to'], op: '<' },
  { words: ['equal', 'to'], op: '=' },
  { words: ['other', 'than'], op: '<>' },
  { words: ['different', 'from'], op: '<>' },
  { words: ['over'], op: '>' },
  { words: ['above'], op: '>' },
  { words: ['exceeding'], op: '>' },
  { words: ['exceeds'], op: '>' },
  { words: ['exceed'], op: '>' },
  { words: ['beyond'], op: '>' },
  { words: ['after'], op: '>' },
  { words: ['since'], op: '>=' },
  { words: ['under'], op: '<' },
  { words: ['below'], op: '<' },
  { words: ['before'], op: '<' },
  { words: ['until'], op: '<=' },
  { words: ['>='], op: '>=' },
  { words: ['<='], op: '<=' },
  { words: ['>'], op: '>' },
  { words: ['<'], op: '<' },
  { words: ['='], op: '=' },
  { words: ['exactly'], op: '=' },
];

/** Sequences after a number: "3 or more". */
export const TRAILING_COMPARISON_CUES: readonly {
  readonly words: readonly string[];
  readonly op: CompareOp;
}[] = [
  { words: ['or', 'more'], op: '>=' },
  { words: ['or', 'greater'], op: '>=' },
  { words: ['or', 'above'], op: '>=' },
  { words: ['or', 'over'], op: '>=' },
  { words: ['or', 'higher'], op: '>=' },
  { words: ['or', 'less'], op: '<=' },
  { words: ['or', 'fewer'], op: '<=' },
  { words: ['or', 'below'], op: '<=' },
  { words: ['or', 'under'], op: '<=' },
  { words: ['or', 'lower'], op: '<=' },
  { words: ['and', 'above'], op: '>=' },
  { words: ['and', 'over'], op: '>=' },
  { words: ['and', 'below'], op: '<=' },
  { words: ['and', 'under'], op: '<=' },
  { words: ['plus'], op: '>=' },
];

/** Words naming an aggregate. */
export const AGGREGATE_CUES: Readonly<Record<string, AggregateFn>> = {
  average: 'avg',
  avg: 'avg',
  mean: 'avg',
  total: 'sum',
  sum: 'sum',
  combined: 'sum',
  overall: 'sum',
  maximum: 'max',
  max: 'max',
  highest: 'max',
  largest: 'max',
  biggest: 'max',
  greatest: 'max',
  most: 'max',
  top: 'max',
  minimum: 'min',
  min: 'min',
  lowest: 'min',
  smallest: 'min',
  least: 'min',
  fewest: 'min',
};

/** Verbs that ask to change data: the translator answers these with NL_NO_TRANSLATION. */
export const WRITE_VERBS: ReadonlySet<string> = new Set([
  'delete',
  'remove',
  'drop',
  'update',
  'insert',
  'add',
  'create',
  'truncate',
  'alter',
  'change',
  'set',
  'modify',
  'rename',
  'erase',
  'wipe',
  'clear',
  'replace',
  'edit',
  'upsert',
  'grant',
  'revoke',
  'purge',
  'destroy',
  'increase',
  'decrease',
  'raise',
  'lower',
  'reset',
  'assign',
  'cancel',
  'mark',
  'merge',
]);

/** Words that begin a request ("please", "can you") before its verb. */
export const POLITE_WORDS: ReadonlySet<string> = new Set([
  'please',
  'can',
  'could',
  'would',
  'you',
  'kindly',
  'i',
  'want',
  'to',
  'need',
  'let',
  "let's",
  'us',
  'go',
  'ahead',
  'and',
  'now',
  'just',
]);

export const NEGATION_WORDS: ReadonlySet<string> = new Set([
  'not',
  'no',
  'without',
  'never',
  'except',
  'excluding',
  'lacking',
  'none',
  'nobody',
  'neither',
  'nor',
]);

/** Auxiliaries whose "not" negates the verb ("do not have", "has not ordered"), not a value. */
export const VERB_AUXILIARIES: ReadonlySet<string> = new Set([
  'do',
  'does',
  'did',
  'have',
  'has',
  'had',
  'can',
  'could',
  'will',
  'would',
]);

export const DISTINCT_WORDS: ReadonlySet<string> = new Set(['different', 'distinct', 'unique', 'various']);

export const GROUP_WORDS: ReadonlySet<string> = new Set(['per', 'each', 'every']);

export const ORDER_VERBS: ReadonlySet<string> = new Set([
  'order',
  'ordered',
  'sort',
  'sorted',
  'rank',
  'ranked',
  'arrange',
  'arranged',
  'ordering',
  'sorting',
]);

export const DESC_WORDS: ReadonlySet<string> = new Set([
  'descending',
  'desc',
  'decreasing',
  'reverse',
  'highest',
  'largest',
  'biggest',
  'most',
  'newest',
  'latest',
]);

export const ASC_WORDS: ReadonlySet<string> = new Set([
  'ascending',
  'asc',
  'increasing',
  'alphabetical',
  'alphabetically',
  'lowest',
  'smallest',
  'least',
  'oldest',
  'earliest',
]);

export const LIKE_WORDS: ReadonlySet<string> = new Set([
  'contain',
  'contains',
  'containing',
  'include',
  'includes',
  'including',
  'like',
  'mention',
  'mentions',
  'mentioning',
]);

export const STARTS_WORDS: ReadonlySet<string> = new Set([
  'start',
  'starts',
  'starting',
  'begin',
  'begins',
  'beginning',
]);

export const ENDS_WORDS: ReadonlySet<string> = new Set(['end', 'ends', 'ending']);

export const NAMING_WORDS: ReadonlySet<string> = new Set(['named', 'called', 'titled', 'name', 'names']);

/**
 * Words that rank the rows of a table by a measure ("top 5 customers by total spent", "the 3 best
 * products by average rating", "bottom 10 customers by number of orders"), and which way they sort.
 */
export const RANKING_WORDS: Readonly<Record<string, 'asc' | 'desc'>> = {
  top: 'desc',
  best: 'desc',
  biggest: 'desc',
  highest: 'desc',
  most: 'desc',
  largest: 'desc',
  greatest: 'desc',
  bottom: 'asc',
  worst: 'asc',
  lowest: 'asc',
  least: 'asc',
  smallest: 'asc',
  fewest: 'asc',
};

/** Ranking words that need no "by <measure>" ("top customers", "the 5 biggest customers"). */
export const BARE_RANKING_WORDS: ReadonlySet<string> = new Set([
  'top',
  'best',
  'biggest',
  'largest',
  'bottom',
  'worst',
]);

/** Nouns (lemmas) of the periods dates are grouped by: "per month", "by year", "which year". */
export const PERIOD_NOUNS: Readonly<Record<string, PeriodUnit>> = {
  day: 'day',
  week: 'week',
  month: 'month',
  year: 'year',
};

/** Adverbs and adjectives of a period: "monthly revenue", "orders per day" said as "daily orders". */
export const PERIOD_ADVERBS: Readonly<Record<string, PeriodUnit>> = {
  daily: 'day',
  weekly: 'week',
  monthly: 'month',
  yearly: 'year',
  annual: 'year',
  annually: 'year',
};
