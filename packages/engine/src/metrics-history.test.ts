import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from '@aishell/sql';
import { describe, expect, it } from 'vitest';
import { type HistoryRecord, MetricsHistory, readHistory } from './metrics-history.js';
import { metricsReport } from './metrics-report.js';

const WRITER = fileURLToPath(new URL('./history-writer.fixture.ts', import.meta.url));

function tempFile(): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), 'aishell-history-')), 'state', 'metrics.ndjson');
}

function record(i: number, extra: Partial<HistoryRecord> = {}): HistoryRecord {
  return {
    time: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
    dialect: 'postgres',
    connection: 'test',
    kind: 'select',
    fingerprint: `f${i % 3}`,
    normalized: `SELECT ${i % 3}`,
    durationMs: i,
    rowCount: 1,
    cached: false,
    cacheLookup: false,
    ok: true,
    ...extra,
  };
}

function writer(file: string, prefix: string, count: number, max: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@aishell/source', WRITER, file, prefix, String(count), String(max)],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    child.on('error', reject);
    child.on('close', resolve);
  });
}

describe('MetricsHistory', () => {
  it('creates its folder and appends one NDJSON line per record', async () => {
    const file = tempFile();
    const history = new MetricsHistory({ file });
    await history.append([record(1), record(2)]);
    await history.append([record(3)]);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l).durationMs)).toEqual([1, 2, 3]);
  });

  it('keeps the newest records once the file holds more than twice the bound', async () => {
    const file = tempFile();
    const history = new MetricsHistory({ file, maxRecords: 10 });
    for (let i = 0; i < 95; i++) await history.append([record(i)]);
    const kept = await readHistory(file);
    expect(kept.length).toBeLessThanOrEqual(20);
    expect(kept.length).toBeGreaterThanOrEqual(10);
    expect(kept.at(-1)?.durationMs).toBe(94);
    // Oldest first, without gaps: the newest records, in order.
    const durations = kept.map((r) => r.durationMs);
    expect(durations).toEqual(durations.map((_, i) => 95 - kept.length + i));
  });

  it('never throws when the file cannot be written', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'aishell-history-'));
    const blocker = path.join(dir, 'not-a-folder');
    writeFileSync(blocker, 'x');
    const history = new MetricsHistory({ file: path.join(blocker, 'metrics.ndjson') });
    await expect(history.append([record(1)])).resolves.toBeUndefined();
  });

  it('stays whole and bounded when several processes append and compact at once', {
    timeout: 120_000,
  }, async () => {
    const file = tempFile();
    const codes = await Promise.all(['a', 'b', 'c', 'd'].map((p) => writer(file, p, 150, 40)));
    expect(codes).toEqual([0, 0, 0, 0]);
    const text = readFileSync(file, 'utf8');
    const lines = text.trimEnd().split('\n');
    // Every line is a whole record (none torn or interleaved) and the bound held.
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(text.endsWith('\n')).toBe(true);
    expect(lines.length).toBeLessThanOrEqual(80 + 4);
    expect(lines.length).toBeGreaterThanOrEqual(40);
    // Each writer's surviving records are in the order it wrote them, and the last one appended is kept.
    const records = await readHistory(file);
    expect(records).toHaveLength(lines.length);
    for (const p of ['a', 'b', 'c', 'd']) {
      const mine = records.filter((r) => r.connection === p).map((r) => r.durationMs);
      expect(mine).toEqual([...mine].sort((x, y) => x - y));
    }
    expect(records.at(-1)?.durationMs).toBe(149);
  });
});

describe('readHistory and metricsReport', () => {
  it('skips damaged lines and filters by time', async () => {
    const file = tempFile();
    await new MetricsHistory({ file }).append([record(1), record(30)]);
    writeFileSync(file, `${readFileSync(file, 'utf8')}{"torn":\nnot json\n`);
    expect(await readHistory(file)).toHaveLength(2);
    const since = new Date(Date.UTC(2025, 0, 1, 0, 0, 10));
    expect((await readHistory(file, { since })).map((r) => r.durationMs)).toEqual([30]);
    expect(await readHistory(`${file}.missing`)).toEqual([]);
  });

  it('counts statements, errors and cache hits, with percentiles and the costliest fingerprints first', async () => {
    const records = [
      ...Array.from({ length: 100 }, (_, i) =>
        record(i, { fingerprint: 'cheap', normalized: 'SELECT $1', durationMs: 1 }),
      ),
      record(0, { fingerprint: 'slow', normalized: 'SELECT * FROM big', durationMs: 500 }),
      record(0, {
        fingerprint: 'slow',
        normalized: 'SELECT * FROM big',
        durationMs: 300,
        ok: false,
        errorCode: 'POOL_TIMEOUT',
      }),
      record(0, {
        fingerprint: 'hit',
        normalized: 'SELECT v FROM t',
        durationMs: 0.2,
        cached: true,
        cacheLookup: true,
      }),
      record(0, { fingerprint: 'hit', normalized: 'SELECT v FROM t', durationMs: 4, cacheLookup: true }),
    ];
    const report = await metricsReport(records, '/x');
    expect(report).toMatchObject({
      statements: 104,
      errors: 1,
      cached: 1,
      cacheLookups: 2,
      cacheHitRate: 0.5,
    });
    expect(report.latency.p50Ms).toBe(1);
    expect(report.latency.maxMs).toBeCloseTo(500, 0);
    expect(report.latency.p99Ms).toBeGreaterThanOrEqual(4);
    expect(report.top.map((t) => t.fingerprint)).toEqual(['slow', 'cheap', 'hit']);
    expect(report.top[0]).toMatchObject({
      normalized: 'SELECT * FROM big',
      count: 2,
      errors: 1,
      totalMs: 800,
    });
    expect(report.top[0]?.p95Ms).toBeCloseTo(500, 0);
  });

  it('reports an empty history with zero counts and no hit rate', async () => {
    expect(await metricsReport([], '/x')).toMatchObject({
      statements: 0,
      cacheHitRate: null,
      from: null,
      top: [],
    });
  });
});

describe('metricsReport on PostgreSQL records', () => {
  it("groups records without a fingerprint by the fingerprint of their normalized text (libpg_query's)", async () => {
    const pg = (normalized: string, durationMs: number) => ({
      time: new Date().toISOString(),
      dialect: 'postgres',
      connection: 'postgres://localhost/x',
      kind: 'select',
      normalized,
      durationMs,
      rowCount: 1,
      cached: false,
      cacheLookup: false,
      ok: true,
    });
    // Two spellings of one shape (an IN list of another length) and one other shape.
    const report = await metricsReport(
      [
        pg('SELECT * FROM t WHERE a = $1 AND b IN ($2)', 5),
        pg('select * from t where a = $1 and b in ($2, $3)', 7),
        pg('SELECT count(*) FROM u', 1),
      ],
      '/x',
    );
    expect(report.top.map((t) => t.count)).toEqual([2, 1]);
    const [original] = (await analyze('select * from t where a = 5 and b in (1, 2, 3)', 'postgres'))
      .statements;
    expect(report.top[0]?.fingerprint).toBe(original?.fingerprint);
  });
});
