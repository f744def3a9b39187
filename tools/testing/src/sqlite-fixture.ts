/** SQLite databases in memory (see open-sqlite.ts) with their schema index, for the translator's tests. */
import { openSqlite, type SqliteDatabase } from './open-sqlite.js';
import { type SqliteProbe, type SqliteSchema, sqliteProbe, sqliteSchema } from './sqlite-schema.js';

/** A small online shop: customers, categories, products, orders, order items, reviews. */
const SHOP_DDL = `
CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, city TEXT, country TEXT, created_at DATE);
CREATE TABLE categories (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT NOT NULL, category_id INTEGER REFERENCES categories(id), price REAL NOT NULL, stock INTEGER NOT NULL);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id), ordered_at DATE NOT NULL, status TEXT NOT NULL, total REAL NOT NULL);
CREATE TABLE order_items (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES orders(id), product_id INTEGER NOT NULL REFERENCES products(id), quantity INTEGER NOT NULL, unit_price REAL NOT NULL);
CREATE TABLE reviews (id INTEGER PRIMARY KEY, product_id INTEGER NOT NULL REFERENCES products(id), customer_id INTEGER NOT NULL REFERENCES customers(id), rating INTEGER NOT NULL, body TEXT);
INSERT INTO customers VALUES
  (1, 'Alice Martin', 'alice@example.com', 'Paris', 'France', '2023-01-15'),
  (2, 'Bruno Keller', 'bruno@example.com', 'Berlin', 'Germany', '2023-03-02'),
  (3, 'Chloe Dubois', 'chloe@example.com', 'Lyon', 'France', '2023-06-20'),
  (4, 'Daniel Smith', 'daniel@example.com', 'London', 'United Kingdom', '2024-02-11'),
  (5, 'Emma Rossi', 'emma@example.com', 'Paris', 'France', '2024-05-30'),
  (6, 'Farid Haddad', 'farid@example.com', 'Madrid', 'Spain', '2024-09-01');
INSERT INTO categories VALUES (1, 'Books'), (2, 'Electronics'), (3, 'Garden');
INSERT INTO products VALUES
  (1, 'SQL Cookbook', 1, 39.5, 12),
  (2, 'Mystery Novel', 1, 12.0, 40),
  (3, 'Laptop', 2, 1299.0, 3),
  (4, 'Headphones', 2, 199.0, 15),
  (5, 'Garden Hose', 3, 25.0, 0),
  (6, 'Rake', 3, 18.0, 7);
INSERT INTO orders VALUES
  (1, 1, '2024-01-10', 'shipped', 1338.5),
  (2, 1, '2024-03-05', 'delivered', 24.0),
  (3, 2, '2024-03-20', 'delivered', 199.0),
  (4, 3, '2024-04-02', 'cancelled', 25.0),
  (5, 4, '2024-04-18', 'shipped', 1299.0),
  (6, 2, '2023-12-24', 'delivered', 890.0),
  (7, 5, '2024-05-07', 'pending', 57.5),
  (8, 2, '2024-05-21', 'shipped', 43.0);
INSERT INTO order_items VALUES
  (1, 1, 1, 1, 39.5), (2, 1, 3, 1, 1299.0), (3, 2, 2, 2, 12.0), (4, 3, 4, 1, 199.0),
  (5, 4, 5, 1, 25.0), (6, 5, 3, 1, 1299.0), (7, 6, 4, 2, 199.0), (8, 6, 2, 41, 12.0),
  (9, 7, 1, 1, 39.5), (10, 7, 6, 1, 18.0), (11, 8, 5, 1, 25.0), (12, 8, 6, 1, 18.0);
INSERT INTO reviews VALUES
  (1, 1, 1, 5, 'Great recipes'), (2, 3, 4, 4, 'Fast laptop'), (3, 3, 1, 5, 'Love it'),
  (4, 4, 2, 3, 'Decent sound'), (5, 2, 3, 2, 'Too long');
`;

/**
 * How the tests index a schema: nl's `buildValueIndex` and `buildSchemaIndex`, handed in so that these
 * helpers depend on no aishell package.
 */
export interface SchemaIndexing<Values, Index> {
  buildValueIndex(schema: SqliteSchema, probe: SqliteProbe): Promise<Values>;
  buildSchemaIndex(schema: SqliteSchema, options: { values: Values }): Index;
}

/** A SQLite database in memory with its schema and index, for the translator's tests. */
export interface SqliteFixture<Index> {
  readonly db: SqliteDatabase;
  readonly schema: SqliteSchema;
  /** The schema index with its value index, built by the functions handed in. */
  readonly index: Index;
  /** Rows of a query as arrays (column names do not matter for comparisons). */
  rows(sql: string, params?: readonly unknown[]): unknown[][];
  close(): void;
}

/** Opens a database in memory made by `ddl`, with its schema and value index. */
export async function openSqliteFixture<Values, Index>(
  ddl: string,
  indexing: SchemaIndexing<Values, Index>,
): Promise<SqliteFixture<Index>> {
  const db = openSqlite();
  db.exec(ddl);
  const schema = sqliteSchema(db);
  const values = await indexing.buildValueIndex(schema, sqliteProbe(db));
  const index = indexing.buildSchemaIndex(schema, { values });
  return {
    db,
    schema,
    index,
    rows: (sql, params = []) => db.prepare(sql).values(...params),
    close: () => db.close(),
  };
}

/**
 * Opens the shop database with its schema and value index.
 * @example
 * const shop = await openShop({ buildSchemaIndex, buildValueIndex });
 * translate('customers in Paris', shop.index);
 */
export function openShop<Values, Index>(
  indexing: SchemaIndexing<Values, Index>,
): Promise<SqliteFixture<Index>> {
  return openSqliteFixture(SHOP_DDL, indexing);
}
