import { type PostgresRawStatement, parsePostgres, SqlParseError, splitStatements } from '@aishell/sql';
import type { RawFinding } from '../ignores.js';
import { tokenize, unclosedMessage, unterminated } from '../lexer.js';
import { byteToCharMapper } from '../positions.js';
import { PgFile } from './pg-file.js';
import { PgStatement } from './pg-statement.js';
import { type PgCheck, POSTGRES_CHECKS } from './postgres-checks.js';

/** What one file's lint needs besides its text. */
export interface PgLintInput {
  readonly text: string;
  /** The part of the text to lint (a dbmate file's up section), as character offsets. */
  readonly region: { readonly start: number; readonly end: number };
  readonly pgVersion: number;
  readonly assumeInTransaction: boolean;
  /** The rules to run. */
  readonly rules: ReadonlySet<string>;
}

/** The findings of one PostgreSQL file (before ignore comments), and its statement spans. */
export function lintPostgres(input: PgLintInput): {
  findings: RawFinding[];
  spans: { start: number; end: number }[];
} {
  const { statements, errors } = parseRegion(input.text, input.region);
  const findings: RawFinding[] = [...errors];
  const checks: [string, PgCheck][] = [];
  for (const [name, check] of Object.entries(POSTGRES_CHECKS) as [string, PgCheck][]) {
    if (input.rules.has(name)) checks.push([name, check]);
  }
  const file = new PgFile({
    pgVersion: input.pgVersion,
    assumeInTransaction: input.assumeInTransaction,
    statementCount: statements.length,
  });
  for (const s of statements) {
    for (const [name, check] of checks) {
      check.statement?.(s, file, (offset, message, fix) =>
        findings.push(
          fix === undefined ? { rule: name, offset, message } : { rule: name, offset, message, fix },
        ),
      );
    }
    file.observe(s);
  }
  for (const [name, check] of checks) {
    check.end?.(file, (offset, message, fix) =>
      findings.push(
        fix === undefined ? { rule: name, offset, message } : { rule: name, offset, message, fix },
      ),
    );
  }
  return { findings, spans: statements.map((s) => ({ start: s.start, end: s.end })) };
}

/**
 * The statements of `text[region]`. A region that does not parse as a whole is parsed statement by
 * statement: each statement PostgreSQL rejects becomes a `syntax-error` finding, the others are linted.
 */
function parseRegion(
  text: string,
  region: { start: number; end: number },
): { statements: PgStatement[]; errors: RawFinding[] } {
  const sub = text.slice(region.start, region.end);
  const statements: PgStatement[] = [];
  const errors: RawFinding[] = [];
  try {
    pushStatements(statements, parsePostgres(sub).stmts, text, sub, region.start);
    return { statements, errors };
  } catch (error) {
    if (!(error instanceof SqlParseError)) throw error;
  }
  for (const span of splitStatements(sub, 'postgres')) {
    try {
      pushStatements(statements, parsePostgres(span.text).stmts, text, span.text, region.start + span.start);
    } catch (error) {
      if (!(error instanceof SqlParseError)) throw error;
      errors.push({
        rule: 'syntax-error',
        offset: region.start + span.start + error.position,
        message: `PostgreSQL cannot parse this statement: ${error.parserMessage}.`,
      });
    }
  }
  // a comment never closed swallows the end of the file: no statement holds it
  const open = unterminated(text, 'postgres', statements.at(-1)?.end ?? region.start, region.end);
  if (open !== undefined && open.type === 'comment')
    errors.push({ rule: 'syntax-error', offset: open.start, message: unclosedMessage(open) });
  return { statements, errors };
}

function pushStatements(
  out: PgStatement[],
  raws: readonly PostgresRawStatement[],
  fileText: string,
  piece: string,
  pieceStart: number,
): void {
  const toChar = byteToCharMapper(piece);
  for (const raw of raws) {
    if (raw.stmt === undefined) continue;
    const startByte = raw.stmt_location ?? 0;
    const start = pieceStart + toChar(startByte);
    let end: number;
    if (raw.stmt_len === undefined || raw.stmt_len === 0) {
      // the last statement without a `;` runs to the end of the piece: stop at its last token
      const last = tokenize(fileText, 'postgres', start, pieceStart + piece.length)
        .filter((t) => t.type !== 'comment')
        .at(-1);
      end = last?.end ?? pieceStart + piece.length;
    } else end = pieceStart + toChar(startByte + raw.stmt_len);
    out.push(
      new PgStatement(out.length, raw.stmt, { start, end }, fileText, (b) => pieceStart + toChar(b), 0),
    );
  }
}
