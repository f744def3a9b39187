import { openCache } from '@aishell/engine';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../../base-command.js';
import { redisFlag } from '../../flags.js';
import { toJson } from '../../output/format-value.js';

export default class CacheExport extends BaseCommand {
  static override summary =
    "List the query cache's entries: key, tables, time left and size (never the rows).";
  static override description =
    'Keys are hashes (the SQL and parameters never reach Redis key names). Reads Redis with SCAN, never KEYS, ' +
    'so a large cache is never blocked. Prints one JSON document, or one JSON line per entry with --format ndjson.';
  static override examples = [
    { description: 'All entries as one JSON document', command: '<%= config.bin %> cache export' },
    { description: 'One line per entry', command: '<%= config.bin %> cache export --format ndjson | wc -l' },
  ];
  static override flags = {
    redis: redisFlag,
    format: Flags.string({
      char: 'f',
      description: 'output format',
      options: ['json', 'ndjson'],
      default: 'json',
    }),
  };

  async run(): Promise<CacheExportDocument | undefined> {
    const { flags } = await this.parse(CacheExport);
    await using cache = await openCache(flags.redis ? { redis: flags.redis } : {});
    if (flags.format === 'ndjson') {
      // A stream, one line per entry as SCAN finds it: no document (BaseCommand's exception).
      for await (const entry of cache.entries()) {
        await this.out.write(`${toJson(entry)}\n`);
        if (this.out.broken) break;
      }
      return undefined;
    }
    const entries: CacheEntry[] = [];
    for await (const entry of cache.entries()) entries.push(entry);
    // The document is this command's output also without --json.
    return this.present({ namespace: cache.namespace, entries }, (doc) => this.out.json(doc));
  }
}

type CacheEntry = Awaited<ReturnType<typeof openCache>>['entries'] extends () => AsyncIterable<infer E>
  ? E
  : never;

/** `cache export` (and `--json`): the entries' metadata, never their rows. */
export interface CacheExportDocument {
  readonly namespace: string;
  readonly entries: readonly CacheEntry[];
}
