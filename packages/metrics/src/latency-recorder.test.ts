import { describe, expect, it } from 'vitest';
import { LatencyRecorder, MetricsError } from './index.js';

/** Records 1 µs, 2 µs, ... n µs (exact at 3 significant digits up to 2048 µs). */
function recordMicros(recorder: LatencyRecorder, fingerprint: string, n: number): void {
  for (let i = 1; i <= n; i++) recorder.record(fingerprint, i / 1000);
}

describe('LatencyRecorder', () => {
  it('reports exact p50, p95, p99, max and count of one fingerprint', () => {
    const recorder = new LatencyRecorder();
    recordMicros(recorder, 'fp-a', 1000);
    expect(recorder.summary('fp-a')).toEqual({
      count: 1000,
      p50Millis: 0.5,
      p95Millis: 0.95,
      p99Millis: 0.99,
      maxMillis: 1,
      meanMillis: 0.5005,
    });
  });

  it('keeps each fingerprint apart, and every duration in overall()', () => {
    const recorder = new LatencyRecorder();
    recorder.record('fast', 0.1);
    recorder.record('fast', 0.2);
    recorder.record('slow', 1.5);
    expect(recorder.summary('fast')).toMatchObject({ count: 2, maxMillis: 0.2 });
    expect(recorder.summary('slow')).toMatchObject({ count: 1, p50Millis: 1.5, maxMillis: 1.5 });
    expect(recorder.overall()).toMatchObject({ count: 3, maxMillis: 1.5 });
    expect(recorder.summary('never')).toBeUndefined();
  });

  it('keeps long durations within the 0.1 % precision of 3 significant digits', () => {
    const recorder = new LatencyRecorder();
    for (let ms = 1; ms <= 100; ms++) recorder.record('q', ms);
    const summary = recorder.summary('q');
    expect(summary?.count).toBe(100);
    expect(Math.abs((summary?.p50Millis ?? 0) - 50) / 50).toBeLessThan(0.001);
    expect(Math.abs((summary?.p99Millis ?? 0) - 99) / 99).toBeLessThan(0.001);
    expect(Math.abs((summary?.maxMillis ?? 0) - 100) / 100).toBeLessThan(0.001);
  });

  it('stays within maxFingerprints after 100 000 distinct fingerprints', () => {
    const recorder = new LatencyRecorder({ maxFingerprints: 100 });
    for (let i = 0; i < 100_000; i++) recorder.record(`fp-${i}`, 1);
    expect(recorder.size).toBe(100);
    expect(recorder.evicted).toBe(99_900);
    expect(recorder.fingerprints()[0]).toBe('fp-99900');
    expect(recorder.summary('fp-0')).toBeUndefined();
    expect(recorder.overall().count).toBe(100_000);
  });

  it('evicts the least recently recorded fingerprint, not the oldest created', () => {
    const recorder = new LatencyRecorder({ maxFingerprints: 2 });
    recorder.record('a', 1);
    recorder.record('b', 1);
    recorder.record('a', 2); // a is now the most recent
    recorder.record('c', 1); // evicts b
    expect(recorder.fingerprints()).toEqual(['a', 'c']);
    expect(recorder.summary('a')?.count).toBe(2);
    expect(recorder.summary('b')).toBeUndefined();
  });

  it('merges another recorder fingerprint by fingerprint', () => {
    const left = new LatencyRecorder();
    const right = new LatencyRecorder();
    recordMicros(left, 'shared', 500); // 1..500 µs
    for (let i = 501; i <= 1000; i++) right.record('shared', i / 1000);
    right.record('only-right', 0.25);
    left.merge(right);
    expect(left.summary('shared')).toMatchObject({
      count: 1000,
      p50Millis: 0.5,
      p99Millis: 0.99,
      maxMillis: 1,
    });
    expect(left.summary('only-right')).toMatchObject({ count: 1, maxMillis: 0.25 });
    expect(left.overall().count).toBe(1001);
    expect(right.summary('shared')?.count).toBe(500);
  });

  it('lists entries most recorded first', () => {
    const recorder = new LatencyRecorder();
    recorder.record('once', 1);
    recordMicros(recorder, 'thrice', 3);
    expect(recorder.entries().map((e) => [e.fingerprint, e.summary.count])).toEqual([
      ['thrice', 3],
      ['once', 1],
    ]);
  });

  it('forgets everything on clear', () => {
    const recorder = new LatencyRecorder();
    recorder.record('a', 1);
    recorder.clear();
    expect(recorder.size).toBe(0);
    expect(recorder.overall()).toEqual({
      count: 0,
      p50Millis: 0,
      p95Millis: 0,
      p99Millis: 0,
      maxMillis: 0,
      meanMillis: 0,
    });
  });

  it('rejects a negative or non-finite duration and a bad bound', () => {
    const recorder = new LatencyRecorder();
    expect(() => recorder.record('a', -1)).toThrow(MetricsError);
    expect(() => recorder.record('a', Number.POSITIVE_INFINITY)).toThrow(MetricsError);
    expect(() => new LatencyRecorder({ maxFingerprints: 0 })).toThrow(MetricsError);
  });
});
