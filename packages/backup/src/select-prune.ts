import { BackupError } from './errors.js';
import type { BackupEntry } from './types.js';

export interface PruneRule {
  /** Backups kept per database (the newest), whatever their age. */
  readonly keep: number;
  /** Also kept: every backup younger than this many days. @default none */
  readonly keepDays?: number;
  /** @default new Date() */
  readonly now?: Date;
}

const DAY_MILLIS = 86_400_000;

/**
 * Which backups a retention rule removes. Backups are grouped by their connection and database (so that
 * a database backed up hourly does not push out another's weekly ones); in each group the newest `keep`
 * stay, and with `keepDays` so does every backup younger than that. Pure: nothing is removed here.
 * @example selectPrune(entries, { keep: 7, keepDays: 30 })
 */
export function selectPrune(
  entries: readonly BackupEntry[],
  rule: PruneRule,
): { keep: BackupEntry[]; remove: BackupEntry[] } {
  if (!Number.isInteger(rule.keep) || rule.keep < 0)
    throw new BackupError('BACKUP_BAD_OPTION', `keep must be a whole number >= 0, not ${rule.keep}`);
  if (rule.keepDays !== undefined && !(Number.isFinite(rule.keepDays) && rule.keepDays >= 0))
    throw new BackupError('BACKUP_BAD_OPTION', `keep-days must be a number >= 0, not ${rule.keepDays}`);
  const now = (rule.now ?? new Date()).getTime();
  const groups = new Map<string, BackupEntry[]>();
  for (const e of entries) {
    const key = `${e.engine}\u0000${e.connection}\u0000${e.database}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  const removed = new Set<BackupEntry>();
  for (const group of groups.values()) {
    const newestFirst = [...group].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    newestFirst.forEach((e, i) => {
      if (i < rule.keep) return;
      const ageDays = (now - Date.parse(e.createdAt)) / DAY_MILLIS;
      if (rule.keepDays !== undefined && ageDays < rule.keepDays) return;
      removed.add(e);
    });
  }
  return {
    keep: entries.filter((e) => !removed.has(e)),
    remove: entries.filter((e) => removed.has(e)),
  };
}
