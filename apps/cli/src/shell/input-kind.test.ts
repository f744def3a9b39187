import { describe, expect, it } from 'vitest';
import { highlightInput, highlightSql, stripAnsi } from './highlight.js';
import { inputComplete, inputKind } from './input-kind.js';
import { interpolate } from './variables.js';

describe('inputKind and inputComplete', () => {
  it('tells backslash commands, questions and SQL apart', () => {
    expect(inputKind('\\dt')).toBe('meta');
    expect(inputKind('customers who spent over $1000')).toBe('question');
    expect(inputKind('select 1')).toBe('sql');
    expect(inputKind('customers who spent over $1000', true)).toBe('sql');
    expect(inputKind('   ')).toBe('empty');
  });

  it('runs SQL once a ; ends it outside strings, quoted names and comments', () => {
    expect(inputComplete('select 1;', 'postgres')).toBe(true);
    expect(inputComplete('select 1; -- done', 'postgres')).toBe(true);
    expect(inputComplete("select ';", 'postgres')).toBe(false);
    expect(inputComplete('select $$ a; $$', 'postgres')).toBe(false);
    expect(inputComplete('select 1 /* ; */', 'postgres')).toBe(false);
    expect(inputComplete('select "a;"', 'sqlite')).toBe(false);
    expect(inputComplete('how many orders', 'postgres')).toBe(true);
  });
});

describe('highlighting', () => {
  it('adds colour codes and changes no character', () => {
    const sql = 'select \'a\' as x, 42 -- c\nfrom t where "Q" = $1;';
    const coloured = highlightSql(sql, 'postgres');
    expect(coloured).not.toBe(sql);
    expect(stripAnsi(coloured)).toBe(sql);
    expect(coloured).toContain('\x1b[1;34mselect\x1b[0m');
    expect(coloured).toContain("\x1b[32m'a'\x1b[0m");
    expect(coloured).toContain('\x1b[33m42\x1b[0m');
  });

  it('colours a string of several lines line by line, so a prompt between them stays plain', () => {
    const coloured = highlightSql("select 'a\nb'", 'postgres');
    expect(coloured.split('\n')).toEqual(["\x1b[1;34mselect\x1b[0m \x1b[32m'a\x1b[0m", "\x1b[32mb'\x1b[0m"]);
  });

  it('leaves a question in English as typed, and colours a backslash command', () => {
    expect(highlightInput('how many orders', 'postgres')).toBe('how many orders');
    expect(stripAnsi(highlightInput('\\copy (select 1) to x', 'postgres'))).toBe('\\copy (select 1) to x');
  });
});

describe('interpolate', () => {
  const vars = new Map([
    ['n', '5'],
    ['who', "O'Brien"],
    ['tbl', 'My Table'],
  ]);
  it('replaces :name, :\'name\' and :"name" outside strings, comments and casts', () => {
    expect(interpolate(`select :n, :'who', :"tbl", 1::int, ':n' -- :n`, vars, 'postgres')).toBe(
      `select 5, 'O''Brien', "My Table", 1::int, ':n' -- :n`,
    );
    expect(interpolate('select * from t where a=:n', vars, 'postgres')).toBe('select * from t where a=5');
    expect(interpolate('select :n, :nope', vars, 'sqlite')).toBe('select 5, :nope');
    expect(interpolate("select :'who'", vars, 'mysql')).toBe("select 'O''Brien'");
  });
});
