import { describe, expect, it } from 'vitest';
import { identifierWords, isFlagName, normalizedWords } from './name-words.js';

describe('normalizedWords: naming habits of real schemas', () => {
  it.each([
    ['cust_nm', ['customer', 'name']],
    ['qty_ord', ['quantity', 'order']],
    ['dt_created', ['date', 'created']],
    ['is_active', ['active']],
    ['IsDeleted', ['deleted']],
    ['FullName', ['full', 'name']],
    ['OrderDate', ['order', 'date']],
    ['orderItems', ['order', 'item']],
    ['HTTPStatusCode', ['http', 'status', 'code']],
    ['strCity', ['city']],
    ['intAge', ['age']],
    ['dblUnitPrice', ['unit', 'price']],
    ['AnnualSal', ['annual', 'salary']],
    ['status_cd', ['status', 'code']],
    ['EmailAddr', ['email', 'address']],
  ])('%s -> %j', (name, words) => {
    expect(normalizedWords(name)).toEqual(words);
  });

  it('drops a table prefix only from table names, and only before another word', () => {
    expect(normalizedWords('tbl_Customer', { table: true })).toEqual(['customer']);
    expect(normalizedWords('tblOrders', { table: true })).toEqual(['order']);
    expect(normalizedWords('vw_sales', { table: true })).toEqual(['sale']);
    expect(normalizedWords('tbl', { table: true })).toEqual(['tbl']);
    expect(normalizedWords('t_shirt_sizes')).toEqual(['t', 'shirt', 'size']);
  });

  it('keeps words that only look like prefixes', () => {
    // no capital after the letters: not a Hungarian prefix
    expect(normalizedWords('string_value')).toEqual(['string', 'value']);
    expect(normalizedWords('status')).toEqual(['status']);
    expect(normalizedWords('issue_date')).toEqual(['issue', 'date']);
    expect(normalizedWords('isbn')).toEqual(['isbn']);
  });
});

describe('isFlagName', () => {
  it('knows yes/no columns by their first word', () => {
    expect(['is_active', 'IsDeleted', 'has_children', 'bIsVip'].map(isFlagName)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['island', 'history', 'is', 'active', 'hash'].map(isFlagName)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('identifierWords', () => {
  it('splits every case style into lower-case words', () => {
    expect(identifierWords('OrderDate')).toEqual(['order', 'date']);
    expect(identifierWords('order_date')).toEqual(['order', 'date']);
    expect(identifierWords('ORDER_DATE')).toEqual(['order', 'date']);
    expect(identifierWords('orderDate2')).toEqual(['order', 'date2']);
  });
});
