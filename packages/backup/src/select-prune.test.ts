import { describe, expect, it } from 'vitest';
import { selectPrune } from './select-prune.js';
import type { BackupEntry } from './types.js';

const now = new Date('2026-01-31T00:00:00Z');
const entry = (database: string, daysAgo: number): BackupEntry => ({
  id: `${database}-${daysAgo}`,
  path: `/b/${database}-${daysAgo}.dump`,
  engine: 'postgres',
  format: 'pg_dump-custom',
  serverVersion: '15.20',
  database,
  connection: 'postgres://db/',
  sizeBytes: 1,
  sha256: 'x',
  createdAt: new Date(now.getTime() - daysAgo * 86_400_000).toISOString(),
  durationMs: 1,
  tool: 'pg_dump',
  toolVersion: '15.20',
  tables: [],
});

describe('selectPrune', () => {
  const entries = [1, 2, 3, 4, 10, 40].map((d) => entry('shop', d)).concat([entry('crm', 50)]);

  it('keeps the newest N of each database and removes the rest', () => {
    const { keep, remove } = selectPrune(entries, { keep: 2, now });
    expect(keep.map((e) => e.id)).toEqual(['shop-1', 'shop-2', 'crm-50']);
    expect(remove.map((e) => e.id)).toEqual(['shop-3', 'shop-4', 'shop-10', 'shop-40']);
  });

  it('also keeps every backup younger than keepDays', () => {
    const { remove } = selectPrune(entries, { keep: 1, keepDays: 7, now });
    expect(remove.map((e) => e.id)).toEqual(['shop-10', 'shop-40']);
  });

  it('removes everything with keep 0 and no keepDays, and refuses a negative keep', () => {
    expect(selectPrune(entries, { keep: 0, now }).keep).toEqual([]);
    expect(() => selectPrune(entries, { keep: -1 })).toThrow(/keep must be a whole number/);
    expect(() => selectPrune(entries, { keep: 1, keepDays: Number.NaN })).toThrow(/keep-days/);
  });
});
