import { provenRead } from './risk.js';
import type { StatementAnalysis, StatementKind } from './types.js';

const REFUSED: Readonly<Record<Exclude<StatementKind, 'select' | 'utility'>, string>> = {
  transaction: 'transaction control would end, replace or change the read-only transaction',
  ddl: 'DDL changes the schema (and MySQL commits the transaction before it)',
  dcl: 'DCL changes accounts or privileges (and MySQL commits the transaction before it)',
  insert: 'INSERT writes rows',
  update: 'UPDATE writes rows',
  delete: 'DELETE writes rows',
  merge: 'MERGE writes rows',
  other: 'aishell does not classify this statement, so it cannot prove it reads',
};

/**
 * Why `--read-only` refuses `statement`, or undefined when the analysis proves it is a read: it must
 * be `readOnly` and a `select` or `utility` (SHOW, EXPLAIN without ANALYZE of a write, DESCRIBE,
 * FETCH, PRAGMA that reads). Nothing else may run inside the read-only transaction: transaction
 * control could end or loosen it, session settings could change it, DDL commits it on MySQL.
 * @example readOnlyRefusal((await analyze('COMMIT', 'postgres')).statements[0]); // 'transaction control would end, ...'
 */
export function readOnlyRefusal(statement: StatementAnalysis): string | undefined {
  const { kind, readOnly, reasons } = statement;
  if (provenRead(kind, readOnly)) return undefined;
  if (kind !== 'select' && kind !== 'utility') return REFUSED[kind];
  // a select or utility with an effect: the reasons say which (the first is the most severe)
  return `not a read: ${reasons[0] ?? 'it has an effect'}`;
}
