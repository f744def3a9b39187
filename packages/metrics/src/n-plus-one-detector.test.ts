import { describe, expect, it } from 'vitest';
import { MetricsError, NPlusOneDetector, type QueryEvent } from './index.js';

const loop = (
  sessionId: string | undefined,
  fingerprint: string,
  start: number,
  times: number,
  stepMs: number,
) =>
  Array.from(
    { length: times },
    (_, i): QueryEvent => ({
      fingerprint,
      timestampMs: start + i * stepMs,
      example: `select * from orders where customer_id = ${i + 1}`,
      ...(sessionId === undefined ? {} : { sessionId }),
    }),
  );

describe('NPlusOneDetector', () => {
  it('flags a fingerprint repeated N times within W ms in one session, with its count and an example', () => {
    const detector = new NPlusOneDetector({ threshold: 5, windowMillis: 100 });
    const results = loop('s1', 'fp-orders', 1000, 5, 10).map((e) => detector.observe(e));
    expect(results.slice(0, 4)).toEqual([undefined, undefined, undefined, undefined]);
    expect(results[4]).toEqual({
      sessionId: 's1',
      fingerprint: 'fp-orders',
      count: 5,
      example: 'select * from orders where customer_id = 1',
      firstTimestampMs: 1000,
      lastTimestampMs: 1040,
    });
    expect(detector.findings()).toHaveLength(1);
  });

  it('does not flag N repetitions spread wider than the window', () => {
    const detector = new NPlusOneDetector({ threshold: 5, windowMillis: 100 });
    for (const event of loop('s1', 'fp', 0, 20, 30)) detector.observe(event); // 4 per 100 ms at most
    expect(detector.findings()).toEqual([]);
  });

  it('counts a window inclusively: N executions exactly W ms apart end to end are flagged', () => {
    const detector = new NPlusOneDetector({ threshold: 3, windowMillis: 100 });
    detector.observe({ fingerprint: 'fp', timestampMs: 0 });
    detector.observe({ fingerprint: 'fp', timestampMs: 50 });
    expect(detector.observe({ fingerprint: 'fp', timestampMs: 100 })?.count).toBe(3);
    const late = new NPlusOneDetector({ threshold: 3, windowMillis: 100 });
    late.observe({ fingerprint: 'fp', timestampMs: 0 });
    late.observe({ fingerprint: 'fp', timestampMs: 50 });
    expect(late.observe({ fingerprint: 'fp', timestampMs: 101 })).toBeUndefined();
  });

  it('keeps sessions apart: the same repetitions split over two sessions are not flagged', () => {
    const detector = new NPlusOneDetector({ threshold: 4, windowMillis: 1000 });
    for (let i = 0; i < 6; i++) {
      detector.observe({ fingerprint: 'fp', timestampMs: i, sessionId: i % 2 === 0 ? 'a' : 'b' });
    }
    expect(detector.findings()).toEqual([]);
  });

  it('treats events without a session as one session', () => {
    const detector = new NPlusOneDetector({ threshold: 3, windowMillis: 1000 });
    for (const event of loop(undefined, 'fp', 0, 3, 1)) detector.observe(event);
    expect(detector.findings()).toMatchObject([{ sessionId: undefined, fingerprint: 'fp', count: 3 }]);
  });

  it('reports the peak count of a growing burst once per session and fingerprint', () => {
    const detector = new NPlusOneDetector({ threshold: 3, windowMillis: 1000 });
    const reported = loop('s', 'fp', 0, 7, 10)
      .map((e) => detector.observe(e)?.count)
      .filter((c) => c !== undefined);
    expect(reported).toEqual([3, 4, 5, 6, 7]);
    expect(detector.findings()).toHaveLength(1);
    expect(detector.findings()[0]?.count).toBe(7);
    // A later, smaller burst does not lower the reported peak.
    for (const event of loop('s', 'fp', 10_000, 4, 10)) expect(detector.observe(event)).toBeUndefined();
    expect(detector.findings()[0]).toMatchObject({ count: 7, lastTimestampMs: 60 });
  });

  it('slides the window: old executions stop counting', () => {
    const detector = new NPlusOneDetector({ threshold: 3, windowMillis: 100 });
    detector.observe({ fingerprint: 'fp', timestampMs: 0 });
    detector.observe({ fingerprint: 'fp', timestampMs: 10 });
    // 0 and 10 are out of [150, 250] by then
    detector.observe({ fingerprint: 'fp', timestampMs: 200 });
    expect(detector.observe({ fingerprint: 'fp', timestampMs: 250 })).toBeUndefined();
    expect(detector.observe({ fingerprint: 'fp', timestampMs: 260 })).toMatchObject({
      count: 3,
      firstTimestampMs: 200,
      lastTimestampMs: 260,
    });
  });

  it('accepts slightly out-of-order events', () => {
    const detector = new NPlusOneDetector({ threshold: 3, windowMillis: 100 });
    detector.observe({ fingerprint: 'fp', timestampMs: 50, example: 'second' });
    detector.observe({ fingerprint: 'fp', timestampMs: 40, example: 'first' });
    expect(detector.observe({ fingerprint: 'fp', timestampMs: 60, example: 'third' })).toMatchObject({
      count: 3,
      example: 'first',
      firstTimestampMs: 40,
      lastTimestampMs: 60,
    });
  });

  it('lists findings largest first, several fingerprints and sessions', () => {
    const detector = new NPlusOneDetector({ threshold: 2, windowMillis: 1000 });
    for (const event of [...loop('a', 'small', 0, 2, 1), ...loop('b', 'big', 0, 5, 1)])
      detector.observe(event);
    expect(detector.findings().map((f) => [f.sessionId, f.fingerprint, f.count])).toEqual([
      ['b', 'big', 5],
      ['a', 'small', 2],
    ]);
  });

  it('bounds memory: follows at most maxTracked session and fingerprint pairs', () => {
    const detector = new NPlusOneDetector({ threshold: 2, windowMillis: 1000, maxTracked: 50 });
    for (let i = 0; i < 100_000; i++)
      detector.observe({ fingerprint: `fp-${i}`, timestampMs: i, sessionId: 's' });
    expect(detector.trackedCount).toBe(50);
    expect(detector.findings()).toEqual([]);
  });

  it('bounds memory: keeps at most maxFindings findings', () => {
    const detector = new NPlusOneDetector({ threshold: 1, maxFindings: 10 });
    for (let i = 0; i < 1000; i++) detector.observe({ fingerprint: `fp-${i}`, timestampMs: i });
    expect(detector.findings()).toHaveLength(10);
    expect(detector.findings().map((f) => f.fingerprint)).toContain('fp-999');
  });

  it('forgets everything on clear', () => {
    const detector = new NPlusOneDetector({ threshold: 1 });
    detector.observe({ fingerprint: 'fp', timestampMs: 0 });
    detector.clear();
    expect(detector.findings()).toEqual([]);
    expect(detector.trackedCount).toBe(0);
  });

  it('rejects bad options and a non-finite timestamp', () => {
    expect(() => new NPlusOneDetector({ threshold: 0 })).toThrow(MetricsError);
    expect(() => new NPlusOneDetector({ windowMillis: -1 })).toThrow(MetricsError);
    expect(() => new NPlusOneDetector().observe({ fingerprint: 'fp', timestampMs: Number.NaN })).toThrow(
      MetricsError,
    );
  });
});
