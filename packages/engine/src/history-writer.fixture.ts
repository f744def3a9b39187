// Run as a separate process by metrics-history.test.ts: appends `count` records to `file`, one at a time.
import { MetricsHistory } from './metrics-history.js';

const [file, prefix, count, maxRecords] = process.argv.slice(2);
const history = new MetricsHistory({ file: file as string, maxRecords: Number(maxRecords) });
for (let i = 0; i < Number(count); i++) {
  await history.append([
    {
      time: new Date().toISOString(),
      dialect: 'sqlite',
      connection: prefix as string,
      kind: 'select',
      fingerprint: `${prefix}-${i % 5}`,
      normalized: `SELECT ${'x'.repeat(i % 40)} FROM t WHERE id = $1`,
      durationMs: i,
      rowCount: 1,
      cached: false,
      cacheLookup: false,
      ok: true,
    },
  ]);
}
