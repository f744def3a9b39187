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
