import type { Risk, StatementKind } from '../types.js';

/** What one statement of the corpus must analyze to. */
export interface ExpectedStatement {
  kind: StatementKind;
  readOnly: boolean;
  risk: Risk;
  tablesRead: string[];
  tablesWritten: string[];
}

/** A corpus entry: a statement (or a script) and what each of its statements must analyze to. */
export interface CorpusEntry {
  sql: string;
  expected: ExpectedStatement[];
}

/** One single-statement entry: `s(sql, kind, readOnly, risk, tablesRead, tablesWritten)`. */
export function s(
  sql: string,
  kind: StatementKind,
  readOnly: boolean,
  risk: Risk,
  tablesRead: string[] = [],
  tablesWritten: string[] = [],
): CorpusEntry {
  return { sql, expected: [{ kind, readOnly, risk, tablesRead, tablesWritten }] };
}

/** A multi-statement script: each element of `parts` is the expectation of one statement. */
export function script(sql: string, ...parts: CorpusEntry[]): CorpusEntry {
  return { sql, expected: parts.flatMap((p) => p.expected) };
}
