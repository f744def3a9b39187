import { describe, expect, it } from 'vitest';
import { conditionColumns, indexColumns } from './condition-columns.js';

describe('conditionColumns', () => {
  it.each([
    ['(customer_id = 42)', [], { equality: ['customer_id'], range: [] }],
    ["((status)::text = 'paid'::text)", [], { equality: ['status'], range: [] }],
    [
      "((created_at > '2024-01-01 00:00:00'::timestamp without time zone) AND (customer_id = 7))",
      [],
      { equality: ['customer_id'], range: ['created_at'] },
    ],
    ["((b ~~ 'ab%'::text) AND (a = 5))", [], { equality: ['a'], range: ['b'] }],
    ["(b ~~ '%ab'::text)", [], { equality: [], range: [] }],
    ["(id = ANY ('{1,2,3}'::integer[]))", [], { equality: ['id'], range: [] }],
    ['(deleted_at IS NULL)', [], { equality: ['deleted_at'], range: [] }],
    ['(a <> 5)', [], { equality: [], range: [] }],
    ['((a = 1) OR (b = 2))', [], { equality: [], range: [] }],
    ['(lower(email) = $1)', [], { equality: [], range: [] }],
    ['(5 < total)', [], { equality: [], range: ['total'] }],
    [
      '((o.customer_id = c.id) AND (o.total > 100))',
      ['orders', 'o'],
      { equality: ['customer_id'], range: ['total'] },
    ],
    ["mt.b like 'ab%' and mt.a is not null", ['mt'], { equality: [], range: ['b'] }],
    ["(`shop`.`orders`.`status` = 'paid')", ['orders'], { equality: ['status'], range: [] }],
    ['(a = b)', [], { equality: [], range: [] }],
  ])('%s (tables %j) -> %j', (condition, tables, expected) => {
    expect(conditionColumns(condition, tables)).toEqual(expected);
  });

  it('orders index columns as equality first, then one range column', () => {
    expect(indexColumns({ equality: ['a', 'b'], range: ['c', 'd'] })).toEqual(['a', 'b', 'c']);
  });
});
