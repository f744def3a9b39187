import { describe, expect, it } from 'vitest';
import { normalizeSqlite } from './sqlite-diff.js';

describe('normalizeSqlite', () => {
  it('reads statements alike whatever their case, quoting, spacing and comments', () => {
    expect(normalizeSqlite('CREATE TABLE "t" ( id INTEGER PRIMARY KEY, -- the key\n name TEXT )')).toBe(
      normalizeSqlite('create table t (id integer primary key, name text)'),
    );
  });

  it('keeps string literals and names that need their quotes', () => {
    expect(normalizeSqlite(`create table "My T" (a text default 'Hello World')`)).toBe(
      `create table "my t"(a text default 'Hello World')`,
    );
  });
});
