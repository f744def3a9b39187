import { describe, expect, it } from 'vitest';
import { coveredByExisting, statementCandidates, type TableInfo, usedColumns } from './index-candidates.js';
import type { StatementShape } from './statement-shape.js';

const table: TableInfo = {
  key: '1',
  schema: 'public',
  name: 't',
  columns: new Map(
    ['a', 'b', 'c', 'j'].map((name) => [
      name,
      { name, type: name === 'j' ? 'jsonb' : 'int', btree: name !== 'j' },
    ]),
  ),
  indexes: [
    { name: 't_c_a', columns: ['c', 'a'], plainBtree: true },
    { name: 't_b_partial', columns: ['b'], plainBtree: false },
  ],
};

const shape: StatementShape = {
  kind: 'select',
  parameters: true,
  relations: [{ schema: null, name: 't', alias: 'x' }],
  columns: [
    { qualifier: 'x', column: 'a', clause: 'where', comparison: 'equality' },
    { qualifier: null, column: 'b', clause: 'where', comparison: 'range' },
    { qualifier: null, column: 'c', clause: 'order', comparison: null },
    { qualifier: null, column: 'j', clause: 'where', comparison: 'equality' },
    { qualifier: 'other', column: 'a', clause: 'join', comparison: 'equality' },
    { qualifier: null, column: 'nope', clause: 'where', comparison: 'equality' },
  ],
};

describe('index candidates', () => {
  const used = usedColumns(shape, (r) => (r.name === 't' ? table : undefined), 'exact');

  it('resolves columns through aliases and keeps each once', () => {
    expect(used.map((u) => u.column.name)).toEqual(['a', 'b', 'c', 'j']);
    expect([...(used[0]?.comparisons ?? [])]).toEqual(['equality']);
  });

  it('skips the prefixes of existing valid, non-partial btree indexes', () => {
    expect(coveredByExisting(table, ['c'], 'exact')).toBe(true);
    expect(coveredByExisting(table, ['c', 'a'], 'exact')).toBe(true);
    expect(coveredByExisting(table, ['a'], 'exact')).toBe(false);
    expect(coveredByExisting(table, ['b'], 'exact')).toBe(false);
  });

  it('tries every btree-able column alone and in two-column orders', () => {
    const { singles, pairs } = statementCandidates(used, 'exact');
    expect(singles.map((c) => c.columns.join(','))).toEqual(['a', 'b']);
    expect(pairs.map((c) => c.columns.join(','))).toEqual(['a,b', 'a,c', 'b,a', 'b,c', 'c,b']);
  });
});
