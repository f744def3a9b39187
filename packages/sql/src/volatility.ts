import type { FactCollector } from './risk.js';
import type { Token } from './sql-lexer.js';

// Functions whose result changes from call to call without a write that aishell would see (so a cache of
// the result would go stale): clocks, random values, session and sequence state. Every dialect's names in
// one list: a name that means nothing in a dialect never appears in a statement the server accepts there.
const VOLATILE_FUNCTIONS = new Set([
  'now',
  'random',
  'rand',
  'randomblob',
  'random_bytes',
  'uuid',
  'uuid_short',
  'gen_random_uuid',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'clock_timestamp',
  'statement_timestamp',
  'transaction_timestamp',
  'timeofday',
  'sysdate',
  'curdate',
  'curtime',
  'unix_timestamp',
  'utc_timestamp',
  'utc_date',
  'utc_time',
  'current_timestamp',
  'current_date',
  'current_time',
  'currval',
  'lastval',
  'last_insert_id',
  'last_insert_rowid',
  'changes',
  'total_changes',
  'found_rows',
  'row_count',
  'connection_id',
  'pg_backend_pid',
  'current_setting',
  'sleep',
  'pg_sleep',
  'inet_client_addr',
]);
/** SQL's clock keywords, which take no parentheses. */
const VOLATILE_KEYWORDS = new Set([
  'current_timestamp',
  'current_date',
  'current_time',
  'localtime',
  'localtimestamp',
]);
/** Date literals that mean "the current time": SQLite's datetime('now'), PostgreSQL's 'now'::timestamp, 'today'. */
const VOLATILE_STRINGS = new Set(["'now'", "'today'", "'tomorrow'", "'yesterday'"]);

/**
 * Marks `facts` volatile when the statement's tokens call a volatile function, name a clock keyword or
 * hold a date literal that means "now". Tokens, not text: a `now()` inside a string or a comment does not
 * count. Runs on the tokens the analysis already has (no second parse).
 */
export function scanVolatility(sql: string, tokens: readonly Token[], facts: FactCollector): void {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.type === 'word') {
      const word = sql.slice(t.start, t.end).toLowerCase();
      if (VOLATILE_KEYWORDS.has(word) || (tokens[i + 1]?.type === 'open' && VOLATILE_FUNCTIONS.has(word))) {
        facts.markVolatile();
        return;
      }
    } else if (t.type === 'string' && VOLATILE_STRINGS.has(sql.slice(t.start, t.end).toLowerCase())) {
      facts.markVolatile();
      return;
    }
  }
}
