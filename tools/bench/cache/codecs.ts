// The codec comparison of `pnpm bench cache` (issue 16): gzip, brotli, zstd and lz4 on the demo's tables as
// JSON, for ratio and encode / decode speed. Node 20's zlib has gzip and brotli; zstd comes from
// @mongodb-js/zstd 1.2.2 (napi-rs, prebuilt from npm; async only: each call is a hop to libuv's thread pool,
// which is what a cache using it would pay) and lz4 from lz4-napi 2.10.0 (lz4_flex, one level). zstd-napi
// (prebuild-install, else node-gyp) and @mongodb-js/zstd 2 and later (prebuild-install, else a download of
// the zstd sources) fetch from outside the npm registry at install and are left out.

import { createRequire } from 'node:module';
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzipSync } from 'node:zlib';
import { compressSync as lz4Compress, uncompressSync as lz4Uncompress } from 'lz4-napi';

// The package's index.js drops the level (1.2.2's compress(data) wrapper): its native bindings take it.
const zstdNative = createRequire(import.meta.url)('@mongodb-js/zstd/bindings') as {
  compress(data: Buffer, level?: number): Promise<Buffer>;
  decompress(data: Buffer): Promise<Buffer>;
};

type Codec = readonly [(b: Buffer) => Buffer | Promise<Buffer>, (b: Buffer) => Buffer | Promise<Buffer>];

const brotli = (quality: number): Codec => [
  (b) =>
    brotliCompressSync(b, {
      params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: b.length },
    }),
  brotliDecompressSync,
];
const zstd = (level: number): Codec => [
  (b) => zstdNative.compress(b, level),
  (b) => zstdNative.decompress(b),
];

export const CODECS: Record<string, Codec> = {
  'gzip-1': [(b) => gzipSync(b, { level: 1 }), gunzipSync],
  'gzip-6': [(b) => gzipSync(b, { level: 6 }), gunzipSync],
  'brotli-1': brotli(1),
  'brotli-4': brotli(4),
  'brotli-6': brotli(6),
  'zstd-1': zstd(1),
  'zstd-3': zstd(3),
  'zstd-9': zstd(9),
  lz4: [lz4Compress, lz4Uncompress],
};

export interface CodecFigures {
  readonly rawBytes: number;
  readonly packedBytes: number;
  readonly ratio: number;
  readonly encodeMBps: number;
  readonly decodeMBps: number;
  /** Median decode time of one sample (a table's JSON), in ms, summed over the samples. */
  readonly decodeMs: number;
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Each codec on each sample: the packed size, and the median of `reps` encodes and decodes. */
export async function measureCodecs(
  samples: readonly Buffer[],
  reps = 7,
): Promise<Record<string, CodecFigures>> {
  const out: Record<string, CodecFigures> = {};
  for (const [name, [encode, decode]] of Object.entries(CODECS)) {
    let raw = 0;
    let packedBytes = 0;
    let encMs = 0;
    let decMs = 0;
    for (const json of samples) {
      let packed = await encode(json); // warm-up
      if (!(await decode(packed)).equals(json)) throw new Error(`${name} did not return the same bytes`);
      const enc: number[] = [];
      const dec: number[] = [];
      for (let i = 0; i < reps; i++) {
        let t = performance.now();
        packed = await encode(json);
        enc.push(performance.now() - t);
        t = performance.now();
        await decode(packed);
        dec.push(performance.now() - t);
      }
      raw += json.length;
      packedBytes += packed.length;
      encMs += median(enc);
      decMs += median(dec);
    }
    out[name] = {
      rawBytes: raw,
      packedBytes,
      ratio: raw / packedBytes,
      encodeMBps: raw / 1e6 / (encMs / 1000),
      decodeMBps: raw / 1e6 / (decMs / 1000),
      decodeMs: decMs,
    };
  }
  return out;
}
