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

  async run(): Promise<void> {
    const { flags } = await this.parse(CacheExport);
    await using cache = await openCache(flags.redis ? { redis: flags.redis } : {});
    if (flags.format === 'ndjson') {
      for await (const entry of cache.entries()) {
        await this.out.write(`${toJson(entry)}\n`);
        if (this.out.broken) break;
      }
      return;
    }
    const entries = [];
    for await (const entry of cache.entries()) entries.push(entry);
    await this.printJson({ namespace: cache.namespace, entries });
  }
}
