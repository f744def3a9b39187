import { analyze } from '@aishell/sql';
import { describe, expect, it } from 'vitest';
import { AnalysisMemo, BoundedLru, deepFreeze } from './query-cache-memo.js';

describe('BoundedLru', () => {
  it('drops the least recently used entry beyond its entry bound', () => {
    const lru = new BoundedLru<number>(2, 100);
    lru.set('a', 1, 1);
    lru.set('b', 2, 1);
    expect(lru.get('a')).toBe(1); // a is now the most recent
    lru.set('c', 3, 1);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe(1);
    expect(lru.get('c')).toBe(3);
    expect(lru.size).toBe(2);
  });

  it('keeps the total weight within its bound, and never keeps an entry heavier than the bound', () => {
    const lru = new BoundedLru<string>(10, 10);
    lru.set('a', 'a', 4);
    lru.set('b', 'b', 4);
    lru.set('c', 'c', 4);
    expect(lru.weight).toBe(8);
    expect(lru.get('a')).toBeUndefined();
    lru.set('huge', 'h', 11);
    expect(lru.get('huge')).toBeUndefined();
    expect(lru.weight).toBe(8);
    lru.set('b', 'b2', 1); // replacing an entry replaces its weight
    expect(lru.weight).toBe(5);
    lru.delete('c');
    lru.delete('missing');
    expect(lru.weight).toBe(1);
    lru.clear();
    expect([lru.size, lru.weight]).toEqual([0, 0]);
  });
});

describe('AnalysisMemo', () => {
  it('returns the remembered analysis of the exact same text, frozen, and nothing for another text', async () => {
    const memo = new AnalysisMemo();
    const sql = 'select id from orders where id = $1';
    const analysis = memo.remember(sql, await analyze(sql, 'postgres'));
    expect(memo.get(sql)).toBe(analysis);
    expect(memo.get(`${sql} `)).toBeUndefined();
    const [statement] = analysis.statements;
    expect(Object.isFrozen(analysis) && Object.isFrozen(analysis.statements)).toBe(true);
    expect(Object.isFrozen(statement) && Object.isFrozen(statement?.tablesRead)).toBe(true);
    expect(() => statement?.tablesRead.push('customers')).toThrow(TypeError);
    // Lazily computed properties still work on the frozen statement, and stay the same.
    expect(statement?.canonical).toBe('SELECT id FROM orders WHERE id = $1');
    expect(statement?.fingerprint).toBe(memo.get(sql)?.statements[0]?.fingerprint);
  });

  it('does not remember a text longer than 8,192 characters', async () => {
    const memo = new AnalysisMemo();
    const sql = `select 1 /* ${'x'.repeat(8200)} */`;
    const analysis = memo.remember(sql, await analyze(sql, 'postgres'));
    expect(memo.get(sql)).toBeUndefined();
    expect(Object.isFrozen(analysis)).toBe(false);
  });
});

describe('deepFreeze', () => {
  it('freezes nested objects and arrays', () => {
    const value = deepFreeze({ rows: [{ id: 1, doc: { tags: ['a'] } }] });
    expect(Object.isFrozen(value.rows[0]?.doc.tags)).toBe(true);
    expect(() => {
      (value.rows[0] as { id: number }).id = 2;
    }).toThrow(TypeError);
  });
});
