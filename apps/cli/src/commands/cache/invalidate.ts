import { openCache, tableTag } from '@aishell/engine';
import * as Args from '@oclif/core/args';
import { BaseCommand } from '../../base-command.js';
import { redisFlag } from '../../flags.js';

export default class CacheInvalidate extends BaseCommand {
  static override summary = 'Drop the cached results that read a table.';
  static override description =
    'Tables are matched by unqualified name in lower case (public.Orders is orders), on every connection that ' +
    'shares the Redis: no database connection is needed. Use it after changing a table outside aishell.';
  static override examples = [
    { description: 'After a batch job rewrote orders', command: '<%= config.bin %> cache invalidate orders' },
    { description: 'As JSON', command: '<%= config.bin %> cache invalidate public.orders --json' },
  ];
  static override args = {
    table: Args.string({ ignoreStdin: true, description: 'table name (schema optional)', required: true }),
  };
  static override flags = { redis: redisFlag };

  async run(): Promise<CacheInvalidateDocument> {
    const { args, flags } = await this.parse(CacheInvalidate);
    const tag = tableTag(args.table);
    await using cache = await openCache(flags.redis ? { redis: flags.redis } : {});
    const dropped = await cache.invalidateTags([tag]);
    return this.present({ table: tag, dropped }, invalidatedText);
  }
}

/** `cache invalidate <table> --json` */
export interface CacheInvalidateDocument {
  /** The table as the cache tags it: unqualified, lower case. */
  readonly table: string;
  /** Cached results dropped. */
  readonly dropped: number;
}

function invalidatedText(doc: CacheInvalidateDocument): string {
  return `Dropped ${doc.dropped} cached ${doc.dropped === 1 ? 'result' : 'results'} of ${doc.table}.\n`;
}
