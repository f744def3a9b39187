import { openShop, openSqliteFixture, type SqliteFixture } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NlNoTranslationError } from '../errors.js';
import { buildSchemaIndex, type SchemaIndex } from '../schema-index.js';
import { translate } from '../translate.js';
import { buildValueIndex } from '../value-index.js';

const now = new Date('2024-06-15T12:00:00Z');
let shop: SqliteFixture<SchemaIndex>;

beforeAll(async () => {
  shop = await openShop({ buildSchemaIndex, buildValueIndex });
});
afterAll(() => shop.close());

function answer(question: string): unknown[][] {
  const t = translate(question, shop.index, { dialect: 'sqlite', now });
  return shop.rows(t.sql, t.params);
}

describe('planner: a superlative after a relative verb orders the rows', () => {
  // One list of relative-clause words for the aggregate and the adjective readings: "had" opens
  // a clause like "has" and "have" (the two copies of the list once differed by it).
  it('"what product had the highest price" shows the product, not the price', () => {
    const top = shop.rows('SELECT name FROM products ORDER BY price DESC LIMIT 1');
    expect(answer('what product had the highest price')).toEqual(top);
  });
  it('"which product had the most expensive price" shows the product too', () => {
    const top = shop.rows('SELECT name FROM products ORDER BY price DESC LIMIT 1');
    expect(answer('which product had the most expensive price')).toEqual(top);
  });
  it('"what is the highest price" asks for the value', () => {
    expect(answer('what is the highest price of products')).toEqual(
      shop.rows('SELECT MAX(price) FROM products'),
    );
  });
});

describe('planner: questions whose words name nothing are refused', () => {
  // The same kind of list runs on the demo shop in `pnpm eval:nl` (tools/bench/nl/refusals).
  it.each([
    'what is the weather like today',
    'how many legs does a spider have',
    'what time is it in tokyo',
    'tell me a joke',
    'which football team has the most fans',
    'what is the meaning of life',
  ])('%s', (question) => {
    let error: unknown;
    try {
      translate(question, shop.index, { dialect: 'sqlite', now });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NlNoTranslationError);
    expect((error as NlNoTranslationError).code).toBe('NL_NO_TRANSLATION');
    expect((error as NlNoTranslationError).suggestions.length).toBeGreaterThan(0);
  });
});

describe('planner: comments and yes/no columns', () => {
  it('reads a stored value through the word its comment gives for it ("waiting" is pending)', () => {
    const schema = {
      ...shop.schema,
      tables: shop.schema.tables.map((t) =>
        t.name !== 'orders'
          ? t
          : {
              ...t,
              columns: t.columns.map((c) =>
                c.name === 'status'
                  ? { ...c, comment: 'order status: pending (waiting), shipped, delivered' }
                  : c,
              ),
            },
      ),
    };
    const index = buildSchemaIndex(schema, { values: shop.index.values });
    const t = translate('orders that are still waiting', index, { dialect: 'sqlite', now });
    expect(shop.rows(t.sql, t.params)).toEqual(shop.rows("SELECT * FROM orders WHERE status = 'pending'"));
    // without the comment, nothing says what "waiting" is
    expect(() =>
      translate('orders that are still waiting', shop.index, { dialect: 'sqlite', now }),
    ).not.toThrow();
    const plain = translate('orders that are still waiting', shop.index, { dialect: 'sqlite', now });
    expect(plain.sql).not.toContain('status');
  });

  it('keeps the rows where a yes/no column named alone holds ("active customers")', () => {
    const schema = {
      ...shop.schema,
      tables: shop.schema.tables.map((t) =>
        t.name !== 'customers'
          ? t
          : {
              ...t,
              columns: [
                ...t.columns,
                { name: 'is_active', type: 'INTEGER', nullable: false, default: null, comment: null },
              ],
            },
      ),
    };
    const index = buildSchemaIndex(schema, { values: shop.index.values });
    const active = translate('how many active customers are there', index, { dialect: 'sqlite', now });
    expect(active.sql).toMatch(/COUNT\(\*\).*"is_active" = \?/);
    expect(active.params).toEqual([1]);
    const inactive = translate('customers who are not active', index, { dialect: 'sqlite', now });
    expect(inactive.params).toEqual([0]);
  });
});

describe('planner: a list of aggregate words before a column', () => {
  it('"the lowest and highest price" gives both', () => {
    const t = translate('what is the lowest and highest price of products', shop.index, {
      dialect: 'sqlite',
      now,
    });
    expect(shop.rows(t.sql, t.params)).toEqual(shop.rows('SELECT MIN(price), MAX(price) FROM products'));
  });
});

describe('planner: a count across a one-to-many join counts each row of the counted table once', () => {
  it('"how many customers wrote reviews" counts customers, not reviews', () => {
    const t = translate('how many customers wrote reviews', shop.index, { dialect: 'sqlite', now });
    expect(t.sql).toContain('COUNT(DISTINCT');
    expect(shop.rows(t.sql, t.params)).toEqual(shop.rows('SELECT COUNT(DISTINCT customer_id) FROM reviews'));
  });
  it('"how many products did customers from France review": the counted products, once each', () => {
    expect(answer('how many products did customers from France review')).toEqual(
      shop.rows(
        "SELECT COUNT(DISTINCT r.product_id) FROM reviews r JOIN customers c ON c.id = r.customer_id WHERE c.country = 'France'",
      ),
    );
  });
});

describe('planner: one extreme value beside other columns is the row holding it', () => {
  it('"the highest price and its product name" is the top row, not a maximum per name', () => {
    const t = translate('what is the highest price and its product name', shop.index, {
      dialect: 'sqlite',
      now,
    });
    expect(t.sql).not.toContain('GROUP BY');
    expect(shop.rows(t.sql, t.params)).toEqual(
      shop.rows('SELECT price, name FROM products ORDER BY price DESC LIMIT 1'),
    );
  });
  it('"the highest price for each category" still groups', () => {
    const t = translate('highest price for each category', shop.index, { dialect: 'sqlite', now });
    expect(t.sql).toContain('GROUP BY');
  });
});

describe('planner: a column that leads into its own value is a filter, not a column to show', () => {
  it('"the country name which Alice Martin belongs to" shows the country only', () => {
    expect(answer('What is the country name which Alice Martin belongs to?')).toEqual(
      shop.rows("SELECT country FROM customers WHERE name = 'Alice Martin'"),
    );
  });
  it('"names and countries of customers" still shows both', () => {
    expect(answer('names and countries of customers')).toEqual(
      shop.rows('SELECT name, country FROM customers'),
    );
  });
});

describe('planner: two numbers joined by "or"', () => {
  // Ages and years stored as text, as in many real schemas.
  let club: SqliteFixture<SchemaIndex>;
  beforeAll(async () => {
    club = await openSqliteFixture(
      `CREATE TABLE teacher (id INTEGER PRIMARY KEY, name TEXT, age TEXT, hometown TEXT);
       INSERT INTO teacher VALUES (1, 'Ann', '32', 'Leeds'), (2, 'Bob', '33', 'York'), (3, 'Cy', '40', 'Hull');`,
      { buildSchemaIndex, buildValueIndex },
    );
  });
  afterAll(() => club.close());
  const ask = (q: string) => {
    const t = translate(q, club.index, { dialect: 'sqlite', now });
    return club.rows(t.sql, t.params);
  };
  it('"32 or 33 years old": both numbers on the column named after the second', () => {
    expect(ask('names of the teachers who are 32 or 33 years old')).toEqual([['Ann'], ['Bob']]);
  });
  it('"the hometown of the youngest teacher": the age stored as text is what "youngest" orders by', () => {
    expect(ask('what is the hometown of the youngest teacher')).toEqual([['Leeds']]);
  });
  it('"aged 32 or 33" on a text column still matches (an IN list binds text)', () => {
    expect(ask('names of teachers aged 32 or 33')).toEqual([['Ann'], ['Bob']]);
  });
});

describe('planner: people and plural values (CamelCase schemas)', () => {
  let staff: SqliteFixture<SchemaIndex>;
  beforeAll(async () => {
    staff = await openSqliteFixture(
      `CREATE TABLE Employee (EmployeeId INTEGER PRIMARY KEY, LastName TEXT NOT NULL, FirstName TEXT NOT NULL, Title TEXT);
       INSERT INTO Employee VALUES (1, 'Adams', 'Andrew', 'General Manager'), (2, 'Peacock', 'Jane', 'Sales Support Agent'),
         (3, 'Park', 'Margaret', 'Sales Support Agent');`,
      { buildSchemaIndex, buildValueIndex },
    );
  });
  afterAll(() => staff.close());
  const ask = (q: string) => {
    const t = translate(q, staff.index, { dialect: 'sqlite', now });
    return staff.rows(t.sql, t.params);
  };
  it('"which employees are sales support agents": the plural finds the stored title, and both name parts show', () => {
    expect(ask('which employees are sales support agents')).toEqual(
      staff.rows("SELECT LastName, FirstName FROM Employee WHERE Title = 'Sales Support Agent'"),
    );
  });
});

describe('planner: aggregate words that are also column names', () => {
  let venues: SqliteFixture<SchemaIndex>;
  beforeAll(async () => {
    venues = await openSqliteFixture(
      `CREATE TABLE stadium (id INTEGER PRIMARY KEY, name TEXT, lowest INTEGER, highest INTEGER, average INTEGER);
       CREATE TABLE singer (id INTEGER PRIMARY KEY, name TEXT, age INTEGER);
       INSERT INTO stadium VALUES (1, 'North', 100, 900, 400);
       INSERT INTO singer VALUES (1, 'Ann', 30), (2, 'Bob', 52), (3, 'Cy', 41);`,
      { buildSchemaIndex, buildValueIndex },
    );
  });
  afterAll(() => venues.close());
  it('"the average, lowest and highest age of singers": three aggregates of age', () => {
    const t = translate('what is the average, lowest and highest age of singers', venues.index, {
      dialect: 'sqlite',
      now,
    });
    expect(venues.rows(t.sql, t.params)).toEqual(
      venues.rows('SELECT AVG(age), MIN(age), MAX(age) FROM singer'),
    );
  });
});

describe('planner: a "not" before the column that heads a value', () => {
  it('"customers that do not have the country France" keeps the others', () => {
    expect(answer('names of customers that do not have the country France')).toEqual(
      shop.rows("SELECT name FROM customers WHERE country <> 'France'"),
    );
  });
});

describe('planner: foreign keys a schema leaves undeclared', () => {
  let air: SqliteFixture<SchemaIndex>;
  beforeAll(async () => {
    air = await openSqliteFixture(
      `CREATE TABLE airlines (uid INTEGER PRIMARY KEY, Airline TEXT, Country TEXT);
       CREATE TABLE flights (Airline INTEGER, FlightNo INTEGER, PRIMARY KEY (Airline, FlightNo));
       INSERT INTO airlines VALUES (1, 'United Airlines', 'USA'), (2, 'JetBlue Airways', 'USA');
       INSERT INTO flights VALUES (1, 10), (1, 11), (2, 20);`,
      { buildSchemaIndex, buildValueIndex },
    );
  });
  afterAll(() => air.close());
  it('"how many flights does airline JetBlue Airways have": flights.Airline joins airlines by its name', () => {
    const t = translate("how many flights does airline 'JetBlue Airways' have", air.index, {
      dialect: 'sqlite',
      now,
    });
    expect(air.rows(t.sql, t.params)).toEqual([[1]]);
  });
});
