import { SQL, TestDatabases } from '@aishell/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createPool, type DialectName } from './index.js';

const dbs = new TestDatabases();
afterAll(() => dbs.cleanup());

const ROWS = 200_000;
const MB = 1024 * 1024;

/** A column of 1000 characters per row: 200 MB if the whole result were held in memory. */
const PAYLOAD: Record<Exclude<DialectName, 'pglite'>, string> = {
  postgres: "repeat('x', 1000)",
  mysql: "repeat('x', 1000)",
  sqlite: 'substr(hex(zeroblob(500)), 1, 1000)',
};

describe.each(['postgres', 'mysql', 'sqlite'] as const)('%s stream', (dialect) => {
  it('reads 200 MB of rows while the heap stays far below the result size', async () => {
    await using pool = createPool(await dbs.url(dialect));
    const sql = `select g, ${PAYLOAD[dialect]} as payload from (${SQL[dialect].series(ROWS)}) s`;
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    let rows = 0;
    let bytes = 0;
    for await (const row of pool.stream(sql, undefined, { batchSize: 1000 })) {
      rows++;
      bytes += String(row.payload).length;
      if (rows % 5000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    expect(rows).toBe(ROWS);
    expect(bytes).toBe(ROWS * 1000);
    expect((peak - before) / MB).toBeLessThan(100);
  }, 120_000);
});
