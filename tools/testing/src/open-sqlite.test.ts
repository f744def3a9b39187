import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite, type SqliteDatabase } from './open-sqlite.js';

// These run on whichever library this Node loads (better-sqlite3 on Node 20, node:sqlite on Node 24):
// run under both, they show that the fixtures and nl's tests see the same answers from either.
let db: SqliteDatabase;
beforeAll(() => {
  db = openSqlite();
  db.exec(`
    CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT);
    INSERT INTO people (name, city) VALUES ('Ann', 'Oslo'), ('Ben', NULL);
  `);
});
afterAll(() => db.close());

describe('openSqlite', () => {
  it('opens on better-sqlite3 where its addon loads, else on node:sqlite', () => {
    let loads = true;
    try {
      const Database = createRequire(import.meta.url)('better-sqlite3');
      new Database(':memory:').close();
    } catch {
      loads = false;
    }
    expect(db.driver).toBe(loads ? 'better-sqlite3' : 'node:sqlite');
  });

  it('returns rows as plain objects, and undefined from get when there is no row', () => {
    const rows = db.prepare('SELECT name, city FROM people WHERE id > ? ORDER BY id').all(0);
    expect(rows).toStrictEqual([
      { name: 'Ann', city: 'Oslo' },
      { name: 'Ben', city: null },
    ]);
    expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype);
    expect(db.prepare('SELECT name FROM people WHERE id = ?').get(1)).toStrictEqual({ name: 'Ann' });
    expect(db.prepare('SELECT name FROM people WHERE id = ?').get(99)).toBeUndefined();
  });

  it('keeps columns of the same name apart in values, and all() still gives objects afterwards', () => {
    const statement = db.prepare('SELECT p.name, q.name FROM people p JOIN people q ON q.id = p.id + 1');
    expect(statement.values()).toEqual([['Ann', 'Ben']]);
    expect(statement.all()).toEqual([{ name: 'Ben' }]);
  });

  it('reports the rows a statement changed and the last row id as numbers', () => {
    const result = db.prepare('INSERT INTO people (name) VALUES (?)').run('Cid');
    expect(result).toEqual({ changes: 1, lastInsertRowid: 3 });
    expect(db.prepare('UPDATE people SET city = ? WHERE city IS NULL').run('Rome').changes).toBe(2);
  });

  it('binds named parameters from one object', () => {
    expect(db.prepare('SELECT name FROM people WHERE city = :city').all({ city: 'Oslo' })).toEqual([
      { name: 'Ann' },
    ]);
  });

  it('enforces foreign keys and refuses double-quoted strings, as both libraries are set up to', () => {
    db.exec('CREATE TABLE pets (id INTEGER PRIMARY KEY, owner INTEGER NOT NULL REFERENCES people(id))');
    expect(() => db.prepare('INSERT INTO pets (owner) VALUES (?)').run(42)).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare('SELECT "nobody" FROM people')).toThrow(/no such column/);
  });

  it('opens a file read-only, which then refuses writes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aishell-open-sqlite-'));
    try {
      const file = join(dir, 'data.db');
      const writer = openSqlite(file);
      writer.exec("CREATE TABLE t (a TEXT); INSERT INTO t VALUES ('kept')");
      writer.close();
      const reader = openSqlite(file, { readonly: true });
      try {
        expect(reader.prepare('SELECT a FROM t').values()).toEqual([['kept']]);
        expect(() => reader.exec("INSERT INTO t VALUES ('lost')")).toThrow(/readonly/);
      } finally {
        reader.close();
      }
      expect(() => openSqlite(join(dir, 'missing.db'), { readonly: true })).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
