// How the `aishell backup` commands show their documents to a person, and their progress line on a terminal.
import type {
  BackupEntry,
  BackupProgress,
  BackupPruneResult,
  BackupRestoreResult,
  BackupVerifyResult,
} from '@aishell/engine';
import { renderTable } from './output/table.js';

/** Bytes as a person reads them: 512 B, 12.3 kB, 4.5 MB, 1.2 GB. */
export function bytesText(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 'B';
  for (const u of units) {
    if (value < 1000) break;
    value /= 1000;
    unit = u;
  }
  return `${value.toFixed(1)} ${unit}`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const rows = (n: number) => `${n.toLocaleString('en-US')} row${n === 1 ? '' : 's'}`;

/** `backup create`: what was written, where, and the id to verify or restore it by. */
export function entryText(e: BackupEntry): string {
  const total = e.tables.reduce((sum, t) => sum + t.rows, 0);
  return (
    `Backed up ${e.database} (${e.engine} ${e.serverVersion}) with ${e.tool} ${e.toolVersion} in ${seconds(e.durationMs)}\n` +
    `  id      ${e.id}\n` +
    `  file    ${e.path} (${bytesText(e.sizeBytes)})\n` +
    `  sha256  ${e.sha256}\n` +
    `  tables  ${e.tables.length}, ${rows(total)}\n`
  );
}

/** `backup list`: one line per backup, oldest first. */
export function listText(backups: readonly BackupEntry[], width: number): string {
  if (backups.length === 0) return 'No backups yet: take one with `aishell backup create -c <connection>`.\n';
  const fields = ['id', 'engine', 'database', 'created', 'size', 'tables', 'rows'].map((name) => ({
    name,
    type: 'text',
  }));
  const data = backups.map((e) => ({
    id: e.id,
    engine: e.engine,
    database: e.database,
    created: e.createdAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    size: bytesText(e.sizeBytes),
    tables: String(e.tables.length),
    rows: e.tables.reduce((sum, t) => sum + t.rows, 0).toLocaleString('en-US'),
  }));
  return `${renderTable(fields, data, { maxWidth: width })}\n`;
}

/** `backup verify`: the verdict, then what differs. */
export function verifyText(r: BackupVerifyResult): string {
  const lines: string[] = [];
  const total = r.tables.reduce((sum, t) => sum + t.rows, 0);
  lines.push(
    r.ok
      ? `OK ${r.id}: sha256 matches; restored into ${r.scratch} (dropped since): ${r.tables.length} tables, ${rows(total)}, as recorded`
      : `FAILED ${r.id}: sha256 matches, but the copy restored into ${r.scratch} differs from the catalog`,
  );
  if (r.schemaDifferences === null)
    lines.push('  note: this backup recorded no schema; only row counts were compared');
  for (const d of r.rowDifferences)
    lines.push(
      `  ${d.table}: ${d.expected === null ? 'not in the backup' : rows(d.expected)} recorded, ${d.actual === null ? 'missing' : rows(d.actual)} restored`,
    );
  for (const s of r.schemaDifferences ?? []) lines.push(`  schema: ${s.replace(/\s+/g, ' ').trim()}`);
  return `${lines.join('\n')}\n`;
}

/** `backup restore`: where, and the counts read back. */
export function restoreText(r: BackupRestoreResult): string {
  const total = r.tables.reduce((sum, t) => sum + t.rows, 0);
  const lines = [
    `Restored ${r.id} into ${r.target}${r.replaced ? ' (over what was there)' : ''} in ${seconds(r.durationMs)}: ${r.tables.length} tables, ${rows(total)}`,
  ];
  for (const d of r.rowDifferences)
    lines.push(
      `  ${d.table}: ${d.expected === null ? '-' : rows(d.expected)} in the backup, ${d.actual === null ? 'missing' : rows(d.actual)} now`,
    );
  return `${lines.join('\n')}\n`;
}

/** `backup prune`: what went (or would go). */
export function pruneText(r: BackupPruneResult): string {
  const verb = r.dryRun ? 'Would remove' : 'Removed';
  const freed = r.removed.reduce((sum, e) => sum + e.sizeBytes, 0);
  const lines = [
    `${verb} ${r.removed.length} backup${r.removed.length === 1 ? '' : 's'} (${bytesText(freed)}); ${r.kept.length} kept`,
  ];
  for (const e of r.removed) lines.push(`  ${e.id}  ${e.createdAt}  ${bytesText(e.sizeBytes)}`);
  return `${lines.join('\n')}\n`;
}

const PHASE: Readonly<Record<BackupProgress['phase'], string>> = {
  counting: 'counting rows',
  dumping: 'dumping',
  checksum: 'checking sha256',
  restoring: 'restoring',
  comparing: 'comparing',
};

/** A progress line on stderr when it is a terminal (bytes, tables done), redrawn at most 10 times a second. */
export function backupProgress(): { onProgress: (p: BackupProgress) => void; done: () => void } | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = 0;
  let shown = false;
  return {
    onProgress: (p) => {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      const parts = [PHASE[p.phase]];
      if (p.bytes > 0) parts.push(bytesText(p.bytes));
      if (p.tablesTotal > 0) parts.push(`${p.tablesDone}/${p.tablesTotal} tables`);
      process.stderr.write(`\r\x1b[2K  ${parts.join(', ')}`);
      shown = true;
    },
    done: () => {
      if (shown) process.stderr.write('\r\x1b[2K');
    },
  };
}
