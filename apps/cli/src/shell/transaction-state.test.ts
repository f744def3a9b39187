import type { StatementKind } from '@aishell/engine';
import { describe, expect, it } from 'vitest';
import { promptMarker, stateAfter, stateAfterError } from './transaction-state.js';

const s = (normalized: string, kind: StatementKind = 'transaction') => ({ kind, normalized });

describe('stateAfter', () => {
  it('opens on BEGIN and START TRANSACTION, and closes on COMMIT, ROLLBACK, END and ABORT', () => {
    expect(stateAfter('idle', [s('BEGIN')], 'postgres')).toBe('open');
    expect(stateAfter('idle', [s('START TRANSACTION READ WRITE')], 'mysql')).toBe('open');
    for (const end of ['COMMIT', 'ROLLBACK', 'END', 'ABORT', 'COMMIT WORK'])
      expect(stateAfter('open', [s(end)], 'postgres')).toBe('idle');
  });

  it('keeps a transaction open after AND CHAIN, and recovers a failed one with ROLLBACK TO SAVEPOINT', () => {
    expect(stateAfter('open', [s('COMMIT AND CHAIN')], 'postgres')).toBe('open');
    expect(stateAfter('failed', [s('ROLLBACK TO SAVEPOINT a')], 'postgres')).toBe('open');
    expect(stateAfter('open', [s('SAVEPOINT a'), s('RELEASE SAVEPOINT a')], 'postgres')).toBe('open');
  });

  it('follows a script statement by statement', () => {
    expect(
      stateAfter('idle', [s('BEGIN'), s('INSERT INTO t VALUES (1)', 'insert'), s('COMMIT')], 'sqlite'),
    ).toBe('idle');
    expect(stateAfter('idle', [s('BEGIN'), s('SELECT 1', 'select')], 'sqlite')).toBe('open');
  });

  it("ends MySQL's transaction at DDL (an implicit commit), not PostgreSQL's", () => {
    expect(stateAfter('open', [s('CREATE TABLE t (x int)', 'ddl')], 'mysql')).toBe('idle');
    expect(stateAfter('open', [s('CREATE TABLE t (x int)', 'ddl')], 'postgres')).toBe('open');
  });
});

describe('stateAfterError', () => {
  it('fails an open transaction on PostgreSQL and PGlite, and leaves MySQL and SQLite as they were', () => {
    expect(stateAfterError('open', 'postgres')).toBe('failed');
    expect(stateAfterError('open', 'pglite')).toBe('failed');
    expect(stateAfterError('open', 'mysql')).toBe('open');
    expect(stateAfterError('open', 'sqlite')).toBe('open');
    expect(stateAfterError('idle', 'postgres')).toBe('idle');
  });
});

describe('promptMarker', () => {
  it("writes psql's markers", () => {
    expect(promptMarker('idle', false)).toBe('=>');
    expect(promptMarker('open', false)).toBe('=*>');
    expect(promptMarker('failed', false)).toBe('=!>');
    expect(promptMarker('open', true)).toBe('-*>');
  });
});
