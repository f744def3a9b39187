import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type SchemaInfo, Session } from '@aishell/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complete, completeSql } from './completion.js';
import { ShellCompleter } from './shell-completer.js';

// The completer over a real schema, introspected from SQLite through the engine.
const dir = mkdtempSync(path.join(os.tmpdir(), 'aishell-complete-'));
let session: Session;
let schema: SchemaInfo;

beforeAll(async () => {
  session = await Session.open({
    connection: `sqlite://${path.join(dir, 'c.db')}`,
    config: { connections: {} },
    env: {},
    history: false,
  });
  await session.run(
    'create table customers (id integer primary key, name text, city text); ' +
      'create table orders (id integer primary key, customer_id integer, total real); ' +
      'create table order_items (order_id integer, sku text); ' +
      'create table "Mixed Case" (id integer)',
  );
  schema = await session.introspect();
});

afterAll(async () => {
  await session.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Candidates at the `|` of `text`. */
const at = (text: string, data: Partial<Parameters<typeof complete>[2]> = {}) => {
  const cursor = text.indexOf('|');
  const clean = text.replace('|', '');
  return complete(clean, cursor === -1 ? clean.length : cursor, { dialect: 'sqlite', schema, ...data })
    .candidates;
};

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
    expect(completeSql('\\d', schema)[0]).toEqual(['\\d', '\\dt', '\\dv', '\\di', '\\dn', '\\df', '\\du']);
    expect(completeSql('\\co', schema)[0]).toEqual(['\\conninfo', '\\copy']);
  });

  it('still completes keywords without a schema', () => {
    expect(completeSql('select * fr', undefined)[0]).toEqual(['from']);
    expect(completeSql('select * from cu', undefined)[0]).toEqual([]);
  });
});

describe('complete', () => {
  it("completes an alias's columns even when the FROM comes after the cursor", () => {
    expect(at('select o.| from orders o')).toEqual(['o.customer_id', 'o.id', 'o.total']);
    expect(at('select o.t| from orders as o')).toEqual(['o.total']);
    expect(at('select c.n|, o.id from customers c join orders o on o.customer_id = c.id')).toEqual([
      'c.name',
    ]);
  });

  it('offers the columns of every table in scope after WHERE, ON, GROUP BY and ORDER BY, and the aliases', () => {
    expect(at('select * from customers c join orders o on o.customer_id = c.i|')).toEqual(['c.id']);
    expect(at('select * from orders where cu|')).toEqual(['customer_id']);
    expect(at('select * from orders o order by to|')).toEqual(['total']);
    expect(at('select count(*) from customers group by ci|')).toEqual(['city']);
    expect(at('select | from orders o')).toEqual(expect.arrayContaining(['customer_id', 'id', 'total', 'o']));
  });

  it('offers functions where an expression goes, and keywords when nothing else fits', () => {
    expect(at('select cou| from orders')).toEqual(['count']);
    expect(at('select * from orders wher|')).toEqual(['where']);
    expect(at('select * from orders o jo|')).toEqual(['join']);
    expect(at('select max(tot|) from orders', { functions: ['total_spent'] })).toEqual([
      'total',
      'total_spent',
    ]);
  });

  it('quotes a name that needs it, and looks at the statement under the cursor only', () => {
    expect(at('select * from Mi|')).toEqual(['"Mixed Case"']);
    expect(at('select * from customers; select * from orders where na|')).toEqual([]);
    expect(at('select id from orders;\nselect * from customers where ci|')).toEqual(['city']);
  });

  it('completes nothing inside a string or a comment', () => {
    expect(at("select * from orders where sku = 'ord|")).toEqual([]);
    expect(at('select 1 -- from ord|')).toEqual([]);
  });

  it('completes saved connections after \\c, and file names after \\i and \\o', () => {
    const files = mkdtempSync(path.join(os.tmpdir(), 'aishell-files-'));
    writeFileSync(path.join(files, 'setup.sql'), '');
    mkdirSync(path.join(files, 'seeds'));
    expect(at('\\c pr', { connections: ['prod', 'staging'] })).toEqual(['prod']);
    expect(at('\\i s', { cwd: files })).toEqual(['seeds/', 'setup.sql']);
    expect(at('\\o se', { cwd: files })).toEqual(['seeds/', 'setup.sql']);
    expect(at("\\copy orders to 'se", { cwd: files })).toEqual(['seeds/', 'setup.sql']);
    rmSync(files, { recursive: true, force: true });
  });

  it('completes tables after schema.', () => {
    expect(at('select * from main.cu|')).toEqual(['main.customers']);
  });
});

describe('ShellCompleter', () => {
  it("introspects in the background and then completes the session's tables", async () => {
    const completer = new ShellCompleter(session);
    completer.refresh();
    await completer.ready();
    expect((await completer.complete('select * from cust', 18)).candidates).toEqual(['customers']);
  });
});
