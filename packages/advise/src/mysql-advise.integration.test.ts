// MySQL/MariaDB: candidates from EXPLAIN FORMAT=JSON on the real server, marked unproven with the reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adviseIndexes } from './advise-indexes.js';
import { MYSQL_UNPROVEN } from './mysql-advisor.js';
import { type MysqlScratch, mysqlScratch } from './test-support/scratch-databases.js';

let db: MysqlScratch;

beforeAll(async () => {
  db = await mysqlScratch();
  const q = (sql: string) => db.conn.query(sql);
  await q(`create table orders (id int auto_increment primary key, customer_id int not null, status varchar(20) not null,
             created_at datetime not null, note text, key orders_status (status))`);
  await q(`insert into orders (customer_id, status, created_at, note)
           select seq % 1000, elt(seq % 5 + 1, 'new', 'paid', 'shipped', 'returned', 'lost'),
                  timestamp '2024-01-01 00:00:00' + interval seq minute, concat('note ', seq)
             from seq_1_to_20000`);
  await q('create table tiny (id int primary key, v int)');
  await q('insert into tiny select seq, seq from seq_1_to_10');
  await q('analyze table orders, tiny');
}, 60_000);

afterAll(async () => {
  await db?.drop();
});

describe('adviseIndexes on MariaDB', () => {
  it('names the column of a full scan, with the rows it examines, unproven and why', async () => {
    const sql = 'select * from orders where customer_id = 42';
    const report = await adviseIndexes(db.run, 'mysql', { statements: [sql] });
    expect(report.proven).toBe(false);
    expect(report.hypopg.state).toBe('unsupported');
    expect(report.indexes).toHaveLength(1);
    expect(report.indexes[0]).toMatchObject({
      table: 'orders',
      columns: ['customer_id'],
      proven: false,
      costAfter: null,
      statements: [sql],
      sql: `ALTER TABLE ${report.indexes[0]?.schema}.orders ADD INDEX orders_customer_id_idx (customer_id), ALGORITHM=INPLACE, LOCK=NONE;`,
    });
    expect(report.indexes[0]?.reason).toMatch(/full scan of orders examines about [\d,]+ rows per scan/);
    expect(report.indexes[0]?.reason).toContain(MYSQL_UNPROVEN);
    expect(report.notes).toEqual([MYSQL_UNPROVEN]);
    expect(report.statements[0]?.status).toBe('unproven');
  });

  it('adds the column of a filesort, takes placeholders and backticks, and leaves indexed columns and small tables alone', async () => {
    const report = await adviseIndexes(db.run, 'mysql', {
      statements: [
        'select * from `orders` o where o.customer_id = ? order by o.created_at',
        "select count(*) from orders where status = 'paid'",
        'select * from tiny where v = 3',
        'select customer_id, count(*) from orders group by customer_id',
        'drop table tiny',
      ],
    });
    expect(report.indexes.map((i) => i.columns)).toEqual([['customer_id', 'created_at'], ['customer_id']]);
    expect(report.indexes[0]?.reason).toMatch(/filesort/);
    expect(report.indexes[1]?.reason).toMatch(/temporary table|filesort/);
    expect(report.statements.map((s) => s.status)).toEqual([
      'unproven',
      'no-gain',
      'no-gain',
      'unproven',
      'skipped',
    ]);
    // Nothing was dropped or created.
    const [rows] = await db.conn.query('select count(*) as n from tiny');
    expect((rows as { n: number }[])[0]?.n).toBe(10);
  });

  it('says that the top statements are PostgreSQL only', async () => {
    await expect(adviseIndexes(db.run, 'mysql', { top: 5 })).rejects.toMatchObject({
      code: 'ADVISE_TOP_UNSUPPORTED',
    });
  });
});
