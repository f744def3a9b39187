import { describe, expect, it } from 'vitest';
import { type HeldLock, newLocks, type RelationBefore } from './migrate-test-locks.js';

const lock = (
  oid: string,
  relation: string | null,
  mode: HeldLock['mode'],
  kind: HeldLock['kind'] = 'table',
): [string, HeldLock] => [`${oid}:${mode}`, { oid, relation, mode, kind }];
const before = new Map<string, RelationBefore>([
  ['1', { name: 'public.accounts', kind: 'table', rows: 20 }],
  ['2', { name: 'public.old_table', kind: 'table', rows: 3 }],
]);

describe('newLocks', () => {
  it('gives the strongest new lock per relation, and marks relations the migration created', () => {
    const now = new Map([
      lock('1', 'public.accounts', 'ACCESS SHARE'),
      lock('1', 'public.accounts', 'ACCESS EXCLUSIVE'),
      lock('9', 'public.tags', 'SHARE'),
      lock('9', 'public.tags', 'ACCESS EXCLUSIVE'),
      lock('10', 'public.tags_pkey', 'ACCESS EXCLUSIVE', 'index'),
    ]);
    expect(newLocks(new Map(), now, before)).toEqual([
      { relation: 'public.accounts', kind: 'table', mode: 'ACCESS EXCLUSIVE', created: false },
      { relation: 'public.tags', kind: 'table', mode: 'ACCESS EXCLUSIVE', created: true },
      { relation: 'public.tags_pkey', kind: 'index', mode: 'ACCESS EXCLUSIVE', created: true },
    ]);
  });

  it('leaves out what the transaction held already, or a weaker mode of it', () => {
    const previous = new Map([lock('1', 'public.accounts', 'ACCESS EXCLUSIVE')]);
    const now = new Map([
      ...previous,
      lock('1', 'public.accounts', 'SHARE'),
      lock('2', 'public.old_table', 'ROW EXCLUSIVE'),
    ]);
    expect(newLocks(previous, now, before)).toEqual([
      { relation: 'public.old_table', kind: 'table', mode: 'ROW EXCLUSIVE', created: false },
    ]);
  });

  it('names a relation the statement dropped from before, and leaves out one it never knew', () => {
    const now = new Map([
      lock('2', null, 'ACCESS EXCLUSIVE', 'other'),
      lock('77', null, 'ACCESS EXCLUSIVE', 'other'),
    ]);
    expect(newLocks(new Map(), now, before)).toEqual([
      { relation: 'public.old_table', kind: 'table', mode: 'ACCESS EXCLUSIVE', created: false },
    ]);
  });
});
