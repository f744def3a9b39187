import { splitStatements } from '@aishell/sql';
import type { RawFinding } from '../ignores.js';
import { tokenize, unclosedMessage, unterminated } from '../lexer.js';
import { MYSQL_CHECKS, type MyCheck, MyFile, type MySchema } from './mysql-checks.js';
import { readMysqlStatement } from './mysql-statement.js';

/** What one MySQL file's lint needs besides its text. */
export interface MyLintInput {
  readonly text: string;
  readonly region: { readonly start: number; readonly end: number };
  readonly rules: ReadonlySet<string>;
  /** Column definitions of the tables created by the earlier files of the run (updated in place). */
  readonly schema: MySchema;
}

/** The findings of one MySQL/MariaDB file (before ignore comments), and its statement spans. */
export function lintMysql(input: MyLintInput): {
  findings: RawFinding[];
  spans: { start: number; end: number }[];
} {
  const { text, region } = input;
  const findings: RawFinding[] = [];
  const spans: { start: number; end: number }[] = [];
  const checks: [string, MyCheck][] = [];
  for (const [name, check] of Object.entries(MYSQL_CHECKS) as [string, MyCheck][]) {
    if (input.rules.has(name)) checks.push([name, check]);
  }
  const file = new MyFile(input.schema);
  // splitStatements follows the mysql client's DELIMITER lines and keeps BEGIN ... END bodies whole
  for (const piece of splitStatements(text.slice(region.start, region.end), 'mysql')) {
    const start = region.start + piece.start;
    const end = region.start + piece.end;
    const tokens = tokenize(text, 'mysql', start, end);
    const open = tokens.find((t) => t.unterminated === true);
    if (open !== undefined) {
      findings.push({ rule: 'syntax-error', offset: open.start, message: unclosedMessage(open) });
      spans.push({ start, end });
      continue;
    }
    const s = readMysqlStatement(text, tokens, start, end);
    spans.push({ start, end });
    for (const [name, check] of checks) {
      check.statement(s, file, (offset, message, fix) =>
        findings.push(
          fix === undefined ? { rule: name, offset, message } : { rule: name, offset, message, fix },
        ),
      );
    }
    file.observe(s);
  }
  // a comment never closed swallows the end of the file: no statement holds it
  const open = unterminated(text, 'mysql', spans.at(-1)?.end ?? region.start, region.end);
  if (open !== undefined)
    findings.push({ rule: 'syntax-error', offset: open.start, message: unclosedMessage(open) });
  return { findings, spans };
}
