import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzipSync } from 'node:zlib';

/** How a value is compressed before it is stored (docs/benchmarks.md, "cache at scale", chose the default). */
export type CacheCompression = 'none' | 'gzip' | 'brotli';

/**
 * Every stored value starts with these two bytes and a codec byte. A value without them (another version's
 * format, a truncated write, garbage) is undecodable: the cache deletes it and reports a miss.
 */
const MAGIC_0 = 0xac;
const MAGIC_1 = 0x01;
const CODEC_BYTE: Record<CacheCompression, number> = { none: 0, gzip: 1, brotli: 2 };
const HEADER_BYTES = 3;
/**
 * Brotli's quality, by measurement (docs/benchmarks.md, "cache at scale, session 5"): on the demo's tables
 * quality 4 packs 6.9x and decodes at about 630 MB/s, against quality 1's 6.1x and 480 MB/s and gzip-1's 5.6x
 * and 500 MB/s; it encodes at about 135 MB/s (quality 1: 340), paid once per fill where decoding is paid on
 * every hit.
 */
const BROTLI_QUALITY = 4;

/** The header of an uncompressed value, shared by every value below the threshold. */
const PLAIN_HEADER = Buffer.from([MAGIC_0, MAGIC_1, CODEC_BYTE.none]);

/** Encodes `bytes` for storage: compressed with `compression` when longer than `thresholdBytes`. */
export function encodeValue(bytes: Buffer, compression: CacheCompression, thresholdBytes: number): Buffer {
  if (compression === 'none' || bytes.length <= thresholdBytes) return Buffer.concat([PLAIN_HEADER, bytes]);
  const body =
    compression === 'gzip'
      ? gzipSync(bytes, { level: 1 })
      : brotliCompressSync(bytes, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
            [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
          },
        });
  // Compression that does not pay (already compact data) is stored plain: decoding it then costs nothing.
  if (body.length >= bytes.length) return Buffer.concat([PLAIN_HEADER, bytes]);
  return Buffer.concat([Buffer.from([MAGIC_0, MAGIC_1, CODEC_BYTE[compression]]), body]);
}

/** The value of stored bytes, or undefined when they are not a value this format can read. */
export function decodeValue(stored: Buffer): Buffer | undefined {
  if (stored.length < HEADER_BYTES || stored[0] !== MAGIC_0 || stored[1] !== MAGIC_1) return undefined;
  const body = stored.subarray(HEADER_BYTES);
  try {
    switch (stored[2]) {
      case CODEC_BYTE.none:
        return body;
      case CODEC_BYTE.gzip:
        return gunzipSync(body);
      case CODEC_BYTE.brotli:
        return brotliDecompressSync(body);
      default:
        return undefined;
    }
  } catch {
    // Truncated or corrupt compressed data.
    return undefined;
  }
}
