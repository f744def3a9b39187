import { openSqlite, type SqliteDatabase, sqliteProbe, sqliteSchema } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NlAbortedError, NlProbeError } from './errors.js';
import { buildValueIndex } from './value-index.js';

let db: SqliteDatabase;
beforeAll(() => {
  db = openSqlite();
  db.exec(`
    CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, city TEXT, score INTEGER);
    INSERT INTO people (name, city, score) VALUES ('Ann', 'Oslo', 1), ('Ben', 'Oslo', 2), ('Cid', 'Rome', 3), ('Dee', 'Nice', 4), ('Eve', NULL, 5);
  `);
});
afterAll(() => db.close());

describe('buildValueIndex', () => {
  it('indexes the distinct values of text columns by their lower-case spelling', async () => {
    const values = await buildValueIndex(sqliteSchema(db), sqliteProbe(db));
    expect(values.values.get('oslo')).toEqual([{ table: 0, column: 2, value: 'Oslo' }]);
    expect(values.values.get('ann')).toEqual([{ table: 0, column: 1, value: 'Ann' }]);
    expect(values.columns).toEqual(['people.name', 'people.city']);
  });

  it('leaves out columns with more distinct values than maxDistinct', async () => {
    const values = await buildValueIndex(sqliteSchema(db), sqliteProbe(db), { maxDistinct: 3 });
    expect(values.columns).toEqual(['people.city']);
    expect(values.values.has('ann')).toBe(false);
    expect(values.values.has('rome')).toBe(true);
  });

  it('never reads number columns', async () => {
    const seen: string[] = [];
    const probe = sqliteProbe(db);
    await buildValueIndex(sqliteSchema(db), async (sql, params) => {
      seen.push(sql);
      return probe(sql, params);
    });
    expect(seen.some((s) => s.includes('"score"'))).toBe(false);
    expect(seen).toHaveLength(2);
  });

  it('wraps a failing probe in NL_PROBE naming the column', async () => {
    const error = await buildValueIndex(sqliteSchema(db), async () => {
      throw new Error('connection lost');
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NlProbeError);
    expect(error).toMatchObject({ code: 'NL_PROBE', table: 'people', column: 'name' });
    expect((error as NlProbeError).cause).toBeInstanceOf(Error);
  });

  it('stops with NL_ABORTED when its signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      buildValueIndex(sqliteSchema(db), sqliteProbe(db), { signal: controller.signal }),
    ).rejects.toBeInstanceOf(NlAbortedError);
  });
});
