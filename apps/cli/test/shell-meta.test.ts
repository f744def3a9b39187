import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mysqlUrl, pgUrl } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempHome } from './run-cli.js';

// The shell's backslash commands on piped input (the same loop as on a terminal, without prompts),
// on every engine: each answers from that engine's own catalog.
const suffix = `${process.pid}_${Date.now() % 100_000}`;
let pg: string;
let my: string;

const shell = (connection: string, lines: readonly string[], env: Record<string, string> = {}) =>
  runCli(['-c', connection], { env: { ...tempHome(), ...env }, input: `${lines.join('\n')}\n` });

function sqliteUrl(): string {
  return `sqlite://${path.join(mkdtempSync(path.join(os.tmpdir(), 'aishell-meta-')), 'm.db')}`;
}

beforeAll(async () => {
  pg = await pgUrl();
  my = await mysqlUrl();
});

afterAll(async () => {
  const drop = (connection: string, sql: string) =>
    runCli(['query', sql, '-c', connection, '--yes'], { env: tempHome() });
  await drop(pg, `drop function if exists shell_fn_${suffix}(int)`);
  await drop(my, `drop function if exists shell_fn_${suffix}`);
  await drop(my, `drop table if exists copy_${suffix}, copy_back_${suffix}`);
});

describe("\\l, \\df and \\du answer from each engine's catalog", () => {
  it('on PostgreSQL', async () => {
    const database = new URL(pg).pathname.slice(1);
    const r = await shell(pg, [
      `create function shell_fn_${suffix}(x int) returns int language sql as $$ select x + 1 $$;`,
      '\\l',
      '\\df',
      '\\du',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`\\n ${database}\\s+\\| \\S+\\s+\\| UTF8`));
    expect(r.stdout).toMatch(
      new RegExp(`public\\s+\\| shell_fn_${suffix}\\s+\\| integer\\s+\\| x integer\\s+\\| func`),
    );
    expect(r.stdout).toMatch(/ role\s+\| attributes\s+\| member_of\n(.*\n)* postgres\s+\| superuser/);
  });

  it('on MariaDB', async () => {
    const database = new URL(my).pathname.slice(1);
    const r = await shell(my, [
      `create function shell_fn_${suffix}(x int) returns int deterministic return x + 1;`,
      '\\l',
      '\\df',
      '\\du',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`\\n ${database}\\s+\\|`));
    expect(r.stdout).toMatch(
      new RegExp(`${database}\\s+\\| shell_fn_${suffix}\\s+\\| int[^|]*\\| IN x int[^|]*\\| function`),
    );
    expect(r.stdout).toMatch(/ user\s+\| host\n(.*\n)* root\s+\|/);
  });

  it('on SQLite', async () => {
    const r = await shell(sqliteUrl(), ['\\l', '\\df', '\\du']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ name\s+\| file\n-+\+-+\n main\s+\|/);
    expect(r.stdout).toMatch(/\n abs\s+\| s\s+\| 1\s+\| 1\n/);
    expect(r.stdout).toMatch(/SQLite has no roles/);
  });
});

describe('settings and the query buffer', () => {
  it('interpolates \\set variables as psql does, and leaves casts and strings alone', async () => {
    const r = await shell(pg, [
      '\\set n 41',
      "\\set who O'Brien",
      "select :n + 1 as n, :'who' as who, '1'::int as cast, ':n' as literal;",
      '\\set',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      / n\s+\| who\s+\| cast \| literal\n-+\+-+\+-+\+-+\n\s+42 \| O'Brien \|\s+1 \| :n\n/,
    );
    expect(r.stdout).toMatch(/color = off\nn = '41'\nwho = 'O'Brien'/);
  });

  it('prints as \\pset says: csv, json, markdown, a NULL of its own', async () => {
    const r = await shell(sqliteUrl(), [
      "\\pset null '(none)'",
      'select 1 as a, null as b;',
      '\\pset format csv',
      'select 1 as a, null as b;',
      '\\pset format json',
      'select 1 as a;',
      '\\pset format markdown',
      'select 1 as a;',
      '\\pset format sideways',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ a \| b\n-+\+-+\n\s+1 \| \(none\)\n\(1 row\)/);
    expect(r.stdout).toMatch(/Output format is csv\.\na,b\n1,\n/);
    expect(r.stdout).toMatch(/"rows":\s*\[\s*\{\s*"a":\s*1\s*\}\s*\]/);
    expect(r.stdout).toMatch(/\| a \|\n\| ---: \|\n\| 1 \|/);
    expect(r.stdout).toMatch(/\\pset format: expected aligned, csv, json, markdown/);
  });

  it('sends results to a file with \\o and back to the screen with \\o alone', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'aishell-o-')), 'out.txt');
    const r = await shell(sqliteUrl(), [
      `\\o ${file}`,
      "select 'to the file' as w;",
      '\\o',
      "select 'to the screen' as w;",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/ w\n-+\n to the file\n\(1 row\)/);
    expect(r.stdout).not.toMatch(/to the file\n/);
    expect(r.stdout).toMatch(/ to the screen\n/);
  });

  it('runs the lines above \\g, and edits the last statement with \\e in $EDITOR', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'aishell-e-'));
    const editor = path.join(dir, 'editor.sh');
    // An editor that turns every 7 into 99 in the file it is given.
    writeFileSync(editor, '#!/bin/sh\nsed -i "s/7/99/" "$1"\n');
    chmodSync(editor, 0o755);
    const r = await shell(sqliteUrl(), ['select 7', '  as g', '\\g', '\\e'], { EDITOR: editor });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ g\n-+\n\s+7\n\(1 row\)/);
    expect(r.stdout).toMatch(/select 99\n {2}as g\n g\n-+\n\s+99\n\(1 row\)/);
  });
});

describe("aishell's own commands", () => {
  it('\\explain shows a plan, \\refresh reads the schema again, \\metrics and \\cache report', async () => {
    const r = await shell(sqliteUrl(), [
      'create table pets (id integer primary key, x int);',
      'create index pets_x on pets (x);',
      '\\explain select * from pets where x = 1',
      '\\refresh',
      'select count(*) as n from pets;',
      '\\metrics',
      '\\cache',
      '\\ask how many pets are there',
      '\\bogus',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/SEARCH on pets using pets_x/);
    expect(r.stdout).toMatch(/Schema read again: 1 tables and views\./);
    expect(r.stdout).toMatch(/\d+ statements from /);
    expect(r.stdout).toMatch(/The query cache is off/);
    expect(r.stdout).toMatch(/SELECT COUNT\(\*\)[^\n]*FROM "pets"/i);
    expect(r.stdout).toMatch(/invalid command \\bogus; try \\\? for help/);
  });
});

describe('safety on piped input', () => {
  it('refuses writes under --read-only, before anything is sent', async () => {
    const db = sqliteUrl();
    await shell(db, ['create table t (x int);']);
    const r = await runCli(['shell', '-c', db, '--read-only'], {
      env: tempHome(),
      input: 'insert into t values (1);\nselect count(*) as n from t;\n',
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ERROR: [^\n]*read-only/i);
    expect(r.stdout).toMatch(/ n\n-+\n\s+0\n/);
  });

  it('rolls back a transaction left open at the end of the input, and says so', async () => {
    const db = sqliteUrl();
    const r = await shell(db, ['create table t (x int);', 'begin;', 'insert into t values (1);']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/a transaction was still open; it was rolled back/);
    const after = await shell(db, ['select count(*) as n from t;']);
    expect(after.stdout).toMatch(/ n\n-+\n\s+0\n/);
  });
});

describe('\\copy on MariaDB', () => {
  it('copies a table out and back in with the same row count, NULLs and empty strings kept apart', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'aishell-copy-')), 'rows.csv');
    const r = await shell(my, [
      `create table copy_${suffix} (id int primary key, name varchar(40), note varchar(10));`,
      `insert into copy_${suffix} select seq, concat('row "', seq, '", ok'), case when seq % 3 = 0 then null when seq % 3 = 1 then '' else 'x' end from seq_1_to_1500;`,
      `create table copy_back_${suffix} like copy_${suffix};`,
      `\\copy copy_${suffix} to '${file}' csv header`,
      `\\copy copy_back_${suffix} from '${file}' csv header`,
      `select count(*) as n, sum(note is null) as nulls, sum(note = '') as empties from copy_back_${suffix};`,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.match(/COPY 1500/g)).toHaveLength(2);
    expect(r.stdout).toMatch(/ n\s+\| nulls \| empties\n-+\+-+\+-+\n\s+1500 \|\s+500 \|\s+500\n/);
  });
});
