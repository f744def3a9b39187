import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { abortedError } from './errors.js';

/**
 * The hex sha256 of a file, read as a stream (bounded memory whatever its size).
 * @example const digest = await sha256File('/backups/shop-20260114T031500Z-9f3a.dump');
 */
export async function sha256File(
  file: string,
  options: { signal?: AbortSignal; onBytes?: (bytes: number) => void } = {},
): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  const stream = createReadStream(file, options.signal ? { signal: options.signal } : {});
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      hash.update(chunk);
      bytes += chunk.length;
      options.onBytes?.(bytes);
    }
  } catch (error) {
    if (options.signal?.aborted) throw abortedError(options.signal, 'the checksum');
    throw error;
  }
  return { sha256: hash.digest('hex'), bytes };
}
