import { build, type Histogram } from 'hdr-histogram-js';
import { MetricsError, positiveInteger } from './errors.js';

/** Options of `LatencyRecorder`. */
export interface LatencyRecorderOptions {
  /**
   * How many fingerprints keep a histogram; recording one more evicts the least recently recorded.
   * @default 1000
   */
  readonly maxFingerprints?: number;
  /**
   * Decimal digits of precision of every percentile (HDR histogram): 3 means within 0.1 %.
   * Durations are kept in whole microseconds, so values up to 2.048 ms are exact at 3 digits.
   * @default 3
   */
  readonly significantDigits?: 1 | 2 | 3 | 4 | 5;
}

/** Defaults of every optional field of `LatencyRecorderOptions`. */
export const LATENCY_RECORDER_DEFAULTS = Object.freeze({
  maxFingerprints: 1000,
  significantDigits: 3,
} as const);

/** Latency percentiles of one fingerprint (or of all), in milliseconds. */
export interface LatencySummary {
  /** Durations recorded. */
  readonly count: number;
  readonly p50Millis: number;
  readonly p95Millis: number;
  readonly p99Millis: number;
  readonly maxMillis: number;
  readonly meanMillis: number;
}

/** Microseconds per millisecond: durations are recorded as whole microseconds (HDR histograms count integers). */
const MICROS = 1000;

/**
 * Per-fingerprint latency histograms (HDR, so percentiles cost constant memory whatever the number of
 * samples), with a bounded number of fingerprints: least recently recorded ones are evicted beyond
 * `maxFingerprints`. A histogram of every recorded duration (`overall()`) is kept besides and never evicted.
 *
 * @example
 * ```ts
 * const latency = new LatencyRecorder({ maxFingerprints: 500 });
 * latency.record(fingerprint, 12.5);
 * latency.summary(fingerprint); // { count: 1, p50Millis: 12.5, ... }
 * ```
 */
export class LatencyRecorder {
  /** How many fingerprints keep a histogram at most. */
  readonly maxFingerprints: number;
  readonly #significantDigits: 1 | 2 | 3 | 4 | 5;
  /** Insertion order is recency order: the first key is the least recently recorded. */
  readonly #histograms = new Map<string, Histogram>();
  readonly #overall: Histogram;
  #evicted = 0;

  constructor(options: LatencyRecorderOptions = {}) {
    this.maxFingerprints = positiveInteger(
      'maxFingerprints',
      options.maxFingerprints ?? LATENCY_RECORDER_DEFAULTS.maxFingerprints,
    );
    const digits = options.significantDigits ?? LATENCY_RECORDER_DEFAULTS.significantDigits;
    if (![1, 2, 3, 4, 5].includes(digits)) {
      throw new MetricsError('METRICS_INVALID_ARGUMENT', `significantDigits must be 1 to 5, not ${digits}.`);
    }
    this.#significantDigits = digits;
    this.#overall = this.#newHistogram();
  }

  /** How many fingerprints have a histogram now (never more than `maxFingerprints`). */
  get size(): number {
    return this.#histograms.size;
  }

  /** How many fingerprints were evicted to stay within `maxFingerprints`. */
  get evicted(): number {
    return this.#evicted;
  }

  /** The tracked fingerprints, least recently recorded first. */
  fingerprints(): string[] {
    return [...this.#histograms.keys()];
  }

  /** Records one duration of `fingerprint`, in milliseconds (fractions kept to the microsecond). */
  record(fingerprint: string, durationMillis: number): void {
    if (!Number.isFinite(durationMillis) || durationMillis < 0) {
      throw new MetricsError(
        'METRICS_INVALID_ARGUMENT',
        `A duration must be a finite number of milliseconds >= 0, not ${durationMillis}.`,
      );
    }
    const micros = Math.round(durationMillis * MICROS);
    this.#touch(fingerprint).recordValue(micros);
    this.#overall.recordValue(micros);
  }

  /** Percentiles of one fingerprint, or undefined if it is not tracked (never recorded, or evicted). */
  summary(fingerprint: string): LatencySummary | undefined {
    const histogram = this.#histograms.get(fingerprint);
    return histogram ? summarize(histogram) : undefined;
  }

  /** Percentiles of every duration recorded (and merged), evicted fingerprints included. */
  overall(): LatencySummary {
    return summarize(this.#overall);
  }

  /** Every tracked fingerprint with its percentiles, most recorded first. */
  entries(): { fingerprint: string; summary: LatencySummary }[] {
    return [...this.#histograms]
      .map(([fingerprint, histogram]) => ({ fingerprint, summary: summarize(histogram) }))
      .sort((a, b) => b.summary.count - a.summary.count);
  }

  /**
   * Adds every histogram of `other` into this recorder (for example the recorders of several sessions or
   * processes), fingerprint by fingerprint, still within `maxFingerprints`.
   */
  merge(other: LatencyRecorder): void {
    for (const [fingerprint, histogram] of other.#histograms) this.#touch(fingerprint).add(histogram);
    this.#overall.add(other.#overall);
  }

  /** Forgets every fingerprint and the overall histogram. */
  clear(): void {
    this.#histograms.clear();
    this.#overall.reset();
    this.#evicted = 0;
  }

  /** The histogram of `fingerprint`, created if needed, moved to the most recent end; evicts beyond the bound. */
  #touch(fingerprint: string): Histogram {
    let histogram = this.#histograms.get(fingerprint);
    if (histogram) {
      this.#histograms.delete(fingerprint);
    } else {
      histogram = this.#newHistogram();
      if (this.#histograms.size >= this.maxFingerprints) {
        const oldest = this.#histograms.keys().next();
        if (!oldest.done) {
          this.#histograms.delete(oldest.value);
          this.#evicted++;
        }
      }
    }
    this.#histograms.set(fingerprint, histogram);
    return histogram;
  }

  #newHistogram(): Histogram {
    // 'packed' buckets: a histogram of few samples takes a few hundred bytes instead of tens of kilobytes.
    return build({ bitBucketSize: 'packed', numberOfSignificantValueDigits: this.#significantDigits });
  }
}

function summarize(histogram: Histogram): LatencySummary {
  const count = histogram.totalCount;
  if (count === 0) return { count: 0, p50Millis: 0, p95Millis: 0, p99Millis: 0, maxMillis: 0, meanMillis: 0 };
  return {
    count,
    p50Millis: histogram.getValueAtPercentile(50) / MICROS,
    p95Millis: histogram.getValueAtPercentile(95) / MICROS,
    p99Millis: histogram.getValueAtPercentile(99) / MICROS,
    maxMillis: histogram.maxValue / MICROS,
    meanMillis: histogram.mean / MICROS,
  };
}
