import { MetricsError, positiveInteger } from './errors.js';

/** Options of `NPlusOneDetector`. */
export interface NPlusOneDetectorOptions {
  /**
   * How many executions of one fingerprint within `windowMillis` in one session make an N+1.
   * @default 10
   */
  readonly threshold?: number;
  /**
   * Width of the sliding window, in milliseconds (an execution at t counts with those in [t - windowMillis, t]).
   * @default 1000
   */
  readonly windowMillis?: number;
  /**
   * How many (session, fingerprint) pairs are followed at once; beyond it the least recently seen is dropped.
   * Bounds memory on an endless stream of distinct statements.
   * @default 10000
   */
  readonly maxTracked?: number;
  /**
   * How many findings are kept; beyond it the one seen least recently is dropped.
   * @default 1000
   */
  readonly maxFindings?: number;
}

/** Defaults of every optional field of `NPlusOneDetectorOptions`. */
export const N_PLUS_ONE_DEFAULTS = Object.freeze({
  threshold: 10,
  windowMillis: 1000,
  maxTracked: 10_000,
  maxFindings: 1000,
} as const);

/** One execution of a statement, as the detector sees it. */
export interface QueryEvent {
  /** The statement's fingerprint (the same for every parameter value). */
  readonly fingerprint: string;
  /** When it ran, in milliseconds since the epoch (or any clock shared by the stream). */
  readonly timestampMs: number;
  /** The session (connection, request) it ran in; events without one share a single session. */
  readonly sessionId?: string;
  /** A readable example of the statement (its SQL), kept for the report. */
  readonly example?: string;
}

/** A fingerprint repeated at least `threshold` times within `windowMillis` in one session. */
export interface NPlusOneFinding {
  /** The session, or undefined for events that named none. */
  readonly sessionId: string | undefined;
  readonly fingerprint: string;
  /** The most executions seen within one window. */
  readonly count: number;
  /** The example of the first execution in that window (or the fingerprint, when events carry none). */
  readonly example: string;
  /** First and last execution of the window with the most executions. */
  readonly firstTimestampMs: number;
  readonly lastTimestampMs: number;
}

interface Tracked {
  readonly sessionId: string | undefined;
  readonly fingerprint: string;
  /** Timestamps within the window, ascending; `head` is the first live one (amortised O(1) removal). */
  readonly times: number[];
  readonly examples: string[];
  head: number;
}

/**
 * Finds N+1 query patterns in a stream of executions: the same fingerprint run `threshold` or more times
 * within `windowMillis` in one session (typically a loop issuing one query per row of a previous result).
 * Memory is bounded by `maxTracked` and `maxFindings`, and by the executions inside one window.
 *
 * @example
 * ```ts
 * const detector = new NPlusOneDetector({ threshold: 5, windowMillis: 1000 });
 * for (const event of events) {
 *   const finding = detector.observe(event); // the finding when this event crossed the threshold
 * }
 * detector.findings(); // [{ sessionId, fingerprint, count, example, ... }]
 * ```
 */
export class NPlusOneDetector {
  readonly threshold: number;
  readonly windowMillis: number;
  readonly maxTracked: number;
  readonly maxFindings: number;
  /** Keyed by session and fingerprint; insertion order is recency order. */
  readonly #tracked = new Map<string, Tracked>();
  readonly #findings = new Map<string, NPlusOneFinding>();

  constructor(options: NPlusOneDetectorOptions = {}) {
    this.threshold = positiveInteger('threshold', options.threshold ?? N_PLUS_ONE_DEFAULTS.threshold);
    this.windowMillis = options.windowMillis ?? N_PLUS_ONE_DEFAULTS.windowMillis;
    if (!Number.isFinite(this.windowMillis) || this.windowMillis < 0) {
      throw new MetricsError(
        'METRICS_INVALID_ARGUMENT',
        `windowMillis must be a finite number >= 0, not ${this.windowMillis}.`,
      );
    }
    this.maxTracked = positiveInteger('maxTracked', options.maxTracked ?? N_PLUS_ONE_DEFAULTS.maxTracked);
    this.maxFindings = positiveInteger('maxFindings', options.maxFindings ?? N_PLUS_ONE_DEFAULTS.maxFindings);
  }

  /** How many (session, fingerprint) pairs are followed now. */
  get trackedCount(): number {
    return this.#tracked.size;
  }

  /**
   * Takes one execution. Returns the finding of its (session, fingerprint) when this execution brought the
   * count within the window to `threshold` or beyond (so a growing burst reports its growing count), else
   * undefined. Events of one session and fingerprint may arrive slightly out of order.
   */
  observe(event: QueryEvent): NPlusOneFinding | undefined {
    const { fingerprint, timestampMs, sessionId } = event;
    if (!Number.isFinite(timestampMs)) {
      throw new MetricsError(
        'METRICS_INVALID_ARGUMENT',
        `timestampMs must be a finite number, not ${timestampMs}.`,
      );
    }
    const key = `${sessionId === undefined ? '' : `s:${sessionId}`}\u0000${fingerprint}`;
    let tracked = this.#tracked.get(key);
    if (tracked) {
      this.#tracked.delete(key);
    } else {
      tracked = { sessionId, fingerprint, times: [], examples: [], head: 0 };
      if (this.#tracked.size >= this.maxTracked) {
        const oldest = this.#tracked.keys().next();
        if (!oldest.done) this.#tracked.delete(oldest.value);
      }
    }
    this.#tracked.set(key, tracked);

    insertSorted(tracked, timestampMs, event.example ?? fingerprint);
    const newest = tracked.times[tracked.times.length - 1] ?? timestampMs;
    while ((tracked.times[tracked.head] ?? newest) < newest - this.windowMillis) tracked.head++;
    if (tracked.head > 64 && tracked.head * 2 > tracked.times.length) {
      tracked.times.splice(0, tracked.head);
      tracked.examples.splice(0, tracked.head);
      tracked.head = 0;
    }

    const count = tracked.times.length - tracked.head;
    if (count < this.threshold) return undefined;
    const previous = this.#findings.get(key);
    if (previous && previous.count >= count) return undefined;
    const finding: NPlusOneFinding = {
      sessionId,
      fingerprint,
      count,
      example: tracked.examples[tracked.head] ?? fingerprint,
      firstTimestampMs: tracked.times[tracked.head] ?? timestampMs,
      lastTimestampMs: newest,
    };
    this.#findings.delete(key);
    if (this.#findings.size >= this.maxFindings) {
      const oldest = this.#findings.keys().next();
      if (!oldest.done) this.#findings.delete(oldest.value);
    }
    this.#findings.set(key, finding);
    return finding;
  }

  /** Every finding so far (one per session and fingerprint, at its peak count), largest count first. */
  findings(): NPlusOneFinding[] {
    return [...this.#findings.values()].sort((a, b) => b.count - a.count);
  }

  /** Forgets every tracked execution and finding. */
  clear(): void {
    this.#tracked.clear();
    this.#findings.clear();
  }
}

/** Inserts a timestamp keeping `times` ascending (events are nearly always in order: the loop runs once). */
function insertSorted(tracked: Tracked, timestampMs: number, example: string): void {
  const { times, examples } = tracked;
  let i = times.length;
  while (i > tracked.head && (times[i - 1] ?? Number.NEGATIVE_INFINITY) > timestampMs) i--;
  times.splice(i, 0, timestampMs);
  examples.splice(i, 0, example);
}
