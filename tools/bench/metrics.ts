// The cost of recording: CircularBuffer.push beside a bounded array (push + shift, as the original
// product kept its recent history) at capacity 1,000 and 100,000; a latency record into the
// per-fingerprint sliding windows (FingerprintWindows.record) beside prom-client's Histogram.observe
// and hdr-histogram-js's recordValue, in the same run, interleaved round by round (median of rounds).
// Goals: push <= 20 ns, record <= 100 ns.
// Usage: pnpm bench metrics [--json] [--rounds 7] [--ops 2000000]
// The last line printed is one JSON object of figures.
import { CircularBuffer, FingerprintWindows } from '@aishell/metrics';
import { build } from 'hdr-histogram-js';
import { Histogram, Registry } from 'prom-client';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  const v = i === -1 ? undefined : Number(args[i + 1]);
  return v !== undefined && Number.isFinite(v) && v > 0 ? v : fallback;
};
const ROUNDS = flag('rounds', 7);
const OPS = flag('ops', 2_000_000);

/** Something the optimiser cannot prove unused. */
let sink = 0;

/** A subject: one operation, and how many of them a timing runs (fewer for the slow ones). */
type Subject = { op: (i: number) => void; ops: number } | ((i: number) => void);

/** Nanoseconds per call of the subject's operation. */
function time(subject: Subject): number {
  const { op, ops } = typeof subject === 'function' ? { op: subject, ops: OPS } : subject;
  const started = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) op(i);
  return Number(process.hrtime.bigint() - started) / ops;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};
const round2 = (n: number): number => Math.round(n * 100) / 100;

/** Every subject timed once per round, in rotating order; the median of its rounds. */
function measure(subjects: Record<string, Subject>): Record<string, number> {
  const names = Object.keys(subjects);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  // Warm-up: every subject optimised before anything counts.
  for (const n of names) time(subjects[n] as Subject);
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < names.length; k++) {
      const n = names[(k + r) % names.length] as string;
      samples[n]?.push(time(subjects[n] as Subject));
    }
  }
  return Object.fromEntries(names.map((n) => [n, round2(median(samples[n] as number[]))]));
}

function buffers(capacity: number): Record<string, Subject> {
  const ring = new CircularBuffer<number>(capacity);
  const array: number[] = [];
  // Both full before timing: the steady state of a long-running process.
  for (let i = 0; i < capacity; i++) {
    ring.push(i);
    array.push(i);
  }
  return {
    [`bufferPushNs${capacity}`]: (i) => {
      ring.push(i);
    },
    // shift() moves every element: O(capacity), so fewer operations at 100,000.
    [`arrayPushShiftNs${capacity}`]: {
      ops: Math.max(1000, Math.round((OPS * 1000) / capacity / 10)),
      op: (i) => {
        array.push(i);
        if (array.length > capacity) sink += array.shift() as number;
      },
    },
  };
}

function recorders(): Record<string, Subject> {
  // 100 statement shapes of 16 hex characters (the size of a real fingerprint), durations 0.1 to ~100 ms.
  const fingerprints = Array.from({ length: 100 }, (_, i) => i.toString(16).padStart(16, '0'));
  const durations = Array.from({ length: 1024 }, (_, i) => 0.1 + ((i * 7919) % 100_000) / 1000);
  const windows = new FingerprintWindows();
  const sample = { rows: 1, cache: 'miss' as const };
  const registry = new Registry();
  const prom = new Histogram({
    name: 'bench_query_duration_seconds',
    help: 'bench',
    labelNames: ['kind', 'outcome'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const labels = { kind: 'select', outcome: 'ok' };
  const hdr = build({
    bitBucketSize: 32,
    numberOfSignificantValueDigits: 2,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    autoResize: false,
  });
  let now = Date.now();
  return {
    // One execution: its fingerprint's 1m, 5m and 1h windows and the overall ones (6 histograms and
    // counters), the clock read by the caller as the daemon does once per request.
    histogramRecordNs: (i) => {
      if ((i & 1023) === 0) now = Date.now();
      windows.record(fingerprints[i % 100] as string, durations[i & 1023] as number, sample, now);
    },
    promObserveNs: (i) => {
      prom.observe(labels, (durations[i & 1023] as number) / 1000);
    },
    hdrRecordNs: (i) => {
      hdr.recordValue(Math.round((durations[i & 1023] as number) * 1000));
    },
  };
}

const started = performance.now();
const figures: Record<string, number> = {
  ...measure(buffers(1_000)),
  ...measure(buffers(100_000)),
  ...measure(recorders()),
};
figures.bufferPushNs = Math.max(figures.bufferPushNs1000 as number, figures.bufferPushNs100000 as number);
figures.pushSpeedupVsArray1000 = round2(
  (figures.arrayPushShiftNs1000 as number) / (figures.bufferPushNs1000 as number),
);
figures.pushSpeedupVsArray100000 = round2(
  (figures.arrayPushShiftNs100000 as number) / (figures.bufferPushNs100000 as number),
);
figures.recordVsPromObserveRatio = round2(
  (figures.histogramRecordNs as number) / (figures.promObserveNs as number),
);
figures.durationSeconds = round2((performance.now() - started) / 1000);
for (const [k, v] of Object.entries(figures)) console.log(`${k.padEnd(28)} ${v}`);
if (sink === Number.MIN_VALUE) console.log('');
console.log(JSON.stringify(figures));
