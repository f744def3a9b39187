import { describe, expect, it } from 'vitest';
import { refusesTransaction, transactionControl, transactionMode } from './migrate-test-transactions.js';

const s = (...texts: string[]) => texts.map((text) => ({ text }));

describe('transactionControl', () => {
  it('reads BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK and ABORT, after leading comments', () => {
    expect(transactionControl('BEGIN')).toBe('begin');
    expect(transactionControl('begin isolation level serializable')).toBe('begin');
    expect(transactionControl('/* x */ START TRANSACTION READ WRITE')).toBe('begin');
    expect(transactionControl('-- done\nCOMMIT')).toBe('end');
    expect(transactionControl('end')).toBe('end');
    expect(transactionControl('ROLLBACK')).toBe('end');
    expect(transactionControl('abort')).toBe('end');
  });

  it('does not take a savepoint roll-back, a compound statement or other statements for one', () => {
    expect(transactionControl('ROLLBACK TO SAVEPOINT a')).toBeNull();
    expect(transactionControl('rollback transaction to a')).toBeNull();
    expect(transactionControl('BEGIN NOT ATOMIC SELECT 1; END')).toBeNull();
    expect(transactionControl('SAVEPOINT a')).toBeNull();
    expect(transactionControl('CREATE TABLE begin_log (id int)')).toBeNull();
  });
});

describe('refusesTransaction', () => {
  it('knows the PostgreSQL statements that cannot run in a transaction block', () => {
    for (const sql of [
      'CREATE INDEX CONCURRENTLY a ON t (x)',
      'create unique index concurrently a on t (x)',
      'DROP INDEX CONCURRENTLY IF EXISTS a',
      'REINDEX INDEX CONCURRENTLY a',
      'REINDEX (VERBOSE) DATABASE db',
      'VACUUM ANALYZE t',
      'ALTER SYSTEM SET work_mem = 1',
      'CREATE DATABASE d',
      'ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY',
      'CLUSTER',
    ])
      expect(refusesTransaction(sql, 'postgres'), sql).toBe(true);
    for (const sql of [
      'CREATE INDEX a ON t (x)',
      'REFRESH MATERIALIZED VIEW CONCURRENTLY v',
      'CLUSTER t USING i',
    ])
      expect(refusesTransaction(sql, 'postgres'), sql).toBe(false);
    expect(refusesTransaction('VACUUM', 'sqlite')).toBe(true);
    expect(refusesTransaction('CREATE INDEX a ON t (x)', 'sqlite')).toBe(false);
  });
});

describe('transactionMode', () => {
  it('runs a part in one transaction unless it must not, or has its own', () => {
    expect(transactionMode(false, s('CREATE TABLE a (id int)', 'CREATE INDEX i ON a (id)'), 'postgres')).toBe(
      'file',
    );
    expect(transactionMode(true, s('CREATE TABLE a (id int)'), 'postgres')).toBe('statement');
    expect(
      transactionMode(
        false,
        s('CREATE TABLE a (id int)', 'CREATE INDEX CONCURRENTLY i ON a (id)'),
        'postgres',
      ),
    ).toBe('statement');
    expect(transactionMode(false, s('BEGIN', 'CREATE TABLE a (id int)', 'COMMIT'), 'postgres')).toBe(
      'script',
    );
    expect(transactionMode(false, s('CREATE TABLE a (id int)'), 'sqlite')).toBe('file');
    expect(transactionMode(false, s('CREATE TABLE a (id int)'), 'mysql')).toBe('none');
  });
});
