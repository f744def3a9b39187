// How `migrate test` sends a migration's statements: in one transaction, one each, as the file's own
// BEGIN/COMMIT say, or one by one where DDL commits by itself (MySQL/MariaDB). Recognised from the
// statements' first words, not parsed: a statement the parser would refuse must still reach the database,
// whose error is the one to report.
import type { SqlDialect } from '@aishell/pool';

/**
 * How a part's statements were sent. `file`: all in one transaction (PostgreSQL and SQLite, as the tools
 * run a migration); `statement`: each in a transaction of its own, because the part must not run in one
 * (dbmate `transaction:false`, goose `NO TRANSACTION`, a statement such as CREATE INDEX CONCURRENTLY that
 * refuses a transaction block, which then runs bare); `script`: the part has its own BEGIN/COMMIT, sent
 * as written; `none`: MySQL/MariaDB, where DDL commits by itself.
 */
export type TransactionMode = 'file' | 'statement' | 'script' | 'none';

/** How a part is sent: `noTransaction` when its layout says it must not run in one (see TransactionMode). */
export function transactionMode(
  noTransaction: boolean,
  statements: readonly { text: string }[],
  dialect: SqlDialect,
): TransactionMode {
  if (dialect === 'mysql') return 'none';
  if (statements.some((s) => transactionControl(s.text) !== null)) return 'script';
  if (noTransaction || statements.some((s) => refusesTransaction(s.text, dialect))) return 'statement';
  return 'file';
}

/** A statement that opens or ends a transaction (`begin` also for START TRANSACTION; `end` for COMMIT, END, ROLLBACK, ABORT). */
export function transactionControl(sql: string): 'begin' | 'end' | null {
  const text = withoutComments(sql);
  // MariaDB's `BEGIN NOT ATOMIC ... END` is a compound statement, not a transaction.
  if (/^(begin|start\s+transaction)\b/i.test(text) && !/^begin\s+not\s+atomic\b/i.test(text)) return 'begin';
  if (/^(commit|end|abort)\b/i.test(text)) return 'end';
  if (/^rollback\b/i.test(text) && !/^rollback\s+((work|transaction)\s+)?to\b/i.test(text)) return 'end';
  return null;
}

/** Statements PostgreSQL refuses inside a transaction block (SQLite: VACUUM). */
export function refusesTransaction(sql: string, dialect: SqlDialect): boolean {
  const text = withoutComments(sql);
  if (dialect === 'sqlite') return /^vacuum\b/i.test(text);
  return (
    /^(create\s+(unique\s+)?index\s+concurrently|drop\s+index\s+concurrently|vacuum|alter\s+system|(create|drop)\s+(database|tablespace)|create\s+subscription|drop\s+subscription)\b/i.test(
      text,
    ) ||
    /^reindex\b[\s\S]*\bconcurrently\b/i.test(text) ||
    /^reindex\s+(\([^)]*\)\s*)?(system|database)\b/i.test(text) ||
    /^alter\s+table\b[\s\S]*\bdetach\s+partition\b[\s\S]*\bconcurrently\b/i.test(text) ||
    /^cluster\s*$/i.test(text)
  );
}

function withoutComments(sql: string): string {
  return sql
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/--[^\n]*/g, ' ')
    .trim();
}
