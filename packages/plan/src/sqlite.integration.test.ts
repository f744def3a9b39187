// SQLite's EXPLAIN QUERY PLAN rows, from a real database through better-sqlite3.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzePlan } from './analyze-plan.js';
import { explainDocument } from './explain-document.js';
import { parsePlan } from './parse-plan.js';
import type { ParsedNode } from './types.js';

let db: Database.Database;

beforeAll(() => {
  db = new Database(':memory:');
  db.exec(`
    CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);
    CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, total INTEGER);
    CREATE INDEX orders_customer ON orders (customer_id);
  `);
});

afterAll(() => db?.close());

function flat(node: ParsedNode): ParsedNode[] {
  return [node, ...node.children.flatMap(flat)];
}

describe('SQLite plans from the database', () => {
  it('reads scans, index searches and temporary b-trees', () => {
    const rows = db
      .prepare(
        'EXPLAIN QUERY PLAN SELECT c.name, o.total FROM customers c JOIN orders o ON o.customer_id = c.id WHERE c.name > ? ORDER BY o.total',
      )
      .all('m');
    const plan = parsePlan(rows);
    expect(plan).toMatchObject({ dialect: 'sqlite', format: 'sqlite' });
    const nodes = flat(plan.root).map((n) => [n.nodeType, n.relation, n.alias ?? null, n.index]);
    // SQLite names a table by its alias when it has one (SCAN o), as older versions did with AS.
    expect(nodes).toContainEqual(['SCAN', 'o', null, null]);
    expect(nodes).toContainEqual(['SEARCH', 'c', null, 'INTEGER PRIMARY KEY']);
    expect(nodes.map((n) => n[0])).toContain('USE TEMP B-TREE');
  });

  it('nests subqueries under their parent row', () => {
    const rows = db
      .prepare(
        'EXPLAIN QUERY PLAN SELECT id, (SELECT max(total) FROM orders o WHERE o.customer_id = c.id) FROM customers c',
      )
      .all();
    const plan = parsePlan(rows);
    const sub = plan.root.children.find((n) => n.nodeType.includes('SUBQUERY'));
    expect(sub?.children[0]).toMatchObject({
      nodeType: 'SEARCH',
      relation: 'o',
      index: 'orders_customer',
      indexCond: 'customer_id=?',
    });
  });

  it('gives a document and a summary without costs or times', () => {
    const doc = explainDocument(
      analyzePlan(parsePlan(db.prepare('EXPLAIN QUERY PLAN SELECT * FROM customers').all())),
    );
    expect(doc.dialect).toBe('sqlite');
    expect(doc.plan.children[0]).toMatchObject({
      nodeType: 'SCAN',
      relation: 'customers',
      totalCost: null,
      inclusiveMs: null,
    });
    expect(doc.summary).toMatch(/^SQLite shows no costs or times\. Full scans: customers \[0\.0\]\./);
  });
});
