// How `aishell migrate test` shows its report to a person: one block per migration (each statement with
// its duration and locks, the flags, the checks), the failure, the tally; and a progress line on a terminal.
import type {
  DirectionReport,
  LockTaken,
  MigrateTestProgress,
  MigrateTestResult,
  MigrationReport,
  StatementReport,
  TransactionMode,
} from '@aishell/engine';

const STATUS: Readonly<Record<MigrationReport['status'], string>> = {
  ok: 'OK',
  flagged: 'FLAGGED',
  failed: 'FAILED',
  'not-run': 'NOT RUN',
};

const TRANSACTION: Readonly<Record<TransactionMode, string>> = {
  file: 'in one transaction',
  statement: 'each statement in its own transaction',
  script: "in the file's own transactions",
  none: 'autocommit',
};

/** The report as text, at most `width` columns where a statement is shown on one line. */
export function migrateTestText(r: MigrateTestResult, width: number): string {
  const lines: string[] = [];
  const count = r.migrations.length;
  let head = `Tried ${count} migration${count === 1 ? '' : 's'} on a scratch copy of the schema: ${r.scratch}`;
  if (r.sample !== null)
    head += `, with up to ${r.sample.rowsPerTable} rows per table (${r.sample.rows} rows in ${r.sample.tables} tables)`;
  lines.push(head);
  if (r.locks.note) lines.push(`note: ${r.locks.note}`);
  for (const u of r.unsupported)
    lines.push(`note: not in the scratch copy: ${u.kind} ${u.name} (${u.message})`);
  for (const m of r.migrations) lines.push('', ...migrationBlock(m, r.locks.observed, width));
  if (r.failed !== null) {
    const f = r.failed;
    lines.push(
      '',
      `failed: ${f.file}, ${f.direction === 'redo' ? 'up (run again after the down)' : f.direction}, statement ${f.statement} (line ${f.line}): ${f.message}${f.sqlState ? ` (SQLSTATE ${f.sqlState})` : ''}`,
      `  ${oneLine(f.sql, width - 2)}`,
    );
  }
  const s = r.summary;
  lines.push(
    '',
    `${s.migrations} migration${s.migrations === 1 ? '' : 's'}: ${s.ok} ok, ${s.flagged} flagged, ${s.failed} failed, ${s.notRun} not run; ${s.withoutDown} without a down`,
  );
  return `${lines.join('\n')}\n`;
}

function migrationBlock(m: MigrationReport, observed: boolean, width: number): string[] {
  const lines = [`${STATUS[m.status]}  ${m.file}`];
  if (m.up) lines.push(...direction('up', m.up, observed, width));
  if (m.down) lines.push(...direction('down', m.down, observed, width));
  if (m.redo) {
    const failedAt = m.status === 'failed' && m.checks.upRepeatable === null;
    if (failedAt) lines.push(...direction('up again', m.redo, observed, width));
    else lines.push(`  up again: ${ms(m.redo.durationMs)}`);
  }
  if (m.checks.downRestores !== null)
    lines.push(`  down restores the schema: ${m.checks.downRestores ? 'yes' : 'NO'}`);
  if (m.checks.upRepeatable !== null)
    lines.push(`  up again gives the same schema: ${m.checks.upRepeatable ? 'yes' : 'NO'}`);
  for (const r of m.checks.residue) {
    const what = r.check === 'downRestores' ? 'left by the down' : 'differs after up again';
    lines.push(`    ${what}: ${r.sql === null ? r.message : oneLine(r.sql, width - what.length - 6)}`);
  }
  for (const note of m.notes) lines.push(`  ${note}`);
  return lines;
}

function direction(name: string, d: DirectionReport, observed: boolean, width: number): string[] {
  const lines = [`  ${name} (${TRANSACTION[d.transaction]}, ${ms(d.durationMs)}):`];
  const indent = '          ';
  for (const s of d.statements) {
    const prefix = `  ${String(s.index).padStart(3)}  line ${String(s.line).padEnd(4)} ${ms(s.durationMs).padStart(9)}  `;
    lines.push(`${prefix}${oneLine(s.sql, width - prefix.length)}`);
    if (s.error !== null)
      lines.push(
        `${indent}! refused: ${s.error.message}${s.error.sqlState ? ` (SQLSTATE ${s.error.sqlState})` : ''}`,
      );
    else if (observed) lines.push(`${indent}${locksText(s)}`);
    for (const f of s.flagged) lines.push(`${indent}! ${f.message}`);
  }
  return lines;
}

function locksText(s: StatementReport): string {
  if (s.locks === null) return 'locks: not observed (the statement runs outside a transaction)';
  const existing = s.locks.filter((l) => !l.created);
  const created = s.locks.filter((l) => l.created);
  const parts: string[] = [];
  if (existing.length > 0) parts.push(existing.map(lockText).join(', '));
  if (created.length > 0) parts.push(`on new ${created.map((l) => l.relation).join(', ')}`);
  return parts.length === 0 ? 'locks: none new' : `locks: ${parts.join('; ')}`;
}

function lockText(l: LockTaken): string {
  return `${l.relation} ${l.mode}${l.kind === 'table' ? '' : ` (${l.kind})`}`;
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(1)} ms`;
}

function oneLine(sql: string, width: number): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  const room = Math.max(20, width);
  return flat.length > room ? `${flat.slice(0, room - 1)}…` : flat;
}

/** A progress line on stderr while migrations run, on a terminal only; `done()` clears it. */
export function migrateTestProgress():
  | { readonly onProgress: (event: MigrateTestProgress) => void; readonly done: () => void }
  | undefined {
  if (!process.stderr.isTTY) return undefined;
  let shown = false;
  const show = (text: string) => {
    const room = (process.stderr.columns ?? 80) - 1;
    process.stderr.write(`\r\x1b[2K${text.length > room ? `${text.slice(0, room - 1)}…` : text}`);
    shown = true;
  };
  return {
    onProgress: (e) => {
      if (e.phase === 'scratch') show(`scratch: ${e.scratch}`);
      else if (e.phase === 'schema') show('copying the schema into the scratch database...');
      else if (e.phase === 'sample') show(`copying sample rows: ${e.done}/${e.total} ${e.table}`);
      else show(`[${e.index}/${e.total}] ${e.file}: ${e.direction === 'redo' ? 'up again' : e.direction}`);
    },
    done: () => {
      if (shown) process.stderr.write('\r\x1b[2K');
    },
  };
}
