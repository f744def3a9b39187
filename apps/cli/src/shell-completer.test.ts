import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type SchemaInfo, Session } from '@aishell/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeSql, schemaCompleter } from './shell-completer.js';

// The completer over a real schema, introspected from SQLite through the engine.
const dir = mkdtempSync(path.join(os.tmpdir(), 'aishell-complete-'));
let session: Session;
let schema: SchemaInfo;

beforeAll(async () => {
  session = await Session.open({
    connection: `sqlite://${path.join(dir, 'c.db')}`,
    config: { connections: {} },
    env: {},
  });
  await session.run(
    'create table customers (id integer primary key, name text, city text); ' +
      'create table orders (id integer primary key, customer_id integer, total real); ' +
      'create table order_items (order_id integer, sku text)',
  );
  schema = await session.introspect();
});

afterAll(async () => {
  await session.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('completeSql', () => {
  it('completes table names after FROM, JOIN, INTO and \\d', () => {
    expect(completeSql('select * from ord', schema)).toEqual([['order_items', 'orders'], 'ord']);
    expect(completeSql('select * from orders o join cu', schema)).toEqual([['customers'], 'cu']);
    expect(completeSql('insert into cus', schema)[0]).toEqual(['customers']);
    expect(completeSql('\\d ord', schema)[0]).toEqual(['order_items', 'orders']);
  });

  it("completes a table's columns after table.", () => {
    expect(completeSql('select customers.c', schema)).toEqual([['customers.city'], 'customers.c']);
    expect(completeSql('select orders.', schema)[0]).toEqual([
      'orders.customer_id',
      'orders.id',
      'orders.total',
    ]);
  });

  it('offers keywords in the case typed, and the columns of the tables the line names', () => {
    expect(completeSql('sel', schema)[0]).toEqual(['select']);
    expect(completeSql('SEL', schema)[0]).toEqual(['SELECT']);
    expect(completeSql('select na', schema)[0]).toEqual([]); // no table named yet: no columns
    expect(completeSql('select * from customers where na', schema)[0]).toEqual(['name']);
    expect(completeSql('select * from customers where ci', schema)[0]).toEqual(['city']);
  });

  it('completes backslash commands at the start of a line', () => {
    expect(completeSql('\\d', schema)[0]).toEqual(['\\d', '\\di', '\\dn', '\\dt', '\\dv']);
    expect(completeSql('\\c', schema)[0]).toEqual(['\\conninfo']);
  });

  it('still completes keywords without a schema', () => {
    expect(completeSql('select * fr', undefined)[0]).toEqual(['from']);
    expect(completeSql('select * from cu', undefined)[0]).toEqual([]);
  });
});

describe('schemaCompleter', () => {
  it("introspects in the background and then completes the session's tables", async () => {
    const complete = schemaCompleter(() => session.introspect());
    await new Promise((r) => setTimeout(r, 50));
    const result = await new Promise<[string[], string]>((resolve) =>
      complete('select * from cust', (_e, r) => resolve(r)),
    );
    expect(result).toEqual([['customers'], 'cust']);
  });
});
