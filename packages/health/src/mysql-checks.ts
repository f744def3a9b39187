// MySQL's and MariaDB's checks. Where the sys schema has a view for a check, the query here is that
// view's own query on information_schema/performance_schema, so that it runs whether sys is installed
// or not (sys 1.5: schema_auto_increment_columns, schema_redundant_indexes, schema_unused_indexes,
// innodb_lock_waits). Schema checks look at the connection's database (every schema but the system
// ones when there is none); sessions are those of that database; counters are the server's.
import {
  above,
  below,
  type CheckContext,
  type CheckDefinition,
  type CheckSkip,
  objectFixes,
  type Row,
  threshold,
} from './check-definition.js';
import { num, round, text } from './row-values.js';
import { MARKER, type ServerFacts } from './server-facts.js';
import { mysqlIdent, mysqlTable } from './sql-quoting.js';
import { summaryEvaluation, summaryQuery } from './summary-query.js';

const SYSTEM_SCHEMAS = `('mysql', 'sys', 'information_schema', 'performance_schema')`;
/** The connection's database, or every non-system schema when it has none. */
const inScope = (column: string) =>
  `((DATABASE() IS NULL AND ${column} NOT IN ${SYSTEM_SCHEMAS}) OR ${column} = DATABASE())`;
/** Sessions of the connection's database (of every database when it has none). */
const sessionInScope = (column: string) => `(DATABASE() IS NULL OR ${column} = DATABASE())`;

const t = (ctx: CheckContext, name: string): number => threshold(ctx.thresholds, name) ?? 0;
const pct = (v: number | null): string => (v === null ? '-' : `${round(v * 100, 1)} %`);
const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
const isMariaDb = (facts: ServerFacts) => facts.flavor === 'mariadb';

/** CTEs and window functions: MySQL 8.0, MariaDB 10.2. */
function tooOld(facts: ServerFacts): CheckSkip | undefined {
  const old = isMariaDb(facts) ? facts.versionNumber < 100200 : facts.versionNumber < 80000;
  return old
    ? {
        skip: `needs MySQL 8.0 or MariaDB 10.2 or later (this server is ${facts.version})`,
        fix: 'Upgrade the server',
      }
    : undefined;
}

function summaryOrSkip(ctx: CheckContext, build: () => string): string | CheckSkip {
  return tooOld(ctx.facts) ?? build();
}

/** `SHOW GLOBAL STATUS` for some counters: it works with and without performance_schema. */
const showStatus = (names: readonly string[]) =>
  `${MARKER} SHOW GLOBAL STATUS WHERE Variable_name IN (${names.map((v) => `'${v}'`).join(', ')})`;

/** The counters of a SHOW GLOBAL STATUS result by lower-case name. */
function statusOf(rows: readonly Row[]): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const row of rows) {
    const name = text(row.Variable_name ?? row.VARIABLE_NAME);
    if (name !== null) out[name.toLowerCase()] = num(row.Value ?? row.VARIABLE_VALUE);
  }
  return out;
}

/** A share of two counters; null when the whole is 0 (nothing happened yet). */
const share = (part: number | null | undefined, whole: number | null | undefined): number | null =>
  part === null || part === undefined || !whole ? null : round(part / whole, 6);

const connections: CheckDefinition = {
  name: 'connections',
  description: 'connected threads against max_connections',
  unit: 'ratio',
  thresholds: [
    {
      name: 'connections_ratio',
      default: 0.7,
      unit: 'ratio',
      description: 'warn above this share of max_connections',
    },
    {
      name: 'connections_critical_ratio',
      default: 0.9,
      unit: 'ratio',
      description: 'crit above this share of max_connections',
    },
  ],
  query: () => showStatus(['Threads_connected', 'Max_used_connections']),
  evaluate: (rows, ctx) => {
    const status = statusOf(rows);
    const used = status.threads_connected ?? null;
    const max = num(ctx.facts.settings.max_connections);
    return {
      value: share(used, max),
      total: 0,
      objects: [],
      extra: { used, max, maxUsed: status.max_used_connections ?? null },
    };
  },
  verdict: above('connections_ratio', 'connections_critical_ratio'),
  reason: (e) =>
    `${e.extra?.used} of ${e.extra?.max} connections in use (${pct(e.value)}; at most ${e.extra?.maxUsed} since the server started)`,
  fix: () =>
    'Lower the applications’ pool sizes or put a proxy (ProxySQL, MaxScale) in front; raise max_connections only with memory to spare (SET GLOBAL max_connections = ...)',
};

const longRunningQueries: CheckDefinition = {
  name: 'long_running_queries',
  description: 'statements running longer than the threshold (replication and event threads excluded)',
  unit: 'seconds',
  thresholds: [
    {
      name: 'long_running_queries_seconds',
      default: 60,
      unit: 'seconds',
      description: 'warn when a statement has run longer than this',
    },
  ],
  query: (ctx) =>
    summaryOrSkip(ctx, () =>
      summaryQuery(
        {
          // MariaDB counts in milliseconds too (TIME_MS); MySQL in whole seconds.
          candidates: `SELECT p.ID AS id, p.USER AS user_name, p.HOST AS host, p.DB AS database_name, p.COMMAND AS command,
       p.STATE AS state, ${isMariaDb(ctx.facts) ? 'p.TIME_MS / 1000' : 'p.TIME'} AS seconds, LEFT(p.INFO, 200) AS query
  FROM information_schema.PROCESSLIST p
 WHERE p.COMMAND NOT IN ('Sleep', 'Daemon', 'Binlog Dump', 'Binlog Dump GTID', 'Connect')
   AND p.USER NOT IN ('system user', 'event_scheduler')
   AND p.ID <> CONNECTION_ID() AND ${sessionInScope('p.DB')}
   AND (p.INFO IS NULL OR p.INFO NOT LIKE '%${MARKER}%')`,
          value: 'COALESCE(MAX(seconds), 0)',
          where: `seconds > ${t(ctx, 'long_running_queries_seconds')}`,
          orderBy: 'seconds DESC',
        },
        ctx.maxObjects,
      ),
    ),
  evaluate: (rows) =>
    summaryEvaluation(rows, (r) => ({
      id: num(r.id),
      user: text(r.user_name),
      host: text(r.host),
      database: text(r.database_name),
      command: text(r.command),
      state: text(r.state),
      seconds: round(num(r.seconds), 3),
      query: text(r.query),
      fix: `KILL QUERY ${num(r.id)};`,
    })),
  verdict: above('long_running_queries_seconds'),
  reason: (e, th) =>
    e.total > 0
      ? `${plural(e.total, 'statement')} running longer than ${th.long_running_queries_seconds} s; the longest ${round(e.value, 1)} s`
      : `no statement running longer than ${th.long_running_queries_seconds} s`,
  fix: (objects) => objectFixes(objects),
};

const lockWaits: CheckDefinition = {
  name: 'lock_waits',
  description: 'InnoDB transactions waiting for a row lock, with the transaction that holds it',
  unit: 'seconds',
  thresholds: [
    {
      name: 'lock_waits_seconds',
      default: 0,
      unit: 'seconds',
      description: 'warn when a transaction has waited for a lock longer than this',
    },
  ],
  // sys.innodb_lock_waits' query: information_schema.INNODB_LOCK_WAITS on MariaDB (and MySQL 5.7),
  // performance_schema.data_lock_waits on MySQL 8.
  query: (ctx) => {
    const skip = tooOld(ctx.facts);
    if (skip) return skip;
    const mysql8 = !isMariaDb(ctx.facts);
    if (mysql8 && ctx.facts.settings.performance_schema?.toUpperCase() !== 'ON')
      return {
        skip: 'performance_schema is off, and MySQL 8 reports lock waits only there',
        fix: 'Set performance_schema = ON in the server’s configuration and restart it',
      };
    const from = mysql8
      ? `FROM performance_schema.data_lock_waits w
  JOIN information_schema.INNODB_TRX b ON b.trx_id = w.BLOCKING_ENGINE_TRANSACTION_ID
  JOIN information_schema.INNODB_TRX r ON r.trx_id = w.REQUESTING_ENGINE_TRANSACTION_ID
  JOIN performance_schema.data_locks l ON l.ENGINE_LOCK_ID = w.REQUESTING_ENGINE_LOCK_ID`
      : `FROM information_schema.INNODB_LOCK_WAITS w
  JOIN information_schema.INNODB_TRX b ON b.trx_id = w.blocking_trx_id
  JOIN information_schema.INNODB_TRX r ON r.trx_id = w.requesting_trx_id
  JOIN information_schema.INNODB_LOCKS l ON l.lock_id = w.requested_lock_id`;
    const lock = mysql8
      ? `CONCAT(l.OBJECT_SCHEMA, '.', l.OBJECT_NAME) AS locked_table, l.INDEX_NAME AS locked_index, l.LOCK_MODE AS lock_mode`
      : 'l.lock_table AS locked_table, l.lock_index AS locked_index, l.lock_mode AS lock_mode';
    return summaryQuery(
      {
        candidates: `SELECT r.trx_mysql_thread_id AS waiting_id, LEFT(r.trx_query, 200) AS waiting_query,
       TIMESTAMPDIFF(MICROSECOND, r.trx_wait_started, NOW(6)) / 1000000 AS seconds,
       b.trx_mysql_thread_id AS blocking_id, LEFT(b.trx_query, 200) AS blocking_query,
       ${lock}
  ${from}
  LEFT JOIN information_schema.PROCESSLIST p ON p.ID = r.trx_mysql_thread_id
 WHERE ${sessionInScope('p.DB')}`,
        value: 'COALESCE(MAX(seconds), 0)',
        where: `seconds > ${t(ctx, 'lock_waits_seconds')}`,
        orderBy: 'seconds DESC',
      },
      ctx.maxObjects,
    );
  },
  evaluate: (rows) =>
    summaryEvaluation(rows, (r) => ({
      waitingId: num(r.waiting_id),
      waitingQuery: text(r.waiting_query),
      waitingSeconds: round(num(r.seconds), 3),
      blockingId: num(r.blocking_id),
      blockingQuery: text(r.blocking_query),
      lockedTable: text(r.locked_table),
      lockedIndex: text(r.locked_index),
      lockMode: text(r.lock_mode),
      fix: `KILL ${num(r.blocking_id)};`,
    })),
  verdict: above('lock_waits_seconds'),
  reason: (e, th) =>
    e.total > 0
      ? `${plural(e.total, 'transaction')} waiting for a lock longer than ${th.lock_waits_seconds} s; the longest ${round(e.value, 1)} s`
      : 'no transaction waiting for a lock',
  fix: (objects) => {
    const fixes = [...new Set(objects.map((o) => o.fix).filter((f): f is string => typeof f === 'string'))];
    return fixes.length
      ? `End the blocking transaction (commit or roll it back), or kill its connection: ${fixes.join(' ')}`
      : null;
  },
};

const bufferPoolHitRatio: CheckDefinition = {
  name: 'buffer_pool_hit_ratio',
  description: 'share of InnoDB page reads served from the buffer pool since the server started',
  unit: 'ratio',
  thresholds: [
    {
      name: 'buffer_pool_hit_ratio',
      default: 0.99,
      unit: 'ratio',
      description: 'warn when reads hit the buffer pool less often than this',
    },
  ],
  query: () => showStatus(['Innodb_buffer_pool_reads', 'Innodb_buffer_pool_read_requests']),
  evaluate: (rows) => {
    const s = statusOf(rows);
    const misses = share(s.innodb_buffer_pool_reads, s.innodb_buffer_pool_read_requests);
    return {
      value: misses === null ? null : round(1 - misses, 6),
      total: 0,
      objects: [],
      extra: {
        reads: s.innodb_buffer_pool_reads ?? null,
        requests: s.innodb_buffer_pool_read_requests ?? null,
      },
    };
  },
  verdict: below('buffer_pool_hit_ratio'),
  reason: (e) =>
    e.value === null
      ? 'no InnoDB page read yet'
      : `${pct(e.value)} of ${e.extra?.requests} page reads served from the buffer pool`,
  fix: () =>
    'Raise innodb_buffer_pool_size towards the working set (SET GLOBAL innodb_buffer_pool_size = ...), memory allowing',
};

const replicationLag: CheckDefinition = {
  name: 'replication_lag',
  description: 'how far this replica is behind its source, and whether replication runs',
  unit: 'seconds',
  thresholds: [
    {
      name: 'replication_lag_seconds',
      default: 5,
      unit: 'seconds',
      description: 'warn when the replica is further behind than this',
    },
  ],
  query: (ctx) =>
    `${MARKER} ${
      isMariaDb(ctx.facts)
        ? 'SHOW ALL SLAVES STATUS'
        : ctx.facts.versionNumber >= 80022
          ? 'SHOW REPLICA STATUS'
          : 'SHOW SLAVE STATUS'
    }`,
  evaluate: (rows, ctx) => {
    const limit = t(ctx, 'replication_lag_seconds');
    const replicas = rows.map((r) => {
      const io = text(r.Replica_IO_Running ?? r.Slave_IO_Running);
      const sql = text(r.Replica_SQL_Running ?? r.Slave_SQL_Running);
      return {
        channel: text(r.Channel_Name ?? r.Connection_name) ?? '',
        source: text(r.Source_Host ?? r.Master_Host),
        lagSeconds: num(r.Seconds_Behind_Source ?? r.Seconds_Behind_Master),
        ioRunning: io,
        sqlRunning: sql,
        running: io === 'Yes' && sql === 'Yes',
        lastError: text(r.Last_Error) || text(r.Last_IO_Error) || text(r.Last_SQL_Error) || null,
      };
    });
    const lags = replicas.map((r) => r.lagSeconds).filter((v): v is number => v !== null);
    const objects = replicas.filter((r) => !r.running || (r.lagSeconds ?? 0) > limit);
    return {
      value: replicas.length === 0 ? 0 : lags.length ? Math.max(...lags) : null,
      total: objects.length,
      objects,
      extra: { replicas: replicas.length, stopped: replicas.filter((r) => !r.running).length },
    };
  },
  verdict: (e, th) => (Number(e.extra?.stopped ?? 0) > 0 ? 'crit' : above('replication_lag_seconds')(e, th)),
  reason: (e, th) =>
    Number(e.extra?.replicas ?? 0) === 0
      ? 'not a replica'
      : Number(e.extra?.stopped ?? 0) > 0
        ? `replication stopped on ${plural(Number(e.extra?.stopped), 'channel')}`
        : `replication ${e.value} s behind${(e.value ?? 0) > (th.replication_lag_seconds ?? Infinity) ? ` (more than ${th.replication_lag_seconds} s)` : ''}`,
  fix: (_objects, ctx) =>
    `Read Last_Error (SHOW ${isMariaDb(ctx.facts) ? 'ALL SLAVES' : 'REPLICA'} STATUS), fix its cause, then START ${isMariaDb(ctx.facts) ? 'ALL SLAVES' : 'REPLICA'}; a lagging replica needs faster disks, parallel workers or smaller transactions`,
};

const INTEGER_MAX = `(CASE c.DATA_TYPE WHEN 'tinyint' THEN 255 WHEN 'smallint' THEN 65535 WHEN 'mediumint' THEN 16777215
       WHEN 'int' THEN 4294967295 WHEN 'bigint' THEN 18446744073709551615 END
       >> IF(LOCATE('unsigned', c.COLUMN_TYPE) > 0, 0, 1))`;

const autoIncrementOverflow: CheckDefinition = {
  name: 'auto_increment_overflow',
  description: 'AUTO_INCREMENT columns near the end of their integer type',
  unit: 'ratio',
  thresholds: [
    {
      name: 'auto_increment_overflow_ratio',
      default: 0.9,
      unit: 'ratio',
      description: 'warn when the next AUTO_INCREMENT value is past this share of the column’s range',
    },
    {
      name: 'auto_increment_overflow_critical_ratio',
      default: 0.99,
      unit: 'ratio',
      description: 'crit past this share',
    },
  ],
  // sys.schema_auto_increment_columns' query.
  query: (ctx) =>
    summaryOrSkip(ctx, () =>
      summaryQuery(
        {
          candidates: `SELECT c.TABLE_SCHEMA AS schema_name, c.TABLE_NAME AS table_name, c.COLUMN_NAME AS column_name,
       c.DATA_TYPE AS data_type, c.COLUMN_TYPE AS column_type, tb.AUTO_INCREMENT AS next_value,
       ${INTEGER_MAX} AS max_value, tb.AUTO_INCREMENT / ${INTEGER_MAX} AS ratio
  FROM information_schema.COLUMNS c
  JOIN information_schema.TABLES tb ON tb.TABLE_SCHEMA = c.TABLE_SCHEMA AND tb.TABLE_NAME = c.TABLE_NAME
 WHERE tb.TABLE_TYPE = 'BASE TABLE' AND c.EXTRA LIKE '%auto_increment%' AND tb.AUTO_INCREMENT IS NOT NULL
   AND ${inScope('c.TABLE_SCHEMA')}`,
          value: 'COALESCE(MAX(ratio), 0)',
          where: `ratio > ${t(ctx, 'auto_increment_overflow_ratio')}`,
          orderBy: 'ratio DESC, schema_name, table_name',
          extra: { columns: 'COUNT(*)' },
        },
        ctx.maxObjects,
      ),
    ),
  evaluate: (rows) =>
    summaryEvaluation(
      rows,
      (r) => ({
        schema: text(r.schema_name),
        table: text(r.table_name),
        column: text(r.column_name),
        columnType: text(r.column_type),
        nextValue: num(r.next_value),
        maxValue: num(r.max_value),
        ratio: round(num(r.ratio), 6),
        fix: autoIncrementFix(r),
      }),
      ['columns'],
    ),
  verdict: above('auto_increment_overflow_ratio', 'auto_increment_overflow_critical_ratio'),
  reason: (e, th, ctx) => {
    const stale = num(ctx.facts.settings.information_schema_stats_expiry);
    const note = stale
      ? ` (MySQL caches these figures for up to ${stale} s: information_schema_stats_expiry)`
      : '';
    return e.total > 0
      ? `${plural(e.total, 'column')} past ${pct(th.auto_increment_overflow_ratio ?? null)} of their range; the fullest at ${pct(e.value)}${note}`
      : `${plural(Number(e.extra?.columns ?? 0), 'AUTO_INCREMENT column')}, the fullest at ${pct(e.value)}${note}`;
  },
  fix: (objects) => objectFixes(objects),
};

/** The next wider type: BIGINT (keeping UNSIGNED), or BIGINT UNSIGNED for a signed BIGINT. */
function autoIncrementFix(r: Row): string {
  const table = mysqlTable(String(text(r.schema_name)), String(text(r.table_name)));
  const column = mysqlIdent(String(text(r.column_name)));
  const unsigned = /unsigned/i.test(text(r.column_type) ?? '');
  if (text(r.data_type) === 'bigint' && unsigned)
    return `Archive old rows and move the key to a new column: ${table} is near BIGINT UNSIGNED's end`;
  const type = text(r.data_type) === 'bigint' || unsigned ? 'BIGINT UNSIGNED' : 'BIGINT';
  return `ALTER TABLE ${table} MODIFY ${column} ${type} NOT NULL AUTO_INCREMENT;`;
}

/** Every BTREE index of the tables in scope, with its columns as one text (prefix lengths kept). */
const FLATTENED_KEYS = (
  where = '1 = 1',
) => `SELECT s.TABLE_SCHEMA AS schema_name, s.TABLE_NAME AS table_name, s.INDEX_NAME AS index_name,
       MAX(s.NON_UNIQUE) AS non_unique,
       GROUP_CONCAT(CONCAT(s.COLUMN_NAME, IF(s.SUB_PART IS NULL, '', CONCAT('(', s.SUB_PART, ')')))
                    ORDER BY s.SEQ_IN_INDEX SEPARATOR ',') AS index_columns
  FROM information_schema.STATISTICS s
 WHERE s.INDEX_TYPE = 'BTREE' AND ${inScope('s.TABLE_SCHEMA')} AND ${where}
 GROUP BY s.TABLE_SCHEMA, s.TABLE_NAME, s.INDEX_NAME`;

const dropIndexFix = (r: Row) =>
  `ALTER TABLE ${mysqlTable(String(text(r.schema_name)), String(text(r.table_name)))} DROP INDEX ${mysqlIdent(String(text(r.index_name)))};`;

const redundantIndexes: CheckDefinition = {
  name: 'redundant_indexes',
  description: 'indexes made redundant by another on the same table (sys.schema_redundant_indexes’ rule)',
  unit: 'count',
  thresholds: [
    {
      name: 'redundant_indexes_count',
      default: 0,
      unit: 'count',
      description: 'warn when there are more redundant indexes than this',
    },
  ],
  // sys.schema_redundant_indexes: the same columns and no more unique; or a prefix of a non-unique
  // index's columns; or another unique index on a prefix of its columns. The primary key is never the
  // one to drop.
  query: (ctx) =>
    summaryOrSkip(ctx, () =>
      summaryQuery(
        {
          candidates: `SELECT x.schema_name, x.table_name, x.index_name, x.index_columns, x.dominant_index, x.dominant_columns
  FROM (SELECT r.schema_name, r.table_name, r.index_name, r.index_columns,
               d.index_name AS dominant_index, d.index_columns AS dominant_columns,
               ROW_NUMBER() OVER (PARTITION BY r.schema_name, r.table_name, r.index_name
                                  ORDER BY d.non_unique, d.index_name) AS pick
          FROM keys_flat r
          JOIN keys_flat d ON d.schema_name = r.schema_name AND d.table_name = r.table_name AND d.index_name <> r.index_name
         WHERE r.index_name <> 'PRIMARY'
           AND ((r.index_columns = d.index_columns
                 AND (r.non_unique > d.non_unique
                      OR (r.non_unique = d.non_unique
                          AND IF(r.index_name = 'PRIMARY', '', r.index_name) > IF(d.index_name = 'PRIMARY', '', d.index_name))))
                OR (LOCATE(CONCAT(r.index_columns, ','), d.index_columns) = 1 AND r.non_unique = 1)
                OR (LOCATE(CONCAT(d.index_columns, ','), r.index_columns) = 1 AND d.non_unique = 0))) x
 WHERE x.pick = 1`,
          value: 'COUNT(*)',
          where: '1 = 1',
          orderBy: 'schema_name, table_name, index_name',
          with: { keys_flat: FLATTENED_KEYS() },
        },
        ctx.maxObjects,
      ),
    ),
  evaluate: (rows) =>
    summaryEvaluation(rows, (r) => ({
      schema: text(r.schema_name),
      table: text(r.table_name),
      index: text(r.index_name),
      columns: text(r.index_columns),
      coveredBy: text(r.dominant_index),
      coveringColumns: text(r.dominant_columns),
      fix: dropIndexFix(r),
    })),
  verdict: above('redundant_indexes_count'),
  reason: (e) =>
    e.total > 0
      ? `${plural(e.total, 'index', 'indexes')} made redundant by another index on the same table`
      : 'no redundant index',
  fix: (objects) => objectFixes(objects),
};

const UNUSED_FIX =
  'Set performance_schema = ON in the server’s configuration and restart (on MariaDB, SET GLOBAL userstat = 1 also works), then let the workload run a while';

const unusedIndexes: CheckDefinition = {
  name: 'unused_indexes',
  description:
    'secondary indexes never read since the server started (performance_schema) or since userstat was set (MariaDB)',
  unit: 'count',
  thresholds: [
    {
      name: 'unused_indexes_count',
      default: 0,
      unit: 'count',
      description: 'warn when there are more unused indexes than this',
    },
  ],
  // sys.schema_unused_indexes where performance_schema is on; MariaDB's INDEX_STATISTICS (userstat)
  // where it is off; nothing to read from otherwise. Unique indexes are left out: they enforce a rule.
  query: (ctx) => {
    const skip = tooOld(ctx.facts);
    if (skip) return skip;
    const ps = ctx.facts.settings.performance_schema?.toUpperCase() === 'ON';
    const userstat = isMariaDb(ctx.facts) && ctx.facts.settings.userstat?.toUpperCase() === 'ON';
    if (!ps && !userstat)
      return {
        skip: 'index use is not recorded: performance_schema is off (and, on MariaDB, userstat too)',
        fix: UNUSED_FIX,
      };
    const unused = ps
      ? `JOIN performance_schema.table_io_waits_summary_by_index_usage u
    ON u.OBJECT_SCHEMA = k.schema_name AND u.OBJECT_NAME = k.table_name AND u.INDEX_NAME = k.index_name
 WHERE u.COUNT_STAR = 0`
      : `LEFT JOIN information_schema.INDEX_STATISTICS u
    ON u.TABLE_SCHEMA = k.schema_name AND u.TABLE_NAME = k.table_name AND u.INDEX_NAME = k.index_name
 WHERE COALESCE(u.ROWS_READ, 0) = 0`;
    return summaryQuery(
      {
        candidates: `SELECT k.schema_name, k.table_name, k.index_name, k.index_columns, '${ps ? 'performance_schema' : 'userstat'}' AS source
  FROM (${FLATTENED_KEYS("s.INDEX_NAME <> 'PRIMARY'")}) k
  ${unused} AND k.non_unique = 1`,
        value: 'COUNT(*)',
        where: '1 = 1',
        orderBy: 'schema_name, table_name, index_name',
      },
      ctx.maxObjects,
    );
  },
  evaluate: (rows) =>
    summaryEvaluation(rows, (r) => ({
      schema: text(r.schema_name),
      table: text(r.table_name),
      index: text(r.index_name),
      columns: text(r.index_columns),
      fix: dropIndexFix(r),
    })),
  verdict: above('unused_indexes_count'),
  reason: (e, _th, ctx) => {
    const since =
      ctx.facts.settings.performance_schema?.toUpperCase() === 'ON'
        ? 'since the server started'
        : 'since userstat was turned on';
    return e.total > 0
      ? `${plural(e.total, 'index', 'indexes')} never read ${since} (check the replicas too before dropping)`
      : `every secondary index has been read ${since}`;
  },
  fix: (objects) => objectFixes(objects),
};

const tablesWithoutPrimaryKey: CheckDefinition = {
  name: 'tables_without_primary_key',
  description: 'base tables without a primary key (replication, InnoDB clustering and tools need one)',
  unit: 'count',
  thresholds: [
    {
      name: 'tables_without_primary_key_count',
      default: 0,
      unit: 'count',
      description: 'warn when more tables than this have no primary key',
    },
  ],
  // A unique index on NOT NULL columns, where there is one, is the key to promote.
  query: (ctx) =>
    summaryOrSkip(ctx, () =>
      summaryQuery(
        {
          candidates: `SELECT k.*,
       (SELECT GROUP_CONCAT(CONCAT('\`', REPLACE(s.COLUMN_NAME, '\`', '\`\`'), '\`') ORDER BY s.SEQ_IN_INDEX SEPARATOR ', ')
          FROM information_schema.STATISTICS s
         WHERE s.TABLE_SCHEMA = k.schema_name AND s.TABLE_NAME = k.table_name AND s.INDEX_NAME = k.candidate_index) AS candidate_key
  FROM (SELECT tb.TABLE_SCHEMA AS schema_name, tb.TABLE_NAME AS table_name, tb.ENGINE AS engine,
       tb.TABLE_ROWS AS estimated_rows,
       (SELECT u.INDEX_NAME FROM information_schema.STATISTICS u
         WHERE u.TABLE_SCHEMA = tb.TABLE_SCHEMA AND u.TABLE_NAME = tb.TABLE_NAME AND u.NON_UNIQUE = 0
         GROUP BY u.INDEX_NAME HAVING SUM(u.NULLABLE = 'YES') = 0
         ORDER BY COUNT(*), u.INDEX_NAME LIMIT 1) AS candidate_index
  FROM information_schema.TABLES tb
 WHERE tb.TABLE_TYPE = 'BASE TABLE' AND ${inScope('tb.TABLE_SCHEMA')}
   AND NOT EXISTS (SELECT 1 FROM information_schema.TABLE_CONSTRAINTS c
                    WHERE c.TABLE_SCHEMA = tb.TABLE_SCHEMA AND c.TABLE_NAME = tb.TABLE_NAME
                      AND c.CONSTRAINT_TYPE = 'PRIMARY KEY')) k`,
          value: 'COUNT(*)',
          where: '1 = 1',
          orderBy: 'schema_name, table_name',
        },
        ctx.maxObjects,
      ),
    ),
  evaluate: (rows) =>
    summaryEvaluation(rows, (r) => {
      const table = mysqlTable(String(text(r.schema_name)), String(text(r.table_name)));
      const key = text(r.candidate_key);
      const index = text(r.candidate_index);
      return {
        schema: text(r.schema_name),
        table: text(r.table_name),
        engine: text(r.engine),
        estimatedRows: num(r.estimated_rows),
        candidateKey: key,
        candidateIndex: index,
        // The unique key becomes the primary key (dropped in the same statement, or it would be redundant).
        fix:
          key && index
            ? `ALTER TABLE ${table} ADD PRIMARY KEY (${key}), DROP INDEX ${mysqlIdent(index)};`
            : `ALTER TABLE ${table} ADD COLUMN \`id\` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY FIRST;`,
      };
    }),
  verdict: above('tables_without_primary_key_count'),
  reason: (e) =>
    e.total > 0 ? `${plural(e.total, 'table')} without a primary key` : 'every table has a primary key',
  fix: (objects) => objectFixes(objects),
};

const diskTempTables: CheckDefinition = {
  name: 'disk_temp_tables',
  description: 'share of implicit temporary tables that went to disk since the server started',
  unit: 'ratio',
  thresholds: [
    {
      name: 'disk_temp_tables_ratio',
      default: 0.25,
      unit: 'ratio',
      description: 'warn when more than this share of temporary tables were created on disk',
    },
  ],
  query: () => showStatus(['Created_tmp_disk_tables', 'Created_tmp_tables']),
  evaluate: (rows) => {
    const s = statusOf(rows);
    return {
      value: share(s.created_tmp_disk_tables, s.created_tmp_tables),
      total: 0,
      objects: [],
      extra: { disk: s.created_tmp_disk_tables ?? null, all: s.created_tmp_tables ?? null },
    };
  },
  verdict: above('disk_temp_tables_ratio'),
  reason: (e) =>
    e.value === null
      ? 'no temporary table created yet'
      : `${e.extra?.disk} of ${e.extra?.all} temporary tables went to disk (${pct(e.value)})`,
  fix: () =>
    'Raise tmp_table_size and max_heap_table_size together (SET GLOBAL tmp_table_size = 67108864; SET GLOBAL max_heap_table_size = 67108864;), and look for queries that sort or group TEXT/BLOB columns',
};

const abortedConnections: CheckDefinition = {
  name: 'aborted_connections',
  description: 'share of connection attempts that failed (bad password, timeout, packet errors)',
  unit: 'ratio',
  thresholds: [
    {
      name: 'aborted_connections_ratio',
      default: 0.03,
      unit: 'ratio',
      description: 'warn when more than this share of connection attempts failed (MySQLTuner’s 3 %)',
    },
  ],
  query: () => showStatus(['Aborted_connects', 'Aborted_clients', 'Connections']),
  evaluate: (rows) => {
    const s = statusOf(rows);
    return {
      value: share(s.aborted_connects, s.connections),
      total: 0,
      objects: [],
      extra: {
        abortedConnects: s.aborted_connects ?? null,
        abortedClients: s.aborted_clients ?? null,
        connections: s.connections ?? null,
      },
    };
  },
  verdict: above('aborted_connections_ratio'),
  reason: (e) =>
    e.value === null
      ? 'no connection attempt yet'
      : `${e.extra?.abortedConnects} of ${e.extra?.connections} connection attempts failed (${pct(e.value)}); ${e.extra?.abortedClients} connections were dropped without closing`,
  fix: () =>
    'Read the error log (log_warnings = 2) for the failing hosts and users: wrong passwords, connect_timeout, max_allowed_packet, clients that exit without closing',
};

/** MySQL's and MariaDB's checks, in the order results are reported. */
export const MYSQL_CHECKS: readonly CheckDefinition[] = [
  connections,
  longRunningQueries,
  lockWaits,
  bufferPoolHitRatio,
  replicationLag,
  autoIncrementOverflow,
  redundantIndexes,
  unusedIndexes,
  tablesWithoutPrimaryKey,
  diskTempTables,
  abortedConnections,
];
