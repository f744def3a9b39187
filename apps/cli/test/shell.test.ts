import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempHome } from './run-cli.js';

describe('aishell shell (piped input)', () => {
  it('runs statements, backslash commands and a multi-line statement, and keeps a history without secrets', async () => {
    const env = tempHome();
    const db = `sqlite://${path.join(mkdtempSync(path.join(os.tmpdir(), 'aishell-shell-')), 's.db')}`;
    const input = [
      'create table pets (id integer primary key, name text not null);',
      "insert into pets (id, name) values (1, 'rex'), (2, 'tom');",
      'select name',
      '  from pets order by id;',
      '\\dt',
      '\\d pets',
      "select 'my password is hunter2' as note;",
      'delete from pets;',
      'select count(*) as n from pets;',
      '\\q',
      'select 1;',
    ].join('\n');
    const r = await runCli(['shell', '-c', db], { env, input: `${input}\n` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ name\s*\n-+\n rex\s*\n tom\s*\n\(2 rows\)/);
    expect(r.stdout).toMatch(/pets/); // \dt lists it
    expect(r.stdout).toMatch(/ id\s+\| INTEGER/i); // \d describes its columns
    // Nobody can confirm on piped input: the unbounded delete is refused and the rows stay.
    expect(r.stdout).toMatch(/ERROR: refused: critical risk/);
    expect(r.stdout).toMatch(/ n\s*\n-+\n\s+2\s*\n\(1 row\)/);
    // \q ends the session: the statement after it never runs.
    expect(r.stdout.match(/\(1 row\)/g)?.length).toBe(2);
    const history = readFileSync(path.join(env.XDG_STATE_HOME as string, 'aishell', 'history'), 'utf8');
    expect(history).toContain('select name from pets order by id;');
    expect(history).not.toContain('hunter2');
  });

  it("knows psql's \\x, \\timing, \\i, \\dv, \\di and \\dn", async () => {
    const env = tempHome();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'aishell-shell-'));
    const db = `sqlite://${path.join(dir, 's.db')}`;
    const script = path.join(dir, 'setup.sql');
    writeFileSync(
      script,
      'create table pets (id integer primary key, name text not null, kind text);\n' +
        "create index pets_kind on pets (kind);\ncreate view dogs as select * from pets where kind = 'dog';\n" +
        "insert into pets values (1, 'rex', 'dog'), (2, 'tom', 'cat');\n",
    );
    const input = [
      `\\i ${script}`,
      '\\x on',
      'select id, name from pets order by id;',
      '\\x off',
      '\\timing on',
      'select count(*) as n from dogs;',
      '\\timing off',
      '\\dv',
      '\\di',
      '\\dn',
      '\\x sideways',
    ].join('\n');
    const r = await runCli(['shell', '-c', db], { env, input: `${input}\n` });
    expect(r.code, r.stderr).toBe(0);
    // \i ran the file: the expanded select sees its rows, one block per row.
    expect(r.stdout).toMatch(
      /-\[ RECORD 1 \]-+\nid\s+\| 1\nname \| rex\n-\[ RECORD 2 \]-+\nid\s+\| 2\nname \| tom\n\(2 rows\)/,
    );
    expect(r.stdout).toMatch(/Expanded display is on\./);
    // \timing prints the time after the result, then stops when turned off.
    expect(r.stdout).toMatch(/ n\s*\n-+\n\s+1\s*\n\(1 row\)\nTime: \d+\.\d{3} ms/);
    expect(r.stdout.match(/Time: /g)).toHaveLength(1);
    expect(r.stdout).toMatch(/dogs\s+\| view/); // \dv
    expect(r.stdout).toMatch(/pets_kind\s+\| pets\s+\| kind/); // \di
    expect(r.stdout).toMatch(/ schema\s*\n-+\n main/); // \dn
    expect(r.stdout).toMatch(/\\x: expected on, off or auto/);
  });

  it('answers a question in plain English with the SQL it wrote, then the rows', async () => {
    const env = tempHome();
    const db = `sqlite://${path.join(mkdtempSync(path.join(os.tmpdir(), 'aishell-shell-')), 'q.db')}`;
    const input = [
      'create table cities (id integer primary key, name text not null, population integer not null);',
      "insert into cities values (1, 'Paris', 2100000), (2, 'Lyon', 520000), (3, 'Nice', 340000);",
      'how many cities have a population over 500000',
      'please make me a sandwich',
    ].join('\n');
    const r = await runCli(['shell', '-c', db], { env, input: `${input}\n` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/SELECT COUNT\(\*\)[^\n]*FROM "cities"[^\n]*> \?/i);
    expect(r.stdout).toMatch(/-- params: \[500000\]/);
    expect(r.stdout).toMatch(/\n\s+2\s*\n\(1 row\)/);
    expect(r.stdout).toMatch(/ERROR: .*\n/); // the sandwich is not understood, and the shell goes on
  });

  it('writes no history file when nothing was typed', async () => {
    const env = tempHome();
    const r = await runCli(['shell', '-c', 'sqlite::memory:'], { env, input: '' });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(env.XDG_STATE_HOME as string, 'aishell', 'history'))).toBe(false);
  });
});
