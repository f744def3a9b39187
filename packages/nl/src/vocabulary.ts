import type { AggregateFn, CompareOp, PeriodUnit } from './query-plan.js';

/**
 * General English vocabulary of the translator: synonyms of words that name data, and the attribute
 * an adjective speaks about. Nothing here names a particular schema; words are singular lemmas.
 */

/** A question word -> identifier words it may stand for (checked after the word itself). */
export const SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  user: ['customer', 'client', 'member', 'account', 'person'],
  customer: ['client', 'user', 'buyer', 'member'],
  client: ['customer', 'user'],
  buyer: ['customer', 'client'],
  person: ['people', 'customer', 'user', 'employee', 'member'],
  people: ['person', 'customer', 'user', 'employee', 'member'],
  member: ['user', 'customer'],
  shopper: ['customer'],
  spend: ['total', 'amount', 'price', 'cost'],
  spent: ['total', 'amount', 'price', 'cost'],
  pay: ['amount', 'payment', 'total', 'salary', 'price'],
  paid: ['amount', 'payment', 'total', 'price'],
  payment: ['amount', 'payment'],
  price: ['cost', 'amount', 'price'],
  cost: ['price', 'amount', 'cost'],
  money: ['amount', 'price', 'salary', 'earning'],
  earn: ['salary', 'earning', 'income', 'revenue', 'wage'],
  earning: ['salary', 'income', 'revenue', 'wage'],
  income: ['salary', 'earning', 'revenue'],
  salary: ['wage', 'pay', 'income', 'earning'],
  wage: ['salary'],
  revenue: ['sale', 'income', 'amount', 'total'],
  purchase: ['order'],
  buy: ['order', 'purchase'],
  bought: ['order', 'purchase'],
  sale: ['order'],
  product: ['item', 'article', 'good'],
  item: ['product', 'article'],
  article: ['product', 'item'],
  town: ['city'],
  city: ['town'],
  nation: ['country'],
  country: ['nation', 'nationality'],
  nationality: ['country', 'citizenship'],
  citizenship: ['nationality', 'country'],
  mail: ['email'],
  email: ['mail', 'e'],
  telephone: ['phone'],
  phone: ['telephone', 'mobile', 'cell'],
  mobile: ['phone', 'cell'],
  birthday: ['birth', 'dob'],
  born: ['birth'],
  sex: ['gender'],
  gender: ['sex'],
  job: ['title', 'occupation', 'role', 'position'],
  occupation: ['job', 'title'],
  role: ['job', 'title', 'position'],
  staff: ['employee', 'worker'],
  worker: ['employee', 'staff'],
  employee: ['staff', 'worker'],
  movie: ['film'],
  film: ['movie'],
  track: ['song'],
  song: ['track'],
  kind: ['type', 'category'],
  type: ['kind', 'category'],
  category: ['type', 'kind', 'genre'],
  genre: ['category', 'type'],
  rating: ['rate', 'score', 'star'],
  score: ['rating', 'point'],
  star: ['rating'],
  amount: ['total', 'price', 'sum'],
  total: ['amount', 'sum'],
  created: ['create', 'creation'],
  date: ['time', 'day', 'at'],
  time: ['date', 'at'],
  when: ['date', 'time'],
  place: ['location', 'address'],
  location: ['place', 'address'],
  address: ['location'],
  name: ['title'],
  title: ['name'],
  stock: ['quantity', 'inventory'],
  quantity: ['qty', 'count', 'stock'],
  review: ['rating', 'comment'],
  comment: ['review', 'note'],
  manager: ['boss', 'supervisor'],
  teacher: ['instructor', 'professor'],
  student: ['pupil', 'learner'],
  company: ['firm', 'business', 'organization'],
  state: ['status'],
  status: ['state'],
  weigh: ['weight'],
  heavy: ['weight'],
  tall: ['height'],
  high: ['height'],
  live: ['city', 'address', 'country', 'location', 'hometown', 'residence'],
  old: ['age'],
  aged: ['age'],
  year: ['yr'],
};

/** The attribute an adjective speaks about, and which way "more" of it sorts. */
export interface AdjectiveSense {
  /** Identifier words of the attribute, best first. */
  readonly words: readonly string[];
  /** `desc` when the adjective means "more of the attribute" (older -> age desc). */
  readonly direction: 'asc' | 'desc';
  /** For dates of birth and similar: the opposite order applies to these words. */
  readonly invertedFor?: readonly string[];
}

/** Comparative/superlative stems: oldest -> old, most expensive -> expensive. */
export const ADJECTIVES: Readonly<Record<string, AdjectiveSense>> = {
  old: {
    words: ['age', 'birth', 'born', 'founded', 'year', 'date', 'created'],
    direction: 'desc',
    invertedFor: ['birth', 'born', 'founded', 'year', 'date', 'created'],
  },
  young: {
    words: ['age', 'birth', 'born', 'year', 'date'],
    direction: 'asc',
    invertedFor: ['birth', 'born', 'year', 'date'],
  },
  new: { words: ['date', 'created', 'time', 'year', 'at'], direction: 'desc' },
  recent: { words: ['date', 'created', 'time', 'year', 'at'], direction: 'desc' },
  late: { words: ['date', 'created', 'time', 'year', 'at'], direction: 'desc' },
  early: { words: ['date', 'created', 'time', 'year', 'at'], direction: 'asc' },
  expensive: { words: ['price', 'cost', 'amount', 'total', 'fee'], direction: 'desc' },
  costly: { words: ['price', 'cost', 'amount', 'total'], direction: 'desc' },
  cheap: { words: ['price', 'cost', 'amount', 'total', 'fee'], direction: 'asc' },
  inexpensive: { words: ['price', 'cost', 'amount', 'total'], direction: 'asc' },
  tall: { words: ['height'], direction: 'desc' },
  short: { words: ['height', 'length', 'duration'], direction: 'asc' },
  heavy: { words: ['weight'], direction: 'desc' },
  light: { words: ['weight'], direction: 'asc' },
  long: { words: ['length', 'duration', 'distance', 'time'], direction: 'desc' },
  big: { words: ['size', 'area', 'capacity', 'population', 'amount', 'total'], direction: 'desc' },
  large: { words: ['size', 'area', 'capacity', 'population', 'amount', 'total'], direction: 'desc' },
  small: { words: ['size', 'area', 'capacity', 'population', 'amount', 'total'], direction: 'asc' },
  populous: { words: ['population'], direction: 'desc' },
  fast: { words: ['speed', 'acceleration'], direction: 'desc' },
  slow: { words: ['speed'], direction: 'asc' },
  rich: { words: ['money', 'earning', 'salary', 'wealth', 'income', 'balance'], direction: 'desc' },
  poor: { words: ['money', 'earning', 'salary', 'wealth', 'income', 'balance'], direction: 'asc' },
  wide: { words: ['width'], direction: 'desc' },
  far: { words: ['distance'], direction: 'desc' },
  popular: { words: ['rating', 'popularity', 'share', 'view', 'sale'], direction: 'desc' },
  good: { words: ['rating', 'score', 'rank'], direction: 'desc' },
  bad: { words: ['rating', 'score', 'rank'], direction: 'asc' },
  high: { words: [], direction: 'desc' },
  low: { words: [], direction: 'asc' },
  great: { words: [], direction: 'desc' },
};

/** Irregular comparatives and superlatives that a suffix rule would miss. */
export const IRREGULAR_GRADES: Readonly<
  Record<string, { stem: string; grade: 'comparative' | 'superlative' }>
> = {
  best: { stem: 'good', grade: 'superlative' },
  better: { stem: 'good', grade: 'comparative' },
  worst: { stem: 'bad', grade: 'superlative' },
  worse: { stem: 'bad', grade: 'comparative' },
  latest: { stem: 'late', grade: 'superlative' },
  biggest: { stem: 'big', grade: 'superlative' },
  bigger: { stem: 'big', grade: 'comparative' },
  farthest: { stem: 'far', grade: 'superlative' },
  furthest: { stem: 'far', grade: 'superlative' },
};

/** Words that carry no meaning of their own for the translator. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a an the of for to in on at by from with about as and or is are was were be been being am do does did ' +
    'doing have has had having what which who whom whose where when why how me my i we our us you your ' +
    'show list give tell find get display return retrieve fetch see print report provide all every each ' +
    'that this these those there their them they it its he she his her him please can could would will ' +
    'shall should may might must any some also just only than then so such into out up down over under ' +
    'again further once here both few more most other same own too very s t ' +
    'let know want need information info info detail details record records data entry entries ' +
    'corresponding respective respectively currently ever overall along together whole ' +
    'one ones thing things value values number numbers'
  ).split(/\s+/),
);

// Cue words of the question: comparisons, aggregates, ordering, negation (once cue-words.ts).
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

// Word lists of the planner (once inline in plan-query.ts).
export const MONEY_WORDS = [
  'amount',
  'total',
  'price',
  'cost',
  'payment',
  'salary',
  'revenue',
  'spent',
  'fee',
  'balance',
  'value',
];
export const SPEND_VERBS = new Set([
  'spend',
  'spent',
  'pay',
  'paid',
  'earn',
  'earned',
  'make',
  'made',
  'generate',
  'bring',
  'brought',
]);
export const PLACE_WORDS: ReadonlySet<string> = new Set([
  'city',
  'country',
  'location',
  'address',
  'region',
  'state',
  'town',
  'place',
  'continent',
  'area',
  'district',
  'province',
  'hometown',
  'nationality',
  'citizenship',
  'venue',
  'county',
]);
/** After a sort word, the order is by how many rows share the value ("sorted by their frequency"). */
export const FREQUENCY_WORDS: ReadonlySet<string> = new Set([
  'count',
  'frequency',
  'often',
  'occurrence',
  'occurrences',
]);
export const COMMON_WORDS: ReadonlySet<string> = new Set([
  'common',
  'frequent',
  'popular',
  'usual',
  'typical',
]);
export const COMPARATIVE_WORDS: Readonly<Record<string, CompareOp>> = {
  more: '>',
  greater: '>',
  higher: '>',
  larger: '>',
  bigger: '>',
  longer: '>',
  later: '>',
  older: '>',
  heavier: '>',
  taller: '>',
  less: '<',
  fewer: '<',
  lower: '<',
  smaller: '<',
  shorter: '<',
  earlier: '<',
  younger: '<',
  lighter: '<',
};
export const TRANSPARENT_AFTER_AGGREGATE = new Set([
  'the',
  'of',
  'a',
  'an',
  'amount',
  'number',
  'value',
  'count',
  'all',
  'level',
  'rate',
  'the',
  'its',
  'their',
  'total',
  'different',
  'distinct',
  'unique',
  'overall',
]);
export const RELATIVE_WORDS = new Set([
  'who',
  'that',
  'which',
  'whose',
  'where',
  'with',
  'having',
  'whom',
  'when',
  'in',
  'from',
  'of',
  'by',
  'for',
  'on',
  'at',
  'has',
  'have',
  'had',
  'is',
  'are',
  'was',
  'were',
  'did',
  'does',
  'do',
]);

/** Words of columns whose values add up over rows (summed per period), rather than being averaged. */
export const ADDITIVE_WORDS: ReadonlySet<string> = new Set([
  'amount',
  'total',
  'payment',
  'revenue',
  'spent',
  'spend',
  'fee',
  'quantity',
  'count',
  'sale',
  'income',
  'earning',
  'cost',
  'sold',
]);

export const BIRTH_WORDS: ReadonlySet<string> = new Set(['birth', 'born', 'birthday', 'dob']);

/** Words between a cue and what it reads that change nothing ("by the name", "of all their"). */
export const FILLER_BEFORE_CUE: ReadonlySet<string> = new Set([
  'the',
  'their',
  'its',
  'his',
  'her',
  'a',
  'an',
  'all',
]);

/** Words that say which way to sort wherever they stand. */
export const EXPLICIT_DESC_WORDS: ReadonlySet<string> = new Set([
  'descending',
  'desc',
  'decreasing',
  'reverse',
  'reversed',
]);
export const EXPLICIT_ASC_WORDS: ReadonlySet<string> = new Set([
  'ascending',
  'asc',
  'increasing',
  'alphabetical',
  'alphabetically',
]);
/** Words understood as a direction of sorting (marked as read). */
export const DIRECTION_WORDS: ReadonlySet<string> = new Set([...EXPLICIT_DESC_WORDS, ...EXPLICIT_ASC_WORDS]);

/** After "from" in "from highest to lowest", "from the earliest ...": the direction of the order. */
export const FROM_DESC_WORDS: ReadonlySet<string> = new Set([
  'highest',
  'largest',
  'most',
  'biggest',
  'greatest',
  'best',
  'newest',
  'latest',
]);
export const FROM_ASC_WORDS: ReadonlySet<string> = new Set([
  'lowest',
  'smallest',
  'least',
  'fewest',
  'worst',
  'earliest',
]);
/**
 * Plain adjectives give the direction only as a pair ("from high to low", "from old to young"):
 * alone after "from" they begin other phrases ("from New York", "from late 2010").
 */
export const FROM_PAIRS: ReadonlyMap<string, { to: string; direction: 'asc' | 'desc' }> = new Map([
  ['high', { to: 'low', direction: 'desc' }],
  ['low', { to: 'high', direction: 'asc' }],
  ['large', { to: 'small', direction: 'desc' }],
  ['small', { to: 'large', direction: 'asc' }],
  ['big', { to: 'small', direction: 'desc' }],
  ['old', { to: 'young', direction: 'desc' }],
  ['young', { to: 'old', direction: 'asc' }],
  ['new', { to: 'old', direction: 'desc' }],
  ['late', { to: 'early', direction: 'desc' }],
  ['early', { to: 'late', direction: 'asc' }],
  ['most', { to: 'least', direction: 'desc' }],
  ['many', { to: 'few', direction: 'desc' }],
  ['few', { to: 'many', direction: 'asc' }],
]);

/** Words that ask for an order when no column is named ("in alphabetical order"). */
export const BARE_SORT_WORDS: ReadonlySet<string> = new Set([
  'alphabetical',
  'alphabetically',
  'lexicographical',
  'lexicographically',
  'descending',
  'ascending',
  'sorted',
  'ordered',
  'sort',
  'order',
]);
/** Words of such a bare order marked as read. */
export const SORT_MARK_WORDS: ReadonlySet<string> = new Set([
  'alphabetical',
  'alphabetically',
  'lexicographical',
  'lexicographically',
  'order',
  'sorted',
  'ordered',
  'sort',
  'reverse',
  'reversed',
]);

/** Words before a number that make it a limit ("top 5", "first 10"). */
export const LIMIT_WORDS: ReadonlySet<string> = new Set(['top', 'first', 'last', 'bottom']);

/** Superlatives of quantity: "the most orders" is a count. */
export const SUPERLATIVE_COUNT_WORDS: ReadonlySet<string> = new Set(['most', 'fewest', 'least']);

/** The words that may join a list of things shown ("names of teachers and the courses"). */
export const LIST_JOINERS: ReadonlySet<string> = new Set(['and', ',', 'their', 'its', 'the', 'with']);

/** Words between a column and a value that make the value a condition on the column ("age is 30"). */
export const FILTER_LINK_WORDS: ReadonlySet<string> = new Set([
  'is',
  'are',
  'was',
  'were',
  'of',
  'equal',
  'equals',
  '=',
  'in',
  'on',
  'not',
  'named',
  'called',
  'between',
  'as',
]);

/** Verbs after a described subject in "which support agent has the most tickets". */
export const SUBJECT_RANK_VERBS: ReadonlySet<string> = new Set([
  'has',
  'have',
  'had',
  'with',
  'handles',
  'handled',
  'gets',
  'got',
]);

/** Before a quoted value: it is part of a text ("containing the word 'great'"). */
export const SUBSTRING_WORDS: ReadonlySet<string> = new Set(['word', 'words', 'phrase', 'substring']);

/** Words of columns of free text, searched when no column is named. */
export const FREE_TEXT_WORDS: ReadonlySet<string> = new Set([
  'text',
  'body',
  'description',
  'comment',
  'note',
  'content',
  'message',
]);

/** Prepositions before a place ("in Paris", "from France"). */
export const PLACE_PREPOSITIONS: ReadonlySet<string> = new Set(['in', 'from', 'at', 'near', 'outside']);

/**
 * Words that open a relative clause about the rows ("the singer with the highest age", "customers
 * who have ..."): after one, a superlative orders the rows instead of asking for the value.
 */
export const RELATIVE_CLAUSE_WORDS: ReadonlySet<string> = new Set([
  'with',
  'who',
  'that',
  'which',
  'whose',
  'has',
  'have',
  'had',
]);

/** Question words that ask for the rows' names ("which customers ..."). */
export const QUESTION_WORDS: ReadonlySet<string> = new Set(['which', 'what', 'who', 'whose', 'whom']);
/** Question words before a described subject ("which support agent has ..."). */
export const SUBJECT_QUESTION_WORDS: ReadonlySet<string> = new Set(['which', 'what', 'who']);

/** Adjectives that "most" does not grade ("most high" is not said; "the most great" neither). */
export const MOST_EXCLUDED_ADJECTIVES: ReadonlySet<string> = new Set(['high', 'low', 'great']);

/** Words before a period noun that group by it ("per month", "for each year"). */
export const PERIOD_GROUP_WORDS: ReadonlySet<string> = new Set(['per', 'by', 'each', 'every']);
/** Words of a column that holds dates or times, whatever its type. */
export const DATE_COLUMN_WORDS: ReadonlySet<string> = new Set(['date', 'time', 'at', 'day']);
/** Nouns of dates that are not verbs naming a date column ("signed up" names signup_date; "date" does not). */
export const DATE_NOUNS: ReadonlySet<string> = new Set(['date', 'time', 'year']);
/** Words of the date a row's event happened on, best first. */
export const EVENT_DATE_WORDS: readonly string[] = [
  'date',
  'created',
  'time',
  'at',
  'day',
  'placed',
  'ordered',
];
/** Words of the date rows are counted by per period, best first. */
export const PERIOD_DATE_WORDS: readonly string[] = [...EVENT_DATE_WORDS, 'paid'];

/** Words between a comparison and its amount ("more than the", "at least about"). */
export const WORDS_BEFORE_AMOUNT: ReadonlySet<string> = new Set(['the', 'a', 'an', 'of', 'about', 'around']);

/** Words before "selling" in "best selling products". */
export const SELLING_RANK_WORDS: ReadonlySet<string> = new Set(['best', 'top', 'worst']);
/** Words of a column counting what was sold. */
export const SOLD_WORDS: ReadonlySet<string> = new Set(['quantity', 'sold']);
/** Words of a table whose rows are sales. */
export const SALE_TABLE_WORDS: ReadonlySet<string> = new Set(['order', 'sale', 'purchase', 'item', 'line']);

/** Determiners skipped before a ranking's measure ("by their number of orders"). */
export const DETERMINERS: ReadonlySet<string> = new Set(['the', 'their', 'its', 'his', 'her', 'a', 'an']);
/** Determiners skipped after "number of" in a measure. */
export const MEASURE_DETERMINERS: ReadonlySet<string> = new Set(['the', 'their', 'its', 'a', 'an']);
/** Words skipped after an aggregate word in a measure ("average of the rating"). */
export const AFTER_AGGREGATE_WORDS: ReadonlySet<string> = new Set(['of', 'the', 'their', 'its']);

/** First words of a two-word part of a person's name (`first_name`, `family_name`). */
export const NAME_PART_WORDS: ReadonlySet<string> = new Set([
  'first',
  'last',
  'given',
  'family',
  'middle',
  'sur',
  'fore',
  'maiden',
]);

/** After a sort column: the order is descending. */
export const DESC_AFTER_COLUMN: ReadonlySet<string> = new Set(['descending', 'desc', 'decreasing']);

/** Words that continue a list of things shown ("names and their ages"). */
export const LIST_CONTINUATION_WORDS: ReadonlySet<string> = new Set(['and', ',', 'their', 'its']);

/** Punctuation that ends a sentence. */
export const SENTENCE_ENDS: ReadonlySet<string> = new Set(['?', '.', '!', ';']);
/** Verbs that ask to show something ("List the names", "Give me the ids"). */
export const SHOW_VERBS: ReadonlySet<string> = new Set([
  'list',
  'show',
  'give',
  'return',
  'display',
  'tell',
  'find',
  'provide',
]);

/** How text flag columns spell yes and no (lower case, as the value index keys them). */
export const FLAG_YES: readonly string[] = ['t', 'y', 'yes', 'true', '1'];
export const FLAG_NO: readonly string[] = ['f', 'n', 'no', 'false', '0'];

/**
 * Endings cut off a word to compare a name's word with the question's other form of it ("date
 * arrived" asked as "arriving date" or "arrival date", "date departed" as "departure date"), longest
 * first; a stem keeps at least four letters.
 */
export const STEM_SUFFIXES: readonly string[] = ['ing', 'ure', 'ed', 'al', 'es', 'e', 's'];
