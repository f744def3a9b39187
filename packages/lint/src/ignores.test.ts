import { describe, expect, it } from 'vitest';
import { lintMigrations } from './lint-migrations.js';
import type { LintDialect } from './types.js';

const lint = async (text: string, rules?: string[], dialect: LintDialect = 'postgres') =>
  (
    await lintMigrations([{ path: 'm.sql', text }], { dialect, ...(rules === undefined ? {} : { rules }) })
  ).findings.map((f) => [f.rule, f.line] as const);

const DROP = 'ALTER TABLE users DROP COLUMN IF EXISTS nickname;';

describe('ignore comments', () => {
  it('disables the rules it names for the statement right after it when it gives a reason', async () => {
    expect(await lint(DROP, ['ban-drop-column'])).toEqual([['ban-drop-column', 1]]);
    expect(
      await lint(`-- aishell-ignore ban-drop-column: unused since release 42\n${DROP}`, ['ban-drop-column']),
    ).toEqual([]);
  });

  it('still disables the rule without a reason, and reports the comment as ignore-without-reason', async () => {
    expect(await lint(`-- aishell-ignore ban-drop-column\n${DROP}`, ['ban-drop-column'])).toEqual([
      ['ignore-without-reason', 1],
    ]);
    expect(await lint(`-- aishell-ignore ban-drop-column:   \n${DROP}`, ['ban-drop-column'])).toEqual([
      ['ignore-without-reason', 1],
    ]);
  });

  it('takes several rules, separated by commas, and leaves the others on', async () => {
    const text = `-- aishell-ignore ban-drop-column, prefer-robust-stmts: planned in ADR 7\nALTER TABLE users DROP COLUMN nickname;\nALTER TABLE users DROP COLUMN bio;`;
    expect(await lint(text, ['ban-drop-column', 'prefer-robust-stmts'])).toEqual([
      ['ban-drop-column', 3],
      ['prefer-robust-stmts', 3],
    ]);
  });

  it("accepts squawk's own -- squawk-ignore form, with the reason after -- or a colon", async () => {
    expect(
      await lint(`-- squawk-ignore ban-drop-column -- dropped after release 42\n${DROP}`, [
        'ban-drop-column',
      ]),
    ).toEqual([]);
    expect(
      await lint(`/* squawk-ignore ban-drop-column: dropped after 42 */\n${DROP}`, ['ban-drop-column']),
    ).toEqual([]);
    expect(await lint(`-- squawk-ignore ban-drop-column\n${DROP}`, ['ban-drop-column'])).toEqual([
      ['ignore-without-reason', 1],
    ]);
  });

  it('applies a file-wide ignore anywhere in the file', async () => {
    const text = `${DROP}\n-- aishell-ignore-file ban-drop-column: the whole migration retires old columns\n${DROP}`;
    expect(await lint(text, ['ban-drop-column'])).toEqual([]);
  });

  it('ignores every rule when it names none', async () => {
    expect(
      await lint(`-- squawk-ignore: legacy migration, reviewed\nALTER TABLE users DROP COLUMN nickname;`),
    ).toEqual([]);
  });

  it('applies an ignore inside a statement to the line after it (or its own line after code)', async () => {
    const text = [
      'CREATE TABLE IF NOT EXISTS t (',
      '  -- aishell-ignore prefer-timestamptz: the vendor feed sends local times',
      '  at timestamp,',
      '  at2 timestamp, -- aishell-ignore prefer-timestamptz: same feed',
      '  at3 timestamp',
      ');',
    ].join('\n');
    expect(await lint(text, ['prefer-timestamptz'])).toEqual([['prefer-timestamptz', 5]]);
  });

  it('reports an unknown rule name and an ignore that suppresses nothing as unused-ignore', async () => {
    expect(
      await lint(`-- aishell-ignore ban-drop-colum: typo\n${DROP}`, ['ban-drop-column', 'unused-ignore']),
    ).toEqual([
      ['unused-ignore', 1],
      ['ban-drop-column', 2],
    ]);
    expect(
      await lint(`-- aishell-ignore ban-drop-table: not dropping any\n${DROP}`, [
        'ban-drop-table',
        'unused-ignore',
      ]),
    ).toEqual([['unused-ignore', 1]]);
    // a rule left out of the run cannot prove the comment stale
    expect(
      await lint(`-- aishell-ignore ban-drop-table: not dropping any\n${DROP}`, [
        'ban-drop-column',
        'unused-ignore',
      ]),
    ).toEqual([['ban-drop-column', 2]]);
  });

  it('accepts squawk aliases of rule names', async () => {
    expect(
      await lint(
        '-- squawk-ignore prefer-timestamp-tz: legacy\nCREATE TABLE IF NOT EXISTS t (a timestamp);',
        ['prefer-timestamptz'],
      ),
    ).toEqual([]);
  });

  it('does not read an ignore inside a string or a dollar-quoted body', async () => {
    const text = `SELECT '-- aishell-ignore ban-drop-column: no';\nDO $$ BEGIN PERFORM 1; END $$; -- plain comment\n${DROP}`;
    expect(await lint(text, ['ban-drop-column'])).toEqual([['ban-drop-column', 3]]);
  });

  it('works the same in MySQL files, with # comments too', async () => {
    const drop = 'ALTER TABLE users DROP COLUMN nickname, ALGORITHM=INSTANT;';
    expect(
      await lint(`# aishell-ignore ban-drop-column: unused since 42\n${drop}`, ['ban-drop-column'], 'mysql'),
    ).toEqual([]);
    expect(await lint(`-- aishell-ignore ban-drop-column\n${drop}`, ['ban-drop-column'], 'mysql')).toEqual([
      ['ignore-without-reason', 1],
    ]);
  });
});
