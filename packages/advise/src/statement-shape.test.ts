import { loadParser, parsePostgres } from '@aishell/sql';
import { beforeAll, describe, expect, it } from 'vitest';
import { statementShape } from './statement-shape.js';

beforeAll(() => loadParser('postgres'));

const shape = (sql: string) => statementShape(parsePostgres(sql).stmts[0]?.stmt);
const columns = (sql: string) =>
  shape(sql)?.columns.map(
    (c) =>
      `${c.clause}:${c.qualifier ? `${c.qualifier}.` : ''}${c.column}${c.comparison ? `:${c.comparison}` : ''}`,
  );

describe('statementShape', () => {
  it('reads the tables with their aliases, and the columns of WHERE, JOIN, ORDER BY and GROUP BY', () => {
    const s = shape(
      'select o.id, count(*) from orders o join customers c using (cid) left join x on x.a = o.b where o.status = $1 and c.k > 3 group by 1, o.d order by c.name desc',
    );
    expect(s?.kind).toBe('select');
    expect(s?.parameters).toBe(true);
    expect(s?.relations).toEqual([
      { schema: null, name: 'orders', alias: 'o' },
      { schema: null, name: 'customers', alias: 'c' },
      { schema: null, name: 'x', alias: null },
    ]);
    expect(s?.columns.map((c) => `${c.clause}:${c.qualifier}.${c.column}`).sort()).toEqual(
      [
        'join:null.cid',
        'join:x.a',
        'join:o.b',
        'where:o.status',
        'where:c.k',
        'group:o.id',
        'group:o.d',
        'order:c.name',
      ].sort(),
    );
  });

  it('tells equality from range comparisons, and leaves out columns inside functions and casts', () => {
    expect(
      columns(
        "select * from t where a = 1 and b in (1, 2) and c between 1 and 3 and d like 'x%' and e is null and lower(f) = 'x' and g::text = 'y' and h <> 1",
      ),
    ).toEqual([
      'where:a:equality',
      'where:b:equality',
      'where:c:range',
      'where:d:range',
      'where:e:equality',
      'where:h',
    ]);
  });

  it('reads subqueries and CTEs, but not a CTE name as a table', () => {
    const s = shape(
      'with recent as (select * from orders where created_at > now()) select * from recent r where r.customer_id in (select id from customers where vip)',
    );
    expect(s?.relations.map((r) => r.name).sort()).toEqual(['customers', 'orders']);
    expect(columns('select * from a where a.x in (select y from b where b.z = 1)')).toEqual([
      'where:a.x:equality',
      'where:b.z:equality',
    ]);
  });

  it('reads UPDATE and DELETE, with DELETE ... USING', () => {
    expect(shape('update t set a = 1 where b = $1')?.kind).toBe('update');
    expect(columns('update t set a = 1 where b = $1')).toEqual(['where:b:equality']);
    const d = shape('delete from t using u where t.id = u.tid and u.flag');
    expect(d?.relations.map((r) => r.name)).toEqual(['t', 'u']);
    expect(d?.kind).toBe('delete');
  });

  it('is null for statements an index cannot serve', () => {
    expect(shape('create table t (a int)')).toBeNull();
    expect(shape('begin')).toBeNull();
    expect(shape('select 1')?.parameters).toBe(false);
  });
});
