import { describe, expect, it } from 'vitest';
import { inlinePlaceholders, placeholderCount, postgresSpelling } from './postgres-spelling.js';

describe('postgresSpelling', () => {
  it('turns MySQL backticks, double-quoted strings and placeholders into PostgreSQL spelling', () => {
    expect(
      postgresSpelling("select `a` from `t` where b = \"x'y\" and c = ? -- ?\n and d = '?'", 'mysql'),
    ).toBe(`select "a" from "t" where b = 'x''y' and c = $1  \n and d = '?'`);
  });

  it('turns SQLite brackets and named parameters into PostgreSQL spelling', () => {
    expect(postgresSpelling('select [a b] from "t" where c = :c and d = ?2 and e = @e', 'sqlite')).toBe(
      'select "a b" from "t" where c = $1 and d = $2 and e = $3',
    );
  });

  it('leaves PostgreSQL text as it is', () => {
    expect(postgresSpelling('select "A" from t where a = $1', 'postgres')).toBe(
      'select "A" from t where a = $1',
    );
  });
});

describe('placeholders', () => {
  it('counts positional placeholders outside strings and comments', () => {
    expect(placeholderCount("select ? , '?', ?3 /* ? */", 'sqlite')).toBe(3);
    expect(placeholderCount('select 1', 'mysql')).toBe(0);
  });

  it('inlines a literal for each placeholder', () => {
    expect(inlinePlaceholders("select * from t where a = ? and b = '?' limit ?", 'mysql', '1')).toBe(
      "select * from t where a = 1 and b = '?' limit 1",
    );
  });
});
