import { describe, expect, it } from 'vitest';
import {
  BUCKETS,
  bytesPerFingerprint,
  DEFAULT_WINDOWS,
  FingerprintWindows,
  MetricsError,
  memoryCeilingBytes,
} from './index.js';

const MINUTE = 60_000;

describe('FingerprintWindows', () => {
  it('reports p50, p90, p99, p99.9, max, counts, rows, errors and cache figures of a window', () => {
    const windows = new FingerprintWindows();
    const now = 10 * MINUTE;
    // 1 ms, 2 ms, ..., 1000 ms: 2 % of the executions fail, half are cache lookups, one in four hits.
    for (let i = 1; i <= 1000; i++) {
      windows.record(
        'fp',
        i,
        { rows: 2, error: i % 50 === 0, ...(i % 2 === 0 ? { cache: i % 4 === 0 ? 'hit' : 'miss' } : {}) },
        now,
      );
    }
    const s = windows.summary('fp', '1m', now);
    expect(s).toMatchObject({
      window: '1m',
      count: 1000,
      errors: 20,
      rows: 2000,
      cacheHits: 250,
      cacheMisses: 250,
      maxMillis: 1000,
    });
    // Within the 1.6 % of a bucket's middle.
    for (const [got, want] of [
      [s?.p50Millis, 500],
      [s?.p90Millis, 900],
      [s?.p99Millis, 990],
      [s?.p999Millis, 999],
      [s?.meanMillis, 500.5],
    ] as const) {
      expect(Math.abs((got ?? 0) - want) / want).toBeLessThan(0.016);
    }
  });

  it('counts durations below 64 µs exactly', () => {
    const windows = new FingerprintWindows();
    for (let us = 1; us <= 60; us++) windows.record('fast', us / 1000, undefined, 0);
    expect(windows.summary('fast', '1m', 0)).toMatchObject({
      p50Millis: 0.03,
      p90Millis: 0.054,
      maxMillis: 0.06,
    });
  });

  it('slides: samples leave the 1 minute window after a minute, the 1 hour window after an hour', () => {
    const windows = new FingerprintWindows();
    const t0 = 100 * MINUTE;
    windows.record('fp', 5, undefined, t0);
    windows.record('fp', 50, undefined, t0 + 2 * MINUTE);
    const at = t0 + 2 * MINUTE + 1;
    expect(windows.summary('fp', '1m', at)).toMatchObject({ count: 1, maxMillis: 50 });
    expect(windows.summary('fp', '5m', at)).toMatchObject({ count: 2, maxMillis: 50 });
    expect(windows.summary('fp', '1h', at)).toMatchObject({ count: 2 });
    expect(windows.summary('fp', '1m', t0 + 4 * MINUTE)).toMatchObject({ count: 0, p99Millis: 0 });
    expect(windows.summary('fp', '5m', t0 + 8 * MINUTE)).toMatchObject({ count: 0 });
    expect(windows.summary('fp', '1h', t0 + 30 * MINUTE)).toMatchObject({ count: 2 });
    expect(windows.summary('fp', '1h', t0 + 63 * MINUTE)).toMatchObject({ count: 0 });
    // A slot reused a window later starts empty.
    windows.record('fp', 7, undefined, t0 + 60 * MINUTE);
    expect(windows.summary('fp', '1m', t0 + 60 * MINUTE)).toMatchObject({ count: 1, maxMillis: 7 });
  });

  it('counts every sample exactly once in each window over an hour of folding slots', () => {
    const windows = new FingerprintWindows();
    // One sample a second for an hour, 1 to 100 ms.
    for (let t = 0; t < 3600; t++) windows.record('fp', (t % 100) + 1, { rows: 1 }, t * 1000);
    const now = 3_599_999;
    // 1m: the 10 s slots 354..359; 5m: the minutes 55..59; 1h: all six 10 min slots.
    expect(windows.summary('fp', '1m', now)).toMatchObject({ count: 60, rows: 60 });
    expect(windows.summary('fp', '5m', now)).toMatchObject({ count: 300, rows: 300, maxMillis: 100 });
    const hour = windows.summary('fp', '1h', now);
    expect(hour).toMatchObject({ count: 3600, rows: 3600, maxMillis: 100 });
    expect(Math.abs((hour?.p50Millis ?? 0) - 50) / 50).toBeLessThan(0.016);
    expect(windows.overall('1h', now).count).toBe(3600);
    expect(
      () =>
        new FingerprintWindows({
          windows: [
            { name: 'a', slotMillis: 10_000, slots: 6 },
            { name: 'b', slotMillis: 15_000, slots: 4 },
          ],
        }),
    ).toThrow(/multiple of the first window/);
  });

  it('keeps the least recently recorded fingerprints out beyond maxFingerprints, the overall figures whole', () => {
    const windows = new FingerprintWindows({ maxFingerprints: 3 });
    for (const fp of ['a', 'b', 'c', 'a', 'd']) windows.record(fp, 1, undefined, 0);
    expect(windows.size).toBe(3);
    expect(windows.evicted).toBe(1);
    expect(windows.summary('b', '1m', 0)).toBeUndefined();
    expect(windows.summary('a', '1m', 0)?.count).toBe(2);
    expect(windows.overall('1m', 0).count).toBe(5);
  });

  it('gives a new fingerprint the slots of the one it replaces empty, and starts over after clear()', () => {
    const windows = new FingerprintWindows({ maxFingerprints: 1 });
    windows.record('a', 5, { rows: 2 }, 1000);
    windows.record('a', 5, { rows: 2 }, 1000);
    // Same instant, same slot: the recycled slot must not keep a's samples.
    windows.record('b', 7, { rows: 1 }, 1000);
    expect(windows.summary('b', '1m', 1000)).toMatchObject({ count: 1, rows: 1, maxMillis: 7 });
    windows.clear();
    windows.record('c', 3, undefined, 1000);
    expect(windows.overall('1m', 1000)).toMatchObject({ count: 1, maxMillis: 3 });
  });

  it('lists the fingerprints of a window by total time, with their example text cut to maxTextLength', () => {
    const windows = new FingerprintWindows({ maxTextLength: 10 });
    windows.record('slow', 100, { text: 'select * from orders where id = $1' }, 0);
    windows.record('many', 1, undefined, 0);
    windows.record('many', 1, undefined, 0);
    const top = windows.top('1m', {}, 0);
    expect(top.map((t) => [t.fingerprint, t.count, t.text])).toEqual([
      ['slow', 1, 'select * f'],
      ['many', 2, undefined],
    ]);
    expect(windows.top('1m', { by: 'count', top: 1 }, 0).map((t) => t.fingerprint)).toEqual(['many']);
  });

  it('refuses a negative duration and an unknown window', () => {
    const windows = new FingerprintWindows();
    expect(() => windows.record('fp', -1)).toThrow(MetricsError);
    expect(() => windows.record('fp', Number.NaN)).toThrow(MetricsError);
    expect(() => windows.summary('fp', '2m')).toThrow(/no window "2m"/);
  });

  it('stays under its memory ceiling after 10 million samples over 100,000 fingerprints', () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    expect(gc, 'vitest.config.ts runs the tests with --expose-gc').toBeTypeOf('function');
    const settledHeap = (): number => {
      for (let i = 0; i < 3; i++) gc?.();
      // Typed arrays' elements live outside V8's heap proper: counted in arrayBuffers.
      const usage = process.memoryUsage();
      return usage.heapUsed + usage.arrayBuffers;
    };
    const maxFingerprints = 500;
    const before = settledHeap();
    const windows = new FingerprintWindows({ maxFingerprints });
    const hot = Array.from({ length: 200 }, (_, i) => `hot${i.toString(16).padStart(13, '0')}`);
    const cold = Array.from({ length: 100_000 }, (_, i) => `cold${i.toString(16).padStart(12, '0')}`);
    const text = 'select * from orders where customer_id = $1 and status = $2 '.repeat(5);
    // Two simulated hours, so that every slot of every window of the hot fingerprints holds samples;
    // durations from 1 µs to ~17 min, so that every histogram has buckets all over its range.
    const samples = 10_000_000;
    const span = 2 * 60 * MINUTE;
    for (let i = 0; i < samples; i++) {
      const fp =
        i % 2 === 0 ? (hot[(i >> 1) % hot.length] as string) : (cold[(i >> 1) % cold.length] as string);
      const duration = 2 ** ((i * 7919) % 30) / 1000;
      windows.record(
        fp,
        duration,
        { rows: 1, text, cache: i % 3 === 0 ? 'hit' : 'miss' },
        (i / samples) * span,
      );
    }
    const after = settledHeap();
    const ceiling = windows.memoryCeilingBytes;
    expect(windows.size).toBe(maxFingerprints);
    expect(windows.evicted).toBeGreaterThan(90_000);
    expect(windows.overall('1h', span).count).toBeGreaterThan(0);
    // The figures the docs state: 17 slots of 864 buckets, at most ~66 KB per followed fingerprint.
    expect(BUCKETS).toBe(864);
    expect(bytesPerFingerprint(DEFAULT_WINDOWS)).toBe(66_776);
    expect(ceiling).toBe(memoryCeilingBytes({ maxFingerprints }));
    expect(after - before).toBeLessThan(ceiling);
    // The hot fingerprints are at their worst case (every slot allocated): the ceiling is not loose by 10x.
    expect(after - before).toBeGreaterThan(200 * bytesPerFingerprint() * 0.5);
  }, 120_000);
});
