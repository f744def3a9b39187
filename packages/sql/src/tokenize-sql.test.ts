import { describe, expect, it } from 'vitest';
import { tokenizeSql } from './tokenize-sql.js';

const kinds = (sql: string, dialect: 'postgres' | 'mysql' | 'sqlite' = 'postgres') =>
  tokenizeSql(sql, dialect).map((t) => [t.kind, sql.slice(t.start, t.end)]);

describe('tokenizeSql', () => {
  it('tells keywords from names, and strings, numbers and comments apart', () => {
    expect(kinds("select name, 42 from users where note = 'a;b' -- done")).toEqual([
      ['keyword', 'select'],
      ['identifier', 'name'],
      ['punctuation', ','],
      ['number', '42'],
      ['keyword', 'from'],
      ['identifier', 'users'],
      ['keyword', 'where'],
      ['identifier', 'note'],
      ['operator', '='],
      ['string', "'a;b'"],
      ['comment', '-- done'],
    ]);
  });

  it("follows each dialect's quoting", () => {
    expect(kinds('select "x", `y`', 'mysql').map(([k]) => k)).toEqual([
      'keyword',
      'string',
      'punctuation',
      'quoted-identifier',
    ]);
    expect(kinds('select "x", $1', 'postgres').map(([k]) => k)).toEqual([
      'keyword',
      'quoted-identifier',
      'punctuation',
      'parameter',
    ]);
    expect(kinds('select $$ a ; b $$;')).toEqual([
      ['keyword', 'select'],
      ['string', '$$ a ; b $$'],
      ['punctuation', ';'],
    ]);
  });

  it('marks a string left open at the end of the input', () => {
    const [, open] = tokenizeSql("select 'abc", 'postgres');
    expect(open).toMatchObject({ kind: 'string', unterminated: true });
  });

  it('covers every character that is not whitespace, so that a colouring never drops any', () => {
    const sql = "with x as (select 1.5e3 as n, :'v', E'\\n') select * from x; /* c */";
    let at = 0;
    for (const t of tokenizeSql(sql, 'postgres')) {
      expect(sql.slice(at, t.start)).toMatch(/^\s*$/);
      at = t.end;
    }
    expect(sql.slice(at)).toMatch(/^\s*$/);
  });
});
