import { describe, expect, it } from 'vitest';
import { looksLikeSql } from './statement-start.js';

describe('looksLikeSql', () => {
  it.each([
    'select 1',
    '  SELECT * FROM t',
    'with x as (select 1) select * from x',
    '(select 1) union (select 2)',
    '-- a comment first\nselect 1',
    '/* hint */ select 1',
    'PRAGMA table_info(t)',
    'use shop',
    'show tables',
  ])('is true for %s', (line) => {
    expect(looksLikeSql(line)).toBe(true);
  });

  it.each([
    'customers who spent over $1000',
    'top 5 customers by total spent',
    'selected products in stock',
    'how many orders per month',
    '',
    '   ',
  ])('is false for %j', (line) => {
    expect(looksLikeSql(line)).toBe(false);
  });
});
