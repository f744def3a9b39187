import { describe, expect, it } from 'vitest';
import { lexQuestion } from './question-lexer.js';

const now = new Date('2024-06-15T12:00:00Z');

describe('lexQuestion', () => {
  it('reads money, plain and spelled numbers', () => {
    const tokens = lexQuestion('over $1,000.50 or at least three items and 12 more', now);
    expect(tokens.find((t) => t.text === '$1,000.50')).toMatchObject({ num: 1000.5, money: true });
    expect(tokens.find((t) => t.text === 'three')?.num).toBe(3);
    expect(tokens.find((t) => t.text === '12')).toMatchObject({ num: 12, money: false });
  });

  it('does not read an ordinal as a number', () => {
    const tokens = lexQuestion('the first name of customers', now);
    expect(tokens.find((t) => t.text === 'first')?.num).toBeNull();
  });

  it('keeps a quoted value whole and unchanged', () => {
    const tokens = lexQuestion('customers named \'Mary Ann\' or "Bob"', now);
    expect(tokens.filter((t) => t.quoted).map((t) => t.text)).toEqual(['Mary Ann', 'Bob']);
  });

  it('gives dictionary forms: singular nouns, infinitive verbs', () => {
    const tokens = lexQuestion('customers spent', now);
    expect(tokens.map((t) => t.lemma)).toEqual(['customer', 'spend']);
  });

  it('turns relative dates into day ranges relative to now', () => {
    const range = (q: string) => lexQuestion(q, now).find((t) => t.date)?.date;
    expect(range('orders last month')).toEqual({ start: '2024-05-01', end: '2024-06-01' });
    expect(range('orders yesterday')).toEqual({ start: '2024-06-14', end: '2024-06-15' });
    expect(range('orders in March 2023')).toEqual({ start: '2023-03-01', end: '2023-04-01' });
    expect(range('orders in the last 7 days')).toEqual({ start: '2024-06-08', end: '2024-06-16' });
  });
});
