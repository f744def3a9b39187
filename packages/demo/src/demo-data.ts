import { CATALOG, type CatalogProduct, CITIES, STAFF } from './demo-catalog.js';
import { DemoOptionsError } from './demo-errors.js';
import { DemoRandom } from './demo-random.js';
import {
  DEMO_PAYMENT_METHODS,
  DEMO_TABLES,
  type DemoOrderStatus,
  type DemoPaymentMethod,
  type DemoTableName,
  type DemoTicketCategory,
  type DemoTicketPriority,
  type DemoTicketStatus,
} from './demo-schema.js';
import { fillTemplate, REVIEW_SENTENCES, REVIEW_TITLES, TICKET_SUBJECTS } from './demo-texts.js';
import { insertStatements, type SqlValue } from './sql-literal.js';

/** The seed of the demo database that `aishell demo` creates. */
export const DEMO_SEED = 20_260_630;

/**
 * "Today" in the demo shop: the data never depends on the real clock. Orders run from 2021-01-01
 * to the end of this day (UTC); statuses (pending, shipped, open tickets...) are as of this day.
 */
export const DEMO_REFERENCE_DATE = '2026-06-30';

/** How many rows of the seeded tables to generate (categories, products and employees are fixed). */
export interface DemoSizes {
  /**
   * Customers; about one in eight never orders.
   * @default 1200
   */
  readonly customers: number;
  /**
   * Orders, spread over 2021-01..2026-06 with growth and year-end peaks; 1-5 items each.
   * @default 12500
   */
  readonly orders: number;
  /**
   * Product reviews, at most one per customer and product, only for delivered products
   * (fewer when there are not enough deliveries).
   * @default 3000
   */
  readonly reviews: number;
  /**
   * Support tickets.
   * @default 400
   */
  readonly supportTickets: number;
}

export const DEFAULT_DEMO_SIZES: Readonly<DemoSizes> = Object.freeze({
  customers: 1200,
  orders: 12_500,
  reviews: 3000,
  supportTickets: 400,
});

/** Rows per INSERT statement. */
export const DEMO_ROWS_PER_STATEMENT = 1000;

/** What to generate. */
export interface DemoDataOptions {
  /**
   * Seed of every random choice: the same seed gives byte-identical statements.
   * @default DEMO_SEED
   */
  readonly seed?: number;
  /** Row counts; missing ones come from DEFAULT_DEMO_SIZES. */
  readonly sizes?: Partial<DemoSizes>;
}

/** The generated data: statements in foreign-key order and the rows they insert per table. */
export interface DemoData {
  readonly seed: number;
  readonly sizes: Readonly<DemoSizes>;
  readonly rows: Readonly<Record<DemoTableName, number>>;
  /** One entry per statement, with the table it fills (null for the closing setval statements). */
  readonly statements: readonly { readonly table: DemoTableName | null; readonly sql: string }[];
}

const SECOND = 1000;
const HOUR = 3600 * SECOND;
const DAY = 24 * HOUR;
const YEAR = 365.25 * DAY;
const REFERENCE_END = Date.parse(`${DEMO_REFERENCE_DATE}T23:59:59Z`);
const FIRST_SIGNUP = Date.UTC(2020, 8, 1);
const FIRST_ORDER = Date.UTC(2021, 0, 1);

/** Relative order volume by month of the year: quiet February and August, Black Friday and Christmas. */
const SEASON = [0.85, 0.78, 0.9, 0.9, 0.95, 0.95, 0.88, 0.82, 0.95, 1.0, 1.45, 1.65];
/** Relative order volume by hour of the day (UTC): a lunch bump and an evening peak. */
const HOURS = [2, 1, 1, 1, 1, 1.5, 2, 3, 4, 5, 5, 6, 7, 7, 6, 5, 5, 6, 7, 8, 9, 8, 6, 4];
const ITEMS_PER_ORDER = [46, 27, 15, 8, 4];
const QUANTITIES = [74, 18, 5, 2, 1];
const PAYMENT_WEIGHTS: Readonly<Record<DemoPaymentMethod, number>> = {
  card: 55,
  paypal: 22,
  bank_transfer: 8,
  apple_pay: 10,
  gift_card: 5,
};
const PRIORITIES: readonly DemoTicketPriority[] = ['low', 'normal', 'high', 'urgent'];
const PRIORITY_WEIGHTS = [20, 50, 22, 8];
/** Typical hours to close a ticket, by priority. */
const PRIORITY_HOURS = [60, 30, 12, 4];
const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org'];
const EMAIL_DOMAIN_WEIGHTS = [50, 25, 25];

interface Product extends CatalogProduct {
  readonly id: number;
  readonly categoryId: number;
  readonly sku: string;
  readonly addedMillis: number;
}

interface Customer {
  readonly id: number;
  readonly signupMillis: number;
  readonly activity: number;
}

interface Order {
  readonly id: number;
  readonly customer: Customer;
  readonly placedMillis: number;
  readonly status: DemoOrderStatus;
  readonly deliveredMillis: number | null;
  /** Indexes into the product list, one per line. */
  readonly products: readonly number[];
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * Formatters for UTC instants as PostgreSQL literals: `date` gives `YYYY-MM-DD`, `timestamp` gives
 * `YYYY-MM-DD hh:mm:ss+00`. Day names are memoized: the generator formats ~100,000 instants over
 * ~2,200 days, and a Date per instant was its largest cost.
 */
function instantFormat(): { date: (millis: number) => string; timestamp: (millis: number) => string } {
  const days = new Map<number, string>();
  const date = (millis: number): string => {
    const day = Math.floor(millis / DAY);
    let text = days.get(day);
    if (text === undefined) {
      text = new Date(day * DAY).toISOString().slice(0, 10);
      days.set(day, text);
    }
    return text;
  };
  const timestamp = (millis: number): string => {
    const seconds = Math.floor((millis - Math.floor(millis / DAY) * DAY) / SECOND);
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    return `${date(millis)} ${pad2(h)}:${pad2(m)}:${pad2(seconds % 60)}+00`;
  };
  return { date, timestamp };
}

function dollars(cents: number): number {
  return cents / 100;
}

/** Split `total` into integer parts proportional to `weights` (cumulative rounding: parts sum to total). */
function allocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  let cumulative = 0;
  let given = 0;
  return weights.map((w) => {
    cumulative += w;
    const upTo = Math.round((total * cumulative) / sum);
    const part = upTo - given;
    given = upTo;
    return part;
  });
}

/** Month starts (UTC millis) from `first` through the reference month. */
function monthsFrom(first: number): number[] {
  const months: number[] = [];
  const start = new Date(first);
  for (let y = start.getUTCFullYear(), m = start.getUTCMonth(); Date.UTC(y, m) <= REFERENCE_END; m++) {
    months.push(Date.UTC(y, m));
  }
  return months;
}

/** `count` instants spread over the months since `first`, growing `growth`-fold and seasonal. */
function spreadOverMonths(random: DemoRandom, first: number, count: number, growth: number): number[] {
  const months = monthsFrom(first);
  const weights = months.map(
    (start, i) =>
      growth ** (i / Math.max(1, months.length - 1)) * (SEASON[new Date(start).getUTCMonth()] ?? 1),
  );
  const counts = allocate(count, weights);
  const instants: number[] = [];
  months.forEach((start, i) => {
    const next = new Date(start);
    next.setUTCMonth(next.getUTCMonth() + 1);
    const days = Math.round((Math.min(next.getTime(), REFERENCE_END + SECOND) - start) / DAY);
    for (let n = 0; n < (counts[i] ?? 0); n++) {
      const day = start + random.int(0, days - 1) * DAY;
      instants.push(day + random.weightedIndex(HOURS) * HOUR + random.int(0, 3599) * SECOND);
    }
  });
  return instants.sort((a, b) => a - b);
}

function asciiName(name: string): string {
  return name
    .normalize('NFD')
    .toLowerCase()
    .replaceAll(/[^a-z]/g, '');
}

function resolveSizes(sizes: Partial<DemoSizes> | undefined): DemoSizes {
  const resolved = { ...DEFAULT_DEMO_SIZES, ...sizes };
  for (const [key, value] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new DemoOptionsError(`sizes.${key}`, `sizes.${key} must be a whole number >= 0, got ${value}`);
    }
  }
  if (resolved.customers === 0 && (resolved.orders > 0 || resolved.supportTickets > 0)) {
    throw new DemoOptionsError('sizes.customers', 'orders and support tickets need at least one customer');
  }
  return resolved;
}

/**
 * Generate the demo shop's rows as INSERT statements. Pure and deterministic: the same seed and sizes
 * give byte-identical statements on any machine, on any day, in any time zone.
 */
export async function generateDemoData(options: DemoDataOptions = {}): Promise<DemoData> {
  const seed = options.seed ?? DEMO_SEED;
  if (!Number.isSafeInteger(seed)) {
    throw new DemoOptionsError('seed', `seed must be a whole number, got ${seed}`);
  }
  const sizes = resolveSizes(options.sizes);
  // Loaded on first use: faker is large, and importing the engine must stay cheap. The English-only
  // entry loads in ~45 ms where the all-locales one takes ~250 ms.
  const { faker } = await import('@faker-js/faker/locale/en');
  // This module-wide faker instance is seeded here and then used without an await in between, so no
  // other caller can draw from it half-way through.
  faker.seed(seed);
  return build(new DemoRandom(faker), seed, sizes);
}

/**
 * INSERT statements (multi-row VALUES, at most DEMO_ROWS_PER_STATEMENT rows each, literal values) that
 * fill the schema of `demoSchemaStatements()` in foreign-key order, then set the id sequences past
 * the inserted ids.
 */
export async function demoDataStatements(options: DemoDataOptions = {}): Promise<string[]> {
  const data = await generateDemoData(options);
  return data.statements.map((s) => s.sql);
}

function build(random: DemoRandom, seed: number, sizes: DemoSizes): DemoData {
  const { faker } = random;
  const { date, timestamp } = instantFormat();
  const statements: { table: DemoTableName | null; sql: string }[] = [];
  const rows = Object.fromEntries(DEMO_TABLES.map((t) => [t.name, 0])) as Record<DemoTableName, number>;
  const emit = (
    table: DemoTableName,
    columns: readonly string[],
    values: readonly (readonly SqlValue[])[],
  ) => {
    rows[table] = values.length;
    for (const sql of insertStatements(table, ['id', ...columns], values, DEMO_ROWS_PER_STATEMENT)) {
      statements.push({ table, sql });
    }
  };

  // Categories and products: the fixed catalog.
  const products: Product[] = [];
  emit(
    'categories',
    ['name', 'description'],
    CATALOG.map((c, i) => [i + 1, c.name, c.description]),
  );
  CATALOG.forEach((category, c) => {
    category.products.forEach((product, n) => {
      products.push({
        ...product,
        id: products.length + 1,
        categoryId: c + 1,
        sku: `${category.skuPrefix}-${String(n + 1).padStart(3, '0')}`,
        addedMillis: Date.parse(`${product.addedOn}T00:00:00Z`) + random.int(8 * 3600, 18 * 3600) * SECOND,
      });
    });
  });
  emit(
    'products',
    ['sku', 'name', 'category_id', 'price', 'stock', 'created_at'],
    products.map((p) => {
      const r = random.float();
      const stock = r < 0.06 ? 0 : r < 0.14 ? random.int(1, 9) : random.int(10, 400);
      return [p.id, p.sku, p.name, p.categoryId, dollars(p.priceCents), stock, timestamp(p.addedMillis)];
    }),
  );
  // Products in the order they entered the catalog, so that "available at t" is a prefix.
  const byAdded = [...products].sort((a, b) => a.addedMillis - b.addedMillis || a.id - b.id);
  const popularity = byAdded.map((p) => p.popularity);

  // Customers, numbered in the order they signed up; the first one signed up on launch day.
  const signups = spreadOverMonths(random, FIRST_SIGNUP, sizes.customers, 6);
  if (signups.length > 0) signups[0] = FIRST_SIGNUP;
  const cityWeights = CITIES.map((c) => c.weight);
  const emails = new Set<string>();
  const customers: Customer[] = [];
  const customerRows: SqlValue[][] = [];
  signups.forEach((signupMillis, i) => {
    const sex = random.chance(0.5) ? 'female' : 'male';
    const first = faker.person.firstName(sex);
    const last = faker.person.lastName();
    const f = asciiName(first);
    const l = asciiName(last);
    const local = [`${f}.${l}`, `${f}${l}`, `${f.charAt(0)}${l}`, `${f}_${l}`][
      random.weightedIndex([50, 20, 20, 10])
    ]!;
    let email = `${local}@${EMAIL_DOMAINS[random.weightedIndex(EMAIL_DOMAIN_WEIGHTS)]}`;
    for (let n = random.int(2, 99); emails.has(email); n++) email = email.replace(/\d*@/, `${n}@`);
    emails.add(email);
    const place = CITIES[random.weightedIndex(cityWeights)] ?? CITIES[0]!;
    const signupDay = Math.floor(signupMillis / DAY) * DAY;
    const age = Math.min(82, Math.max(18, random.normal(38, 12)));
    const birth = random.chance(0.08)
      ? null
      : date(signupDay - Math.floor(age * YEAR) - random.int(0, 364) * DAY);
    // How often this customer orders, relative to others; about one in eight never does.
    const activity = i > 0 && random.chance(0.12) ? 0 : Math.exp(random.normal(0, 0.9));
    customers.push({ id: i + 1, signupMillis: signupDay, activity });
    customerRows.push([
      i + 1,
      first,
      last,
      email,
      place.city,
      place.country,
      birth,
      date(signupDay),
      random.chance(0.42),
    ]);
  });
  emit(
    'customers',
    ['first_name', 'last_name', 'email', 'city', 'country', 'birth_date', 'signup_date', 'marketing_opt_in'],
    customerRows,
  );

  // Orders, numbered by time; each goes to a customer who had signed up by then.
  const cumulativeActivity: number[] = [];
  customers.reduce((sum, c, i) => {
    cumulativeActivity[i] = sum + c.activity;
    return cumulativeActivity[i];
  }, 0);
  const orders: Order[] = [];
  const orderRows: SqlValue[][] = [];
  const itemRows: SqlValue[][] = [];
  const paymentRows: SqlValue[][] = [];
  const paymentMethods = DEMO_PAYMENT_METHODS.map((m) => PAYMENT_WEIGHTS[m]);
  for (const placedMillis of spreadOverMonths(random, FIRST_ORDER, sizes.orders, 5)) {
    const id = orders.length + 1;
    const customer = customers[pickCustomer(random, customers, cumulativeActivity, placedMillis)]!;
    let available = byAdded.length;
    while (available > 1 && byAdded[available - 1]!.addedMillis > placedMillis) available--;
    const lines = Math.min(available, random.weightedIndex(ITEMS_PER_ORDER) + 1);
    const chosen: number[] = [];
    while (chosen.length < lines) {
      const index = random.weightedIndex(popularity, available);
      if (!chosen.includes(index)) chosen.push(index);
    }
    const yearsAgo = (REFERENCE_END - placedMillis) / YEAR;
    let totalCents = 0;
    for (const index of chosen) {
      const product = byAdded[index]!;
      const quantity = random.weightedIndex(QUANTITIES) + 1;
      const discount = random.chance(0.12) ? random.pick([0.9, 0.85, 0.8]) : 1;
      const unitCents = Math.max(1, Math.round(product.priceCents * (1 - 0.025 * yearsAgo) * discount));
      totalCents += quantity * unitCents;
      itemRows.push([itemRows.length + 1, id, product.id, quantity, dollars(unitCents)]);
    }

    let status: DemoOrderStatus;
    let shipped: number | null = null;
    let delivered: number | null = null;
    if (random.chance(0.05)) {
      status = 'cancelled';
    } else if (REFERENCE_END - placedMillis < 2 * DAY && random.chance(0.5)) {
      status = 'pending';
    } else {
      const shipAt = placedMillis + random.int(6 * 3600, 72 * 3600) * SECOND;
      const deliverAt = shipAt + random.int(20 * 3600, 8 * 24 * 3600) * SECOND;
      if (shipAt > REFERENCE_END) {
        status = 'paid';
      } else if (deliverAt > REFERENCE_END) {
        status = 'shipped';
        shipped = shipAt;
      } else {
        status = random.chance(0.035) ? 'refunded' : 'delivered';
        shipped = shipAt;
        delivered = deliverAt;
      }
    }
    orderRows.push([
      id,
      customer.id,
      timestamp(placedMillis),
      status,
      dollars(totalCents),
      shipped === null ? null : timestamp(shipped),
      delivered === null ? null : timestamp(delivered),
    ]);
    if (status !== 'pending' && status !== 'cancelled') {
      const method = DEMO_PAYMENT_METHODS[random.weightedIndex(paymentMethods)]!;
      const paidAt = Math.min(REFERENCE_END, placedMillis + random.int(5, 1200) * SECOND);
      paymentRows.push([
        paymentRows.length + 1,
        id,
        dollars(totalCents),
        method,
        status === 'refunded' ? 'refunded' : 'completed',
        timestamp(paidAt),
      ]);
    }
    orders.push({
      id,
      customer,
      placedMillis,
      status,
      deliveredMillis: delivered,
      products: chosen.map((index) => byAdded[index]!.id - 1),
    });
  }
  emit('orders', ['customer_id', 'order_date', 'status', 'total', 'shipped_at', 'delivered_at'], orderRows);
  emit('order_items', ['order_id', 'product_id', 'quantity', 'unit_price'], itemRows);
  emit('payments', ['order_id', 'amount', 'method', 'status', 'paid_at'], paymentRows);

  emit('reviews', ['product_id', 'customer_id', 'rating', 'title', 'body', 'created_at'], reviewRows());

  // Employees: the fixed org chart with seeded names, salaries and hiring days.
  const employeeEmails = new Set<string>();
  const hired: number[] = [];
  emit(
    'employees',
    ['name', 'email', 'role', 'department', 'salary', 'hired_at', 'manager_id'],
    STAFF.map((position, i) => {
      const first = faker.person.firstName();
      const last = faker.person.lastName();
      let email = `${asciiName(first)}.${asciiName(last)}@shop.example`;
      for (let n = 2; employeeEmails.has(email); n++) email = email.replace(/\d*@/, `${n}@`);
      employeeEmails.add(email);
      const [from, to] = position.hiredBetween.map((d) => Date.parse(`${d}T00:00:00Z`)) as [number, number];
      hired[i] = from + random.int(0, Math.round((to - from) / DAY)) * DAY;
      const salary = Math.round((position.salary * (0.92 + 0.16 * random.float())) / 100) * 100;
      const manager = position.managerIndex === null ? null : position.managerIndex + 1;
      return [
        i + 1,
        `${first} ${last}`,
        email,
        position.role,
        position.department,
        salary,
        date(hired[i]),
        manager,
      ];
    }),
  );

  emit(
    'support_tickets',
    [
      'customer_id',
      'order_id',
      'employee_id',
      'category',
      'subject',
      'status',
      'priority',
      'opened_at',
      'closed_at',
    ],
    ticketRows(),
  );

  // Later inserts without an id must not collide with the generated ones.
  for (const table of DEMO_TABLES) {
    const count = rows[table.name];
    statements.push({
      table: null,
      sql: `SELECT setval(pg_get_serial_sequence('${table.name}', 'id'), ${Math.max(count, 1)}, ${count > 0})`,
    });
  }
  return { seed, sizes, rows, statements };

  function reviewRows(): SqlValue[][] {
    // One candidate per (customer, product) that reached the customer at least a day before "today".
    const candidates: { order: Order; product: number }[] = [];
    const seen = new Set<number>();
    for (const order of orders) {
      if (order.deliveredMillis === null || order.deliveredMillis > REFERENCE_END - DAY) continue;
      for (const product of order.products) {
        const key = order.customer.id * products.length + product;
        if (seen.has(key)) continue;
        seen.add(key);
        candidates.push({ order, product });
      }
    }
    const reviews = random.sample(candidates, sizes.reviews).map(({ order, product }) => {
      const delivered = order.deliveredMillis ?? order.placedMillis;
      const latest = Math.min(45 * DAY, REFERENCE_END - delivered);
      const createdMillis = delivered + random.int(3600, Math.floor(latest / SECOND)) * SECOND;
      const p = products[product]!;
      const mean = 3.95 + 0.9 * p.quality - (order.status === 'refunded' ? 2 : 0);
      const rating = Math.min(5, Math.max(1, Math.round(random.normal(mean, 1.05))));
      const sentences = random.sample(REVIEW_SENTENCES[rating - 1] ?? [], random.int(1, 3));
      const body = sentences.map((s) => fillTemplate(s, { product: p.name, order: order.id })).join(' ');
      return { createdMillis, product: p.id, customer: order.customer.id, rating, body };
    });
    reviews.sort(
      (a, b) => a.createdMillis - b.createdMillis || a.product - b.product || a.customer - b.customer,
    );
    return reviews.map((r, i) => [
      i + 1,
      r.product,
      r.customer,
      r.rating,
      random.pick(REVIEW_TITLES[r.rating - 1] ?? []),
      r.body,
      timestamp(r.createdMillis),
    ]);
  }

  function ticketRows(): SqlValue[][] {
    const supportStaff = STAFF.flatMap((s, i) => (s.department === 'Customer Support' ? [i] : []));
    const tickets = Array.from({ length: sizes.supportTickets }, () => {
      const order = orders.length > 0 && random.chance(0.7) ? random.pick(orders) : null;
      const customer = order?.customer ?? random.pick(customers);
      const since = order?.placedMillis ?? customer.signupMillis;
      const span = Math.max(0, Math.min(25 * DAY, REFERENCE_END - since));
      const openedMillis = since + random.int(0, Math.floor(span / SECOND)) * SECOND;
      const category: DemoTicketCategory = order
        ? (['shipping', 'billing', 'product', 'returns'] as const)[random.weightedIndex([40, 20, 20, 20])]!
        : (['account', 'product'] as const)[random.weightedIndex([65, 35])]!;
      const productIndex = order ? random.pick(order.products) : random.int(0, products.length - 1);
      const subject = fillTemplate(random.pick(TICKET_SUBJECTS[category]), {
        product: products[productIndex]!.name,
        order: order?.id ?? null,
      });
      const p = random.weightedIndex(PRIORITY_WEIGHTS);
      const hours = Math.exp(random.normal(Math.log(PRIORITY_HOURS[p] ?? 24), 0.8));
      const closesMillis = openedMillis + Math.max(600, Math.round(hours * 3600)) * SECOND;
      const forgotten = random.chance(0.02);
      let status: DemoTicketStatus;
      if (closesMillis <= REFERENCE_END && !forgotten) status = random.chance(0.7) ? 'closed' : 'resolved';
      else status = random.chance(0.5) ? 'in_progress' : 'open';
      // Whoever was on the support team when the ticket came in; open tickets may wait unassigned.
      const team = supportStaff.filter((i) => (hired[i] ?? 0) <= openedMillis);
      const employee =
        (status === 'open' && random.chance(0.4)) || team.length === 0 ? null : random.pick(team) + 1;
      return {
        openedMillis,
        row: [
          customer.id,
          order?.id ?? null,
          employee,
          category,
          subject,
          status,
          PRIORITIES[p] ?? 'normal',
          timestamp(openedMillis),
          status === 'closed' || status === 'resolved' ? timestamp(closesMillis) : null,
        ] as SqlValue[],
      };
    });
    tickets.sort((a, b) => a.openedMillis - b.openedMillis);
    return tickets.map((t, i) => [i + 1, ...t.row]);
  }
}

/** Index of a customer who had signed up by `atMillis`, chosen in proportion to activity. */
function pickCustomer(
  random: DemoRandom,
  customers: readonly Customer[],
  cumulativeActivity: readonly number[],
  atMillis: number,
): number {
  // Customers are sorted by signup: binary search the last one signed up by then.
  let lo = 0;
  let hi = customers.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (customers[mid]!.signupMillis <= atMillis) lo = mid + 1;
    else hi = mid;
  }
  const eligible = Math.max(1, lo);
  const r = random.float() * (cumulativeActivity[eligible - 1] ?? 0);
  lo = 0;
  hi = eligible - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cumulativeActivity[mid] ?? 0) > r) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
