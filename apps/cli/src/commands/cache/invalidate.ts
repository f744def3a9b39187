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

  async run(): Promise<void> {
    const { args, flags } = await this.parse(CacheInvalidate);
    const tag = tableTag(args.table);
    await using cache = await openCache(flags.redis ? { redis: flags.redis } : {});
    const dropped = await cache.invalidateTags([tag]);
    if (flags.json) return this.printJson({ table: tag, dropped });
    await this.out.write(`Dropped ${dropped} cached ${dropped === 1 ? 'result' : 'results'} of ${tag}.\n`);
  }
}
