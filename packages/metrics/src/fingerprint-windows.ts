import { MetricsError, positiveInteger } from './errors.js';

/**
 * One sliding window: `slots` rotating histograms of `slotMillis` each. A window's figures cover the
 * current slot and the `slots - 1` before it: between `(slots - 1) * slotMillis` and `slots * slotMillis`
 * of the past, depending on how far into its slot the present is.
 */
export interface WindowSpec {
  /** The window's name in summaries (`1m`, `5m`, `1h`). */
  readonly name: string;
  readonly slotMillis: number;
  readonly slots: number;
}

/** 1 minute (6 slots of 10 s), 5 minutes (5 of 1 min), 1 hour (6 of 10 min). */
export const DEFAULT_WINDOWS: readonly WindowSpec[] = Object.freeze([
  Object.freeze({ name: '1m', slotMillis: 10_000, slots: 6 }),
  Object.freeze({ name: '5m', slotMillis: 60_000, slots: 5 }),
  Object.freeze({ name: '1h', slotMillis: 600_000, slots: 6 }),
]);

/** Options of {@link FingerprintWindows}. */
export interface FingerprintWindowsOptions {
  /** Fingerprints followed at most; recording one more drops the least recently recorded. @default 500 */
  readonly maxFingerprints?: number;
  /** @default DEFAULT_WINDOWS */
  readonly windows?: readonly WindowSpec[];
  /** Longest example text kept per fingerprint (longer ones are cut). @default 200 */
  readonly maxTextLength?: number;
  /** The clock, in milliseconds. @default Date.now */
  readonly now?: () => number;
}

export const FINGERPRINT_WINDOWS_DEFAULTS = Object.freeze({ maxFingerprints: 500, maxTextLength: 200 });

/** What one execution adds besides its duration. */
export interface QuerySample {
  /** Rows returned or affected. @default 0 */
  readonly rows?: number;
  /** The statement failed. @default false */
  readonly error?: boolean;
  /** The result cache was asked: `hit` or `miss`. @default not asked */
  readonly cache?: 'hit' | 'miss';
  /** An example of the statement (its normalized text, never literals), kept cut to `maxTextLength`. */
  readonly text?: string;
}

/** The figures of one window, for one fingerprint or for all of them. Durations in milliseconds. */
export interface WindowSummary {
  readonly window: string;
  readonly count: number;
  readonly errors: number;
  readonly rows: number;
  readonly cacheHits: number;
  readonly cacheMisses: number;
  readonly p50Millis: number;
  readonly p90Millis: number;
  readonly p99Millis: number;
  readonly p999Millis: number;
  readonly maxMillis: number;
  readonly meanMillis: number;
  readonly totalMillis: number;
}

/** One fingerprint's figures in one window. */
export interface FingerprintSummary extends WindowSummary {
  readonly fingerprint: string;
  readonly text?: string;
}

// The histogram. hdr-histogram-js (LatencyRecorder's) costs ~110 ns per recordValue on this project's
// machine (measured, Node 20, Int32 buckets) and 11 KB per histogram at 2 digits: 17 rotating slots per
// fingerprint would cost ~330 ns per sample and ~190 KB per fingerprint. The same log-linear layout as
// HDR (32 sub-buckets per power of two, so a value is known within 1/64 = 1.6 % at its bucket's middle)
// in one Uint32Array per slot costs a few nanoseconds and 3.4 KB.
const SUB_BITS = 5;
const SUB = 1 << SUB_BITS; // 32
/** Values below this are counted exactly (one bucket per microsecond). */
const LINEAR = SUB * 2; // 64
/** Longest duration told apart: 2^31 - 1 µs (35.8 min); longer ones share the top bucket (max stays exact). */
const MAX_MICROS = 0x7fffffff;
/** Buckets of one histogram: 64 exact ones, then 32 per power of two from 2^6 to 2^30. */
export const BUCKETS = LINEAR + (30 - 6 + 1) * SUB; // 864

function bucketOf(micros: number): number {
  if (micros < LINEAR) return micros;
  const msb = 31 - Math.clz32(micros);
  const shift = msb - SUB_BITS;
  return LINEAR + (msb - SUB_BITS - 1) * SUB + ((micros >>> shift) - SUB);
}

/** The middle of a bucket's range, in microseconds (exact for the linear ones). */
function middleOf(bucket: number): number {
  if (bucket < LINEAR) return bucket;
  const octave = Math.floor((bucket - LINEAR) / SUB);
  const shift = octave + 1;
  const low = (SUB + ((bucket - LINEAR) % SUB)) * 2 ** shift;
  return low + (2 ** shift - 1) / 2;
}

/** One slot of one window: counters and a histogram (allocated on the slot's first sample). */
interface Slot {
  epoch: number;
  count: number;
  errors: number;
  rows: number;
  hits: number;
  misses: number;
  maxMicros: number;
  sumMicros: number;
  counts: Uint32Array | undefined;
}

function newSlot(): Slot {
  return {
    epoch: -1,
    count: 0,
    errors: 0,
    rows: 0,
    hits: 0,
    misses: 0,
    maxMicros: 0,
    sumMicros: 0,
    counts: undefined,
  };
}

/** Empties a slot for `epoch` (its histogram zeroed, kept). */
function resetSlot(slot: Slot, epoch: number): void {
  slot.epoch = epoch;
  slot.count = 0;
  slot.errors = 0;
  slot.rows = 0;
  slot.hits = 0;
  slot.misses = 0;
  slot.maxMicros = 0;
  slot.sumMicros = 0;
  slot.counts?.fill(0);
}

/** Adds `from`'s counts into `to`. */
function addSlot(to: Slot, from: Slot): void {
  to.count += from.count;
  to.errors += from.errors;
  to.rows += from.rows;
  to.hits += from.hits;
  to.misses += from.misses;
  to.sumMicros += from.sumMicros;
  if (from.maxMicros > to.maxMicros) to.maxMicros = from.maxMicros;
  if (from.counts === undefined) return;
  to.counts ??= new Uint32Array(BUCKETS);
  const a = to.counts;
  const b = from.counts;
  for (let i = 0; i < BUCKETS; i++) a[i] = (a[i] as number) + (b[i] as number);
}

/** Every window's slots of one fingerprint (or of all of them). */
interface Entry {
  /** rings[w][epoch % slots] */
  readonly rings: Slot[][];
  /** The finest slot written last: the next record's slot while its epoch lasts (no ring lookup). */
  hot: Slot;
  text: string | undefined;
  /** The record count when the entry last moved to the recent end of the map. */
  moved: number;
}

/**
 * Bytes one followed fingerprint costs at most once every slot of every window holds samples: its slots'
 * histograms and counters, the entry, its key (a fingerprint of up to 64 characters) and its example
 * text. Measured against V8's heap by `fingerprint-windows.test.ts`.
 */
export function bytesPerFingerprint(
  windows: readonly WindowSpec[] = DEFAULT_WINDOWS,
  maxTextLength: number = FINGERPRINT_WINDOWS_DEFAULTS.maxTextLength,
): number {
  const slots = windows.reduce((n, w) => n + w.slots, 0);
  // A Uint32Array: its elements, the backing store's header and the typed array object (~160 B in V8,
  // rounded up).
  const histogram = BUCKETS * 4 + 256;
  // A slot object of 9 fields, with a pointer in its ring array (~120 B, rounded up).
  const slot = 160;
  // The entry, its rings array, the Map's slot for the key, the key string and the text (two bytes a
  // character at worst).
  const entry = 200 + windows.length * 32 + 64 + (64 * 2 + 32) + (maxTextLength * 2 + 32);
  return slots * (histogram + slot) + entry;
}

/**
 * The most memory a {@link FingerprintWindows} of these options holds: `maxFingerprints` followed
 * fingerprints plus the overall figures, each at {@link bytesPerFingerprint}.
 */
export function memoryCeilingBytes(options: FingerprintWindowsOptions = {}): number {
  const max = options.maxFingerprints ?? FINGERPRINT_WINDOWS_DEFAULTS.maxFingerprints;
  const per = bytesPerFingerprint(
    options.windows ?? DEFAULT_WINDOWS,
    options.maxTextLength ?? FINGERPRINT_WINDOWS_DEFAULTS.maxTextLength,
  );
  return (max + 1) * per;
}

/**
 * Per-fingerprint latency and counts over sliding windows (1 min, 5 min and 1 h by default), as
 * rotating histograms: p50, p90, p99, p99.9, max and mean, with the count, errors, rows and cache
 * hits and misses of each window. At most `maxFingerprints` fingerprints are followed (the least
 * recently recorded is dropped for a new one), so memory never exceeds {@link memoryCeilingBytes}
 * whatever the number of statements seen; the overall figures are never dropped.
 *
 * @example
 * ```ts
 * const windows = new FingerprintWindows();
 * windows.record(fingerprint, 12.5, { rows: 3, cache: 'miss' });
 * windows.summary(fingerprint, '1m'); // { count: 1, p50Millis: 12.5, ... }
 * ```
 */
export class FingerprintWindows {
  readonly maxFingerprints: number;
  readonly windows: readonly WindowSpec[];
  readonly #maxTextLength: number;
  readonly #now: () => number;
  /** Insertion order is recency order: the first key is the least recently recorded. */
  readonly #entries = new Map<string, Entry>();
  readonly #overall: Entry;
  /** Records so far: the clock of the approximate recency (see #touch). */
  #records = 0;
  #evicted = 0;
  /** Slot length and count of each window, and the epochs of the record being made (no allocation). */
  readonly #slotMillis: number[];
  readonly #slots: number[];
  readonly #epochs: number[];

  constructor(options: FingerprintWindowsOptions = {}) {
    this.maxFingerprints = positiveInteger(
      'maxFingerprints',
      options.maxFingerprints ?? FINGERPRINT_WINDOWS_DEFAULTS.maxFingerprints,
    );
    this.#maxTextLength = positiveInteger(
      'maxTextLength',
      options.maxTextLength ?? FINGERPRINT_WINDOWS_DEFAULTS.maxTextLength,
    );
    const windows = options.windows ?? DEFAULT_WINDOWS;
    if (windows.length === 0 || new Set(windows.map((w) => w.name)).size !== windows.length) {
      throw new MetricsError(
        'METRICS_INVALID_ARGUMENT',
        'windows must be a non-empty list of distinct names.',
      );
    }
    for (const w of windows) {
      positiveInteger(`window ${w.name} slotMillis`, w.slotMillis);
      positiveInteger(`window ${w.name} slots`, w.slots);
    }
    const finest = windows[0] as WindowSpec;
    for (const w of windows.slice(1)) {
      if (
        w.slotMillis % finest.slotMillis !== 0 ||
        w.slots * w.slotMillis < finest.slots * finest.slotMillis
      ) {
        throw new MetricsError(
          'METRICS_INVALID_ARGUMENT',
          `window ${w.name}: its slots must be a multiple of the first window's (${finest.slotMillis} ms) and it must span at least as long`,
        );
      }
    }
    this.windows = Object.freeze(windows.map((w) => Object.freeze({ ...w })));
    this.#now = options.now ?? Date.now;
    this.#slotMillis = this.windows.map((w) => w.slotMillis);
    this.#slots = this.windows.map((w) => w.slots);
    this.#epochs = this.windows.map(() => 0);
    this.#overall = this.#newEntry();
  }

  /** Fingerprints followed now (never more than `maxFingerprints`). */
  get size(): number {
    return this.#entries.size;
  }

  /** Fingerprints dropped to stay within `maxFingerprints`. */
  get evicted(): number {
    return this.#evicted;
  }

  /** The most memory these windows hold (see {@link memoryCeilingBytes}). */
  get memoryCeilingBytes(): number {
    return memoryCeilingBytes({
      maxFingerprints: this.maxFingerprints,
      windows: this.windows,
      maxTextLength: this.#maxTextLength,
    });
  }

  /** Records one execution of `fingerprint` that took `durationMillis`, at `nowMillis` (the clock by default). */
  record(fingerprint: string, durationMillis: number, sample?: QuerySample, nowMillis?: number): void {
    if (!(durationMillis >= 0) || durationMillis === Number.POSITIVE_INFINITY) {
      throw new MetricsError(
        'METRICS_INVALID_ARGUMENT',
        `A duration must be a finite number of milliseconds >= 0, not ${durationMillis}.`,
      );
    }
    const now = nowMillis ?? this.#now();
    const micros = Math.min(MAX_MICROS, Math.round(durationMillis * 1000));
    const entry = this.#touch(fingerprint);
    if (sample?.text !== undefined && entry.text === undefined) {
      entry.text =
        sample.text.length > this.#maxTextLength ? sample.text.slice(0, this.#maxTextLength) : sample.text;
    }
    const bucket = bucketOf(micros);
    this.#epochs[0] = Math.floor(now / (this.#slotMillis[0] as number));
    this.#add(entry, micros, bucket, sample);
    this.#add(this.#overall, micros, bucket, sample);
  }

  /** One window's figures of `fingerprint`, or undefined when it is not followed (never seen, or dropped). */
  summary(fingerprint: string, window: string, nowMillis?: number): WindowSummary | undefined {
    const w = this.#windowIndex(window);
    const entry = this.#entries.get(fingerprint);
    return entry ? this.#summarize(entry, w, nowMillis ?? this.#now()) : undefined;
  }

  /** One window's figures over every statement recorded, dropped fingerprints included. */
  overall(window: string, nowMillis?: number): WindowSummary {
    return this.#summarize(this.#overall, this.#windowIndex(window), nowMillis ?? this.#now());
  }

  /**
   * The fingerprints with samples in `window`, the `top` that took the most time in total first
   * (or the most executed, or the slowest at p99).
   */
  top(
    window: string,
    options: { top?: number; by?: 'totalMillis' | 'count' | 'p99Millis' | 'errors' } = {},
    nowMillis?: number,
  ): FingerprintSummary[] {
    const w = this.#windowIndex(window);
    const now = nowMillis ?? this.#now();
    const by = options.by ?? 'totalMillis';
    const out: FingerprintSummary[] = [];
    for (const [fingerprint, entry] of this.#entries) {
      const summary = this.#summarize(entry, w, now);
      if (summary.count === 0) continue;
      out.push({ fingerprint, ...(entry.text === undefined ? {} : { text: entry.text }), ...summary });
    }
    out.sort((a, b) => b[by] - a[by] || b.count - a.count);
    return options.top === undefined ? out : out.slice(0, options.top);
  }

  /** Forgets every fingerprint and the overall figures. */
  clear(): void {
    this.#entries.clear();
    this.#overall.rings.forEach((ring, w) => {
      this.#overall.rings[w] = ring.map(() => newSlot());
    });
    this.#overall.hot = (this.#overall.rings[0] as Slot[])[0] as Slot;
    this.#evicted = 0;
  }

  #newEntry(): Entry {
    const rings = this.windows.map((w) => Array.from({ length: w.slots }, newSlot));
    return {
      rings,
      hot: (rings[0] as Slot[])[0] as Slot,
      text: undefined,
      moved: this.#records,
    };
  }

  #windowIndex(name: string): number {
    const i = this.windows.findIndex((w) => w.name === name);
    if (i === -1) {
      throw new MetricsError(
        'METRICS_INVALID_ARGUMENT',
        `no window ${JSON.stringify(name)} (there are ${this.windows.map((w) => w.name).join(', ')})`,
      );
    }
    return i;
  }

  /**
   * The entry of `fingerprint`, created (or recycled from the least recently recorded) if needed. Recency
   * is approximate, to spare a Map delete and insert (~100 ns) on every record: an entry moves to the
   * recent end only when more than maxFingerprints / 2 records were made since it last moved. So a
   * fingerprint recorded within the last maxFingerprints / 2 records is never the one dropped (at most
   * that many new ones arrived since it moved, and it had maxFingerprints - 1 entries before it).
   */
  #touch(fingerprint: string): Entry {
    const clock = ++this.#records;
    let entry = this.#entries.get(fingerprint);
    if (entry) {
      if (clock - entry.moved > this.maxFingerprints / 2) {
        this.#entries.delete(fingerprint);
        this.#entries.set(fingerprint, entry);
        entry.moved = clock;
      }
      return entry;
    }
    if (this.#entries.size >= this.maxFingerprints) {
      const oldest = this.#entries.entries().next();
      if (!oldest.done) {
        this.#entries.delete(oldest.value[0]);
        this.#evicted++;
        // The dropped fingerprint's slots and histograms serve the new one (a histogram is zeroed when
        // its slot takes its first sample), so a stream of new fingerprints allocates nothing.
        entry = oldest.value[1];
        entry.text = undefined;
        for (const ring of entry.rings) for (const slot of ring) slot.epoch = -1;
      }
    }
    entry ??= this.#newEntry();
    entry.moved = clock;
    this.#entries.set(fingerprint, entry);
    return entry;
  }

  /**
   * One sample into the finest window's current slot only: one histogram touched per record. A finest
   * slot is folded into the coarser windows' slots when it is reused (so every sample is either still in
   * the finest ring or already in the coarser ones, never both); summaries of the coarser windows add
   * the finest slots not folded yet.
   */
  #add(entry: Entry, micros: number, bucket: number, sample: QuerySample | undefined): void {
    const epoch = this.#epochs[0] as number;
    let slot = entry.hot;
    if (slot.epoch !== epoch) {
      slot = (entry.rings[0] as Slot[])[epoch % (this.#slots[0] as number)] as Slot;
      if (slot.epoch !== epoch) {
        // An older sample (a clock step back) than the slot holds is dropped rather than mixed in.
        if (slot.epoch > epoch) return;
        if (slot.epoch >= 0 && slot.count > 0) this.#fold(entry, slot);
        resetSlot(slot, epoch);
        slot.counts ??= new Uint32Array(BUCKETS);
      }
      entry.hot = slot;
    }
    const counts = slot.counts as Uint32Array;
    counts[bucket] = (counts[bucket] as number) + 1;
    slot.count++;
    slot.sumMicros += micros;
    if (micros > slot.maxMicros) slot.maxMicros = micros;
    if (sample !== undefined) {
      if (sample.error) slot.errors++;
      if (sample.rows) slot.rows += sample.rows;
      if (sample.cache === 'hit') slot.hits++;
      else if (sample.cache === 'miss') slot.misses++;
    }
  }

  /** Adds a finest slot about to be reused into the slot of its time in every coarser window. */
  #fold(entry: Entry, from: Slot): void {
    const time = from.epoch * (this.#slotMillis[0] as number);
    for (let w = 1; w < entry.rings.length; w++) {
      const epoch = Math.floor(time / (this.#slotMillis[w] as number));
      const to = (entry.rings[w] as Slot[])[epoch % (this.#slots[w] as number)] as Slot;
      if (to.epoch > epoch) continue; // that slot has moved on: the sample is older than its window
      if (to.epoch !== epoch) resetSlot(to, epoch);
      addSlot(to, from);
    }
  }

  /** The slots of window `w` that cover `now`: its own, plus for a coarser window the finest not folded yet. */
  #liveSlots(entry: Entry, w: number, now: number): Slot[] {
    const spec = this.windows[w] as WindowSpec;
    const current = Math.floor(now / spec.slotMillis);
    const inWindow = (epoch: number): boolean => epoch > current - spec.slots && epoch <= current;
    const live = (entry.rings[w] as Slot[]).filter(
      (s) => s.counts !== undefined && s.epoch >= 0 && inWindow(s.epoch),
    );
    if (w > 0) {
      const finest = this.#slotMillis[0] as number;
      for (const s of entry.rings[0] as Slot[]) {
        if (
          s.counts !== undefined &&
          s.epoch >= 0 &&
          inWindow(Math.floor((s.epoch * finest) / spec.slotMillis))
        )
          live.push(s);
      }
    }
    return live;
  }

  #summarize(entry: Entry, w: number, now: number): WindowSummary {
    const spec = this.windows[w] as WindowSpec;
    const live = this.#liveSlots(entry, w, now);
    let count = 0;
    let errors = 0;
    let rows = 0;
    let hits = 0;
    let misses = 0;
    let max = 0;
    let sum = 0;
    for (const s of live) {
      count += s.count;
      errors += s.errors;
      rows += s.rows;
      hits += s.hits;
      misses += s.misses;
      sum += s.sumMicros;
      if (s.maxMicros > max) max = s.maxMicros;
    }
    const percentile = (p: number): number => {
      if (count === 0) return 0;
      const rank = Math.max(1, Math.ceil((p / 100) * count));
      let seen = 0;
      for (let b = 0; b < BUCKETS; b++) {
        for (const s of live) seen += (s.counts as Uint32Array)[b] as number;
        if (seen >= rank) return Math.min(middleOf(b), max);
      }
      return max;
    };
    const ms = (micros: number): number => Math.round(micros) / 1000;
    return {
      window: spec.name,
      count,
      errors,
      rows,
      cacheHits: hits,
      cacheMisses: misses,
      p50Millis: ms(percentile(50)),
      p90Millis: ms(percentile(90)),
      p99Millis: ms(percentile(99)),
      p999Millis: ms(percentile(99.9)),
      maxMillis: ms(max),
      meanMillis: count === 0 ? 0 : ms(sum / count),
      totalMillis: ms(sum),
    };
  }
}
