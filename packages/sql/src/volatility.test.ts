import { describe, expect, it } from 'vitest';
import { analyze } from './analyze.js';
import type { SqlDialect } from './types.js';

const volatile = async (sql: string, dialect: SqlDialect): Promise<boolean> =>
  (await analyze(sql, dialect)).statements[0]?.volatile ?? false;

describe('volatile', () => {
  it.each([
    ['postgres', 'select now()'],
    ['postgres', 'select * from t where created > current_timestamp - interval $$1 day$$'],
    ['postgres', "select 'now'::timestamp"],
    ['postgres', 'select random(), id from t'],
    ['postgres', "select currval('s')"],
    ['postgres', "select current_setting('search_path')"],
    ['postgres', 'select * from t where d = current_date'],
    ['postgres', 'select localtimestamp'],
    ['mysql', 'select uuid()'],
    ['mysql', 'select * from t where d > curdate()'],
    ['mysql', 'select last_insert_id()'],
    ['mysql', 'select 1 /*!, rand() */'],
    ['sqlite', "select datetime('now')"],
    ['sqlite', 'select random() from t'],
    ['sqlite', 'select changes()'],
  ] as const)('is true on %s for %s', async (dialect, sql) => {
    expect(await volatile(sql, dialect)).toBe(true);
  });

  it.each([
    ['postgres', 'select * from t'],
    ['postgres', "select 'now() is a function' as s"],
    ['postgres', 'select /* now() */ count(*) from t'],
    ['postgres', 'select now from t'],
    ['mysql', "select 'rand()' from t"],
    ['sqlite', "select 'now is' || 'here' as x from t where a = 'Now and then'"],
  ] as const)(
    'is false on %s for %s (names in strings, comments and columns do not count)',
    async (dialect, sql) => {
      expect(await volatile(sql, dialect)).toBe(false);
    },
  );

  it('carries over to an EXECUTE of a statement prepared in the same input', async () => {
    const { statements } = await analyze('PREPARE q AS SELECT now(); EXECUTE q', 'postgres');
    expect(statements.map((s) => s.volatile)).toEqual([true, true]);
  });
});
