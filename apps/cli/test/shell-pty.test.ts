import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempHome } from './run-cli.js';
import { KEY, ShellTerminal } from './shell-terminal.js';

// The shell on the embedded demo database, driven through a real pseudo-terminal: what a person
// types, what the screen then shows.
let env: Record<string, string>;
const open: ShellTerminal[] = [];

function shell(args: readonly string[] = ['-c', 'demo'], extra: Record<string, string> = {}): ShellTerminal {
  const t = new ShellTerminal(args, { env: { ...env, ...extra } });
  open.push(t);
  return t;
}

beforeAll(async () => {
  env = tempHome();
  const made = await runCli(['demo'], { env, timeoutMs: 120_000 });
  expect(made.code, made.stderr).toBe(0);
}, 120_000);

afterEach(() => {
  for (const t of open.splice(0)) t.close();
});

afterAll(() => {
  for (const t of open.splice(0)) t.close();
});

describe('aishell -c demo on a terminal', () => {
  it('opens the shell with `-c`, answers, clears a line on Ctrl-C and leaves on Ctrl-D', async () => {
    const t = shell();
    await t.waitFor('demo=> ');
    await t.type('select count(*) as n from customers;');
    t.write(KEY.enter);
    await t.waitFor(/ n\s*\n-+\n\s*1200\n\(1 row\)/);
    await t.type('select this line is dropped');
    t.write(KEY.ctrlC);
    await t.waitFor('select this line is dropped^C');
    expect(t.cursorLine()).toBe('demo=> ');
    t.write(KEY.ctrlD);
    expect(await t.exited).toBe(0);
    expect(t.screen()).not.toMatch(/ERROR/);
  });

  it('completes a table after FROM and a column after an alias whose FROM comes later', async () => {
    const t = shell();
    await t.waitFor('demo=> ');
    await t.type('select * from cust');
    t.write(KEY.tab);
    await t.waitFor('demo=> select * from customers ');
    t.write(KEY.ctrlC);
    await t.type('select c.em from customers c limit 1;');
    // The cursor back to just after `c.em`, then Tab: the alias is read from the FROM after the cursor.
    t.write(`\x01${'\x1b[C'.repeat('select c.em'.length)}`);
    t.write(KEY.tab);
    await t.waitFor('demo=> select c.email from customers c limit 1;');
    t.write(KEY.enter);
    await t.waitFor(/ email\s*\n-+\n \S+@\S+\n\(1 row\)/);
    // Several candidates: listed under the line, which is drawn again below them.
    await t.type('select * from orders o where o.');
    t.write(KEY.tab);
    await t.waitFor(/o\.customer_id\s+o\.delivered_at\s+o\.id\s+o\.order_date/);
    expect(t.cursorLine()).toBe('demo=> select * from orders o where o.');
  });

  it('continues a statement over lines until `;` and recalls it whole with the up arrow', async () => {
    const t = shell();
    await t.waitFor('demo=> ');
    await t.type('select 1 as first,');
    t.write(KEY.enter);
    await t.waitFor('demo-> ');
    await t.type('  2 as second;');
    t.write(KEY.enter);
    await t.waitFor(/ first \| second\n-+\+-+\n\s+1 \|\s+2\n\(1 row\)/);
    t.write(KEY.up);
    await t.waitFor(/\(1 row\)\n(.*\n)*demo=> select 1 as first,\ndemo-> {3}2 as second;$/);
    t.write(KEY.enter);
    await t.waitFor(() => t.count('(1 row)') === 2);
    // Ctrl-R finds it again by a word from its second line.
    t.write(KEY.ctrlR);
    await t.type('as sec');
    await t.waitFor("(reverse-i-search)'as sec': select 1 as first,");
    t.write(KEY.enter);
    await t.waitFor(() => t.count('(1 row)') === 3);
  });

  it('colours SQL as it is typed on a terminal, and changes no character of it', async () => {
    const t = shell();
    await t.waitFor('demo=> ');
    await t.type("select 'paris' as city, 42 -- the answer");
    const line = "demo=> select 'paris' as city, 42 -- the answer";
    expect(t.cursorLine()).toBe(line);
    const [keyword] = [...t.coloursOf('select')];
    expect(keyword).not.toBe(-1);
    expect([...t.coloursOf("'paris'")]).toHaveLength(1);
    expect(t.coloursOf("'paris'")).not.toEqual(t.coloursOf('select'));
    expect(t.coloursOf('42')).not.toEqual(t.coloursOf("'paris'"));
    expect(t.coloursOf('-- the answer').has(-1)).toBe(false);
    // `\set color off` turns it off for the next line.
    t.write(KEY.ctrlC);
    await t.type('\\set color off');
    t.write(KEY.enter);
    await t.type('select 1');
    expect([...t.coloursOf('select 1')]).toEqual([-1]);
  });

  it('shows no colour under NO_COLOR', async () => {
    const t = shell(['-c', 'demo'], { NO_COLOR: '1' });
    await t.waitFor('demo=> ');
    await t.type("select 'paris', 42");
    expect([...t.coloursOf("select 'paris', 42")]).toEqual([-1]);
    // And in the bytes: no colour code (SGR 30-39) was ever written.
    expect(t.raw).not.toMatch(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*3[0-9]m`));
  });

  it('shows an open transaction (=*>) and a failed one (=!>) in the prompt, and asks before leaving', async () => {
    const t = shell();
    await t.waitFor('demo=> ');
    await t.type('begin;');
    t.write(KEY.enter);
    await t.waitFor('demo=*> ');
    await t.type('select nothing_here from customers;');
    t.write(KEY.enter);
    await t.waitFor(/ERROR: .*nothing_here[^\n]*\n(.*\n)*demo=!> $/);
    await t.type('rollback;');
    t.write(KEY.enter);
    await t.waitFor(/ROLLBACK[^\n]*\n(Time: [^\n]*\n)?demo=> $/);
    await t.type('begin;');
    t.write(KEY.enter);
    await t.type('create table shell_kept (x int);');
    t.write(KEY.enter);
    await t.waitFor(/CREATE[^\n]*\n(Time: [^\n]*\n)?demo=\*> $/);
    t.write(KEY.ctrlD);
    await t.waitFor('A transaction is open. Commit it, roll it back, or stay? [c/r/S] ');
    t.write(`s${KEY.enter}`);
    await t.waitFor(/stay\? \[c\/r\/S\] s\ndemo=\*> $/);
    await t.type('\\q');
    t.write(KEY.enter);
    await t.waitFor(/\\q\nA transaction is open/);
    t.write(`c${KEY.enter}`);
    expect(await t.exited).toBe(0);
    const kept = await runCli(['query', 'select count(*) as n from shell_kept', '-c', 'demo'], { env });
    expect(kept.stdout).toMatch(/ n\s*\n-+\n\s+0\n/);
  });

  it('asks before a DELETE without WHERE, with the reasons, and refuses it on no', async () => {
    const t = shell();
    await t.waitFor('demo=> ');
    await t.type('delete from reviews;');
    t.write(KEY.enter);
    await t.waitFor(
      /This statement is critical risk:\n {2}- DELETE without WHERE[^\n]*\n(.*\n)*Run it\? \[y\/N\] $/,
    );
    t.write(KEY.enter);
    await t.waitFor(/ERROR: refused: critical risk statement[^\n]*nothing was sent/);
    await t.type('select count(*) > 0 as kept from reviews;');
    t.write(KEY.enter);
    await t.waitFor(/ kept\s*\n-+\n true\n/);
  });

  it('repeats a query with \\watch until Ctrl-C, then answers the next one', async () => {
    const t = shell();
    await t.waitFor('demo=> ');
    await t.type("select 'tick' as w;");
    t.write(KEY.enter);
    await t.waitFor('(1 row)');
    await t.type('\\watch 0.2');
    t.write(KEY.enter);
    await t.waitFor(() => t.count('(every 0.2s)') >= 3, 30_000);
    t.write(KEY.ctrlC);
    await t.waitFor(/demo=> $/);
    const ticks = t.count('(every 0.2s)');
    await t.type("select 'after' as w;");
    t.write(KEY.enter);
    await t.waitFor(/ after\n\(1 row\)/);
    expect(t.count('(every 0.2s)')).toBe(ticks);
  });

  it('switches to another connection with \\c', async () => {
    const t = shell();
    const db = path.join(mkdtempSync(path.join(os.tmpdir(), 'aishell-pty-')), 'other.db');
    await t.waitFor('demo=> ');
    await t.type(`\\c sqlite://${db}`);
    t.write(KEY.enter);
    await t.waitFor(/You are now connected to sqlite:\/\/.*other\.db \(sqlite\)\.\nother=> $/);
    await t.type('select sqlite_version() is not null as sqlite;');
    t.write(KEY.enter);
    await t.waitFor(/ sqlite\s*\n-+\n\s+1\n\(1 row\)/);
  });

  it('shows a result taller than the terminal through $PAGER, and one that fits without it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'aishell-pager-'));
    const pager = path.join(dir, 'pager.sh');
    writeFileSync(pager, '#!/bin/sh\necho "--- through the pager ---"\ncat\n');
    chmodSync(pager, 0o755);
    const t = new ShellTerminal(['-c', 'demo'], { env: { ...env, PAGER: pager }, rows: 12 });
    open.push(t);
    await t.waitFor('demo=> ');
    await t.type('select 1 as small;');
    t.write(KEY.enter);
    await t.waitFor(/ small\n-+\n\s+1\n\(1 row\)/);
    expect(t.screen()).not.toContain('through the pager');
    await t.type('select g from generate_series(1, 40) g;');
    t.write(KEY.enter);
    await t.waitFor(/--- through the pager ---\n g\n-+\n\s+1\n(.*\n)*\s+40\n\(40 rows\)/);
    await t.waitFor(/demo=> $/);
  });

  it('edits the last statement with \\e, and an edited one without `;` waits at the prompt', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'aishell-edit-'));
    const editor = path.join(dir, 'editor.sh');
    // An editor that turns the statement into another one, without the `;`.
    writeFileSync(editor, '#!/bin/sh\nprintf "select 5 as edited\\n" > "$1"\n');
    chmodSync(editor, 0o755);
    const t = shell(['-c', 'demo'], { EDITOR: editor, VISUAL: '' });
    await t.waitFor('demo=> ');
    await t.type('select 1 as first;');
    t.write(KEY.enter);
    await t.waitFor('(1 row)');
    await t.type('\\e');
    t.write(KEY.enter);
    await t.waitFor(/demo=> select 5 as edited$/);
    await t.type(';');
    t.write(KEY.enter);
    await t.waitFor(/ edited\n-+\n\s+5\n\(1 row\)/);
  });
});
