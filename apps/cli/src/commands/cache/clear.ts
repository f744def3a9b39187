import { openCache } from '@aishell/engine';
import { BaseCommand } from '../../base-command.js';
import { redisFlag } from '../../flags.js';

export default class CacheClear extends BaseCommand {
  static override summary = 'Drop every entry and counter of the query cache.';
  static override description =
    "Only aishell's namespace is touched (SCAN and UNLINK, never FLUSHDB); a fill that began before the clear is refused.";
  static override examples = [
    { description: 'Empty the cache', command: '<%= config.bin %> cache clear' },
    { description: 'As JSON', command: '<%= config.bin %> cache clear --json' },
  ];
  static override flags = { redis: redisFlag };

  async run(): Promise<CacheClearDocument> {
    const { flags } = await this.parse(CacheClear);
    await using cache = await openCache(flags.redis ? { redis: flags.redis } : {});
    const cleared = await cache.clear();
    return this.present({ namespace: cache.namespace, cleared }, clearedText);
  }
}

/** `cache clear --json` */
export interface CacheClearDocument {
  readonly namespace: string;
  /** Entries dropped. */
  readonly cleared: number;
}

function clearedText(doc: CacheClearDocument): string {
  return `Cleared ${doc.cleared} ${doc.cleared === 1 ? 'entry' : 'entries'} from ${doc.namespace}.\n`;
}
