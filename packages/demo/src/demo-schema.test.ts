import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TABLES, demoSchemaStatements } from './demo-schema.js';

describe('demoSchemaStatements', () => {
  let db: PGlite;

  beforeAll(async () => {
    db = new PGlite();
    for (const sql of demoSchemaStatements()) await db.exec(sql);
  }, 120_000);

  afterAll(async () => {
    await db?.close();
  });

  it('creates every demo table with an integer identity primary key', async () => {
    const { rows } = await db.query<{ table_name: string }>(
      `select c.table_name from information_schema.columns c
       join information_schema.table_constraints t on t.table_name = c.table_name and t.constraint_type = 'PRIMARY KEY'
       join information_schema.key_column_usage k on k.constraint_name = t.constraint_name and k.column_name = c.column_name
       where c.table_schema = 'public' and c.column_name = 'id' and c.data_type = 'integer' and c.is_identity = 'YES'
       order by 1`,
    );
    expect(rows.map((r) => r.table_name)).toEqual(DEMO_TABLES.map((t) => t.name).sort());
  });

  it('comments every table and every column', async () => {
    const { rows } = await db.query<{
      table_name: string;
      column_name: string | null;
      comment: string | null;
    }>(
      `select c.relname as table_name, null as column_name, obj_description(c.oid, 'pg_class') as comment
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r'
       union all
       select c.relname, a.attname, col_description(c.oid, a.attnum)
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
         join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
        where n.nspname = 'public' and c.relkind = 'r'`,
    );
    const columns = DEMO_TABLES.reduce((n, t) => n + t.columns.length, 0);
    expect(rows).toHaveLength(DEMO_TABLES.length + columns);
    const missing = rows.filter((r) => !r.comment || r.comment.length < 10);
    expect(missing).toEqual([]);
  });

  it('describes customers in words a question might use', async () => {
    const { rows } = await db.query<{ comment: string }>(
      "select obj_description('customers'::regclass, 'pg_class') as comment",
    );
    expect(rows[0]?.comment).toMatch(/users/);
    expect(rows[0]?.comment).toMatch(/clients/);
  });

  it('declares the foreign keys between the tables', async () => {
    const { rows } = await db.query<{ fk: string }>(
      `select conrelid::regclass || '.' || a.attname || ' -> ' || confrelid::regclass as fk
         from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
        where c.contype = 'f' order by 1`,
    );
    expect(rows.map((r) => r.fk)).toEqual([
      'employees.manager_id -> employees',
      'order_items.order_id -> orders',
      'order_items.product_id -> products',
      'orders.customer_id -> customers',
      'payments.order_id -> orders',
      'products.category_id -> categories',
      'reviews.customer_id -> customers',
      'reviews.product_id -> products',
      'support_tickets.customer_id -> customers',
      'support_tickets.employee_id -> employees',
      'support_tickets.order_id -> orders',
    ]);
  });

  it('indexes every foreign key column', async () => {
    const { rows } = await db.query<{ fk: string }>(
      `select conrelid::regclass || '.' || a.attname as fk
         from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
        where c.contype = 'f'
          and not exists (select 1 from pg_index i where i.indrelid = c.conrelid and i.indkey[0] = c.conkey[1])`,
    );
    expect(rows).toEqual([]);
  });

  it('refuses values that break the CHECK constraints', async () => {
    await db.exec("insert into categories (id, name, description) values (1, 'Test', 'test category')");
    await db.exec(
      "insert into products (id, sku, name, category_id, price, stock, created_at) values (1, 'T-1', 'Thing', 1, 5, 1, now())",
    );
    await db.exec(
      "insert into customers (id, first_name, last_name, email, city, country, signup_date, marketing_opt_in) values (1, 'A', 'B', 'a@example.com', 'Paris', 'France', '2024-01-01', false)",
    );
    await expect(
      db.exec(
        "insert into reviews (product_id, customer_id, rating, title, body, created_at) values (1, 1, 6, 't', 'b', now())",
      ),
    ).rejects.toMatchObject({ code: '23514' });
    await expect(
      db.exec("insert into orders (customer_id, order_date, status, total) values (1, now(), 'lost', 10)"),
    ).rejects.toMatchObject({ code: '23514' });
    await expect(db.exec('update products set price = 0 where id = 1')).rejects.toMatchObject({
      code: '23514',
    });
    await expect(
      db.exec(
        "insert into support_tickets (customer_id, category, subject, status, priority, opened_at) values (1, 'account', 's', 'closed', 'low', now())",
      ),
    ).rejects.toMatchObject({ code: '23514' });
  });
});
