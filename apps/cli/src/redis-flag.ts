import * as Flags from '@oclif/core/flags';

/** `--redis <url>`: the Redis of the query cache, for `query` and the `cache` commands. */
export const redisFlag = Flags.string({
  description: 'Redis URL of the query cache (default: AISHELL_REDIS_URL, then REDIS_URL)',
  helpGroup: 'CACHE',
});
