// PostgreSQL's checks, after pghero's (lib/pghero/methods/*.rb): the same defaults and the same logic,
// each as one catalog query. Sessions are those of the current database (as pghero's), as are the
// catalog checks (PostgreSQL's catalogs are per database); connections, replication and slots are
// the cluster's.
import {
  above,
  anyObject,
  below,
  type CheckContext,
  type CheckDefinition,
  objectFixes,
  type Row,
  threshold,
} from './check-definition.js';
import { isPrivilegeError } from './database-error.js';
import { num, numbers, round, text } from './row-values.js';
import { MARKER } from './server-facts.js';
import { sqlString } from './sql-quoting.js';
import { summaryEvaluation, summaryQuery } from './summary-query.js';

/** Schemas that are the database's own or another session's temporary ones. */
const USER_SCHEMA = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast' AND NOT pg_is_other_temp_schema(n.oid)`;
const QUALIFIED = (schema: string, name: string) => `quote_ident(${schema}) || '.' || quote_ident(${name})`;
const EPOCH = (interval: string) => `extract(epoch FROM ${interval})::float8`;
const UTC = (ts: string) => `to_char(${ts} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
/** Sessions other than this run's own queries (which all carry the marker). */
const NOT_OURS = `a.pid <> pg_backend_pid() AND a.query NOT LIKE '%${MARKER}%'`;

const t = (ctx: CheckContext, name: string): number => threshold(ctx.thresholds, name) ?? 0;
const n = (v: number | null, digits = 1): string => (v === null ? '-' : String(round(v, digits)));
const pct = (v: number | null): string => (v === null ? '-' : `${round(v * 100, 1)} %`);
const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

function ratioOf(row: Row, key: string): number | null {
  return round(num(row[key]), 6);
}

const connections: CheckDefinition = {
  name: 'connections',
  description: 'client connections against max_connections',
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
  query: (ctx) => `${MARKER}
SELECT coalesce(a.usename, '') AS user_name, coalesce(a.datname, '') AS database_name,
       coalesce(a.application_name, '') AS application_name, count(*) AS connections,
       sum(count(*)) OVER () AS total_connections, count(*) OVER () AS sources,
       current_setting('max_connections')::int AS max_connections,
       current_setting('superuser_reserved_connections')::int AS reserved_connections
  FROM pg_stat_activity a
 WHERE a.backend_type = 'client backend'
 GROUP BY 1, 2, 3
 ORDER BY 4 DESC, 1, 2, 3
 LIMIT ${Math.max(1, ctx.maxObjects)}`,
  evaluate: (rows) => {
    const first = rows[0] ?? {};
    const used = num(first.total_connections) ?? 0;
    const max = num(first.max_connections);
    return {
      value: max ? round(used / max, 6) : null,
      total: num(first.sources) ?? 0,
      extra: { used, max, reserved: num(first.reserved_connections) },
      objects: rows.map((r) => ({
        user: text(r.user_name),
        database: text(r.database_name),
        application: text(r.application_name),
        connections: num(r.connections),
      })),
    };
  },
  verdict: above('connections_ratio', 'connections_critical_ratio'),
  reason: (e) =>
    `${e.extra?.used} of ${e.extra?.max} connections in use (${pct(e.value)}; ${e.extra?.reserved} reserved for superusers)`,
  fix: () =>
    'Put a pooler (PgBouncer) in front of the server or lower the applications\u2019 pool sizes; raise max_connections only with memory to spare (ALTER SYSTEM SET max_connections = ...; restart)',
};

const idleInTransaction: CheckDefinition = {
  name: 'idle_in_transaction',
  description: 'sessions idle inside an open transaction (they hold locks and stop vacuum)',
  unit: 'seconds',
  thresholds: [
    {
      name: 'idle_in_transaction_seconds',
      default: 60,
      unit: 'seconds',
      description: 'warn when a session has been idle in a transaction longer than this',
    },
  ],
  query: (ctx) =>
    summaryQuery(
      {
        candidates: `SELECT a.pid, a.usename AS user_name, a.application_name, a.client_addr::text AS client_addr, a.state,
       ${EPOCH('now() - a.state_change')} AS seconds,
       ${EPOCH('now() - a.xact_start')} AS transaction_seconds,
       left(a.query, 200) AS last_query
  FROM pg_stat_activity a
 WHERE a.state IN ('idle in transaction', 'idle in transaction (aborted)')
   AND a.datname = current_database() AND ${NOT_OURS}`,
        value: 'coalesce(max(seconds), 0)',
        where: `seconds > ${t(ctx, 'idle_in_transaction_seconds')}`,
        orderBy: 'seconds DESC',
        extra: { idle_sessions: 'count(*)' },
      },
      ctx.maxObjects,
    ),
  evaluate: (rows) =>
    summaryEvaluation(
      rows,
      (r) => ({
        pid: num(r.pid),
        user: text(r.user_name),
        application: text(r.application_name),
        clientAddr: text(r.client_addr),
        state: text(r.state),
        idleSeconds: round(num(r.seconds), 3),
        transactionSeconds: round(num(r.transaction_seconds), 3),
        lastQuery: text(r.last_query),
        fix: `SELECT pg_terminate_backend(${num(r.pid)});`,
      }),
      ['idle_sessions'],
    ),
  verdict: above('idle_in_transaction_seconds'),
  reason: (e, th) =>
    e.total > 0
      ? `${plural(e.total, 'session')} idle in transaction longer than ${th.idle_in_transaction_seconds} s; the longest ${n(e.value)} s`
      : `${plural(Number(e.extra?.idle_sessions ?? 0), 'session')} idle in transaction, none longer than ${th.idle_in_transaction_seconds} s`,
  fix: (objects) => objectFixes(objects),
};

const longRunningQueries: CheckDefinition = {
  name: 'long_running_queries',
  description: 'statements running longer than the threshold (autovacuum and WAL senders excluded)',
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
    summaryQuery(
      {
        candidates: `SELECT a.pid, a.usename AS user_name, a.application_name, a.state,
       ${EPOCH('now() - coalesce(a.query_start, a.xact_start)')} AS seconds,
       left(a.query, 200) AS query
  FROM pg_stat_activity a
 WHERE a.backend_type = 'client backend'
   AND a.state NOT IN ('idle', 'idle in transaction', 'idle in transaction (aborted)')
   AND a.datname = current_database() AND ${NOT_OURS}`,
        value: 'coalesce(max(seconds), 0)',
        where: `seconds > ${t(ctx, 'long_running_queries_seconds')}`,
        orderBy: 'seconds DESC',
      },
      ctx.maxObjects,
    ),
  evaluate: (rows) =>
    summaryEvaluation(rows, (r) => ({
      pid: num(r.pid),
      user: text(r.user_name),
      application: text(r.application_name),
      state: text(r.state),
      seconds: round(num(r.seconds), 3),
      query: text(r.query),
      fix: `SELECT pg_cancel_backend(${num(r.pid)});`,
    })),
  verdict: above('long_running_queries_seconds'),
  reason: (e, th) =>
    e.total > 0
      ? `${plural(e.total, 'statement')} running longer than ${th.long_running_queries_seconds} s; the longest ${n(e.value)} s`
      : `no statement running longer than ${th.long_running_queries_seconds} s`,
  fix: (objects) => objectFixes(objects),
};

const blockedQueries: CheckDefinition = {
  name: 'blocked_queries',
  description: 'sessions waiting for a lock, with the sessions that hold it (pg_blocking_pids)',
  unit: 'seconds',
  thresholds: [
    {
      name: 'blocked_queries_seconds',
      default: 0,
      unit: 'seconds',
      description: 'warn when a session has waited for a lock longer than this',
    },
  ],
  query: (ctx) =>
    summaryQuery(
      {
        candidates: `SELECT w.pid, w.user_name, w.query, w.seconds, w.blocking_pids,
       b.usename AS blocking_user, b.state AS blocking_state, left(b.query, 200) AS blocking_query
  FROM (SELECT a.pid, a.usename AS user_name, left(a.query, 200) AS query,
               ${EPOCH('now() - coalesce(a.query_start, a.xact_start)')} AS seconds,
               pg_blocking_pids(a.pid) AS blocking_pids
          FROM pg_stat_activity a
         WHERE a.wait_event_type = 'Lock' AND a.datname = current_database() AND ${NOT_OURS}) w
  LEFT JOIN pg_stat_activity b ON b.pid = w.blocking_pids[1]
 WHERE cardinality(w.blocking_pids) > 0`,
        value: 'coalesce(max(seconds), 0)',
        where: `seconds > ${t(ctx, 'blocked_queries_seconds')}`,
        orderBy: 'seconds DESC',
      },
      ctx.maxObjects,
    ),
  evaluate: (rows) =>
    summaryEvaluation(rows, (r) => {
      const blockers = numbers(r.blocking_pids);
      return {
        pid: num(r.pid),
        user: text(r.user_name),
        query: text(r.query),
        waitingSeconds: round(num(r.seconds), 3),
        blockingPids: blockers,
        blockingUser: text(r.blocking_user),
        blockingState: text(r.blocking_state),
        blockingQuery: text(r.blocking_query),
        fix: blockers.length ? `SELECT pg_terminate_backend(${blockers[0]});` : null,
      };
    }),
  verdict: above('blocked_queries_seconds'),
  reason: (e, th) =>
    e.total > 0
      ? `${plural(e.total, 'session')} waiting for a lock longer than ${th.blocked_queries_seconds} s; the longest ${n(e.value)} s`
      : 'no session waiting for a lock',
  fix: (objects) => {
    const fixes = [...new Set(objects.map((o) => o.fix).filter((f): f is string => typeof f === 'string'))];
    return fixes.length
      ? `End the blocking transaction (commit or roll it back), or terminate it: ${fixes.join(' ')}`
      : null;
  },
};

const transactionIdWraparound: CheckDefinition = {
  name: 'transaction_id_wraparound',
  description:
    'tables nearest to transaction ID wraparound, and tables about to get an anti-wraparound autovacuum',
  unit: 'xids',
  thresholds: [
    {
      name: 'transaction_id_wraparound_xids',
      default: 1_500_000_000,
      unit: 'xids',
      description: 'warn when a table has fewer transaction IDs than this left before wraparound',
    },
    {
      name: 'transaction_id_wraparound_critical_xids',
      default: 10_000_000,
      unit: 'xids',
      description: 'crit when a table has fewer than this left (the server stops at 1 million)',
    },
    {
      name: 'transaction_id_wraparound_autovacuum_xids',
      default: 2_000_000,
      unit: 'xids',
      description: 'warn when a table is within this many of autovacuum_freeze_max_age',
    },
  ],
  query: (ctx) =>
    summaryQuery(
      {
        candidates: `SELECT n.nspname AS schema_name, c.relname AS table_name, ${QUALIFIED('n.nspname', 'c.relname')} AS qualified_name,
       greatest(age(c.relfrozenxid), age(x.relfrozenxid)) AS xid_age,
       2146483648 - greatest(age(c.relfrozenxid), age(x.relfrozenxid)) AS xids_left,
       current_setting('autovacuum_freeze_max_age')::bigint - greatest(age(c.relfrozenxid), age(x.relfrozenxid)) AS xids_before_autovacuum
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_class x ON x.oid = c.reltoastrelid
 WHERE c.relkind IN ('r', 'm') AND NOT pg_is_other_temp_schema(n.oid)`,
        value: 'min(xids_left)',
        where: `(xids_left < ${t(ctx, 'transaction_id_wraparound_xids')} OR xids_before_autovacuum < ${t(ctx, 'transaction_id_wraparound_autovacuum_xids')})`,
        orderBy: 'xids_left, schema_name, table_name',
        extra: { oldest_age: 'max(xid_age)' },
      },
      ctx.maxObjects,
    ),
  evaluate: (rows) =>
    summaryEvaluation(
      rows,
      (r) => ({
        schema: text(r.schema_name),
        table: text(r.table_name),
        xidAge: num(r.xid_age),
        xidsLeft: num(r.xids_left),
        xidsBeforeAutovacuum: num(r.xids_before_autovacuum),
        fix: `VACUUM (FREEZE, VERBOSE) ${text(r.qualified_name)};`,
      }),
      ['oldest_age'],
    ),
  verdict: (e, th) => {
    const v = below('transaction_id_wraparound_xids', 'transaction_id_wraparound_critical_xids')(e, th);
    return v === 'ok' && e.total > 0 ? 'warn' : v;
  },
  reason: (e) =>
    e.total > 0
      ? `${plural(e.total, 'table')} near wraparound or a forced autovacuum; the nearest has ${e.value} transaction IDs left`
      : `every table has more than enough transaction IDs left (the fewest: ${e.value ?? '-'})`,
  fix: (objects) => objectFixes(objects),
};

const INT_MAX = `CASE a.atttypid WHEN 'int2'::regtype THEN 32767 WHEN 'int4'::regtype THEN 2147483647 WHEN 'int8'::regtype THEN 9223372036854775807 END`;
const INT_MIN = `CASE a.atttypid WHEN 'int2'::regtype THEN -32768 WHEN 'int4'::regtype THEN -2147483648 WHEN 'int8'::regtype THEN -9223372036854775808 END`;

const sequenceOverflow: CheckDefinition = {
  name: 'sequence_overflow',
  description:
    'sequences near their end, the end being that of the integer column they fill (int2/int4/int8)',
  unit: 'ratio',
  thresholds: [
    {
      name: 'sequence_overflow_ratio',
      default: 0.9,
      unit: 'ratio',
      description: 'warn when a sequence has used more than this share of its range',
    },
    {
      name: 'sequence_overflow_critical_ratio',
      default: 0.99,
      unit: 'ratio',
      description: 'crit above this share',
    },
  ],
  // The column a sequence fills: the one that owns it (serial, identity) or whose default calls it.
  query: (ctx) =>
    summaryQuery(
      {
        candidates: `SELECT sn.nspname AS sequence_schema, s.relname AS sequence_name, ${QUALIFIED('sn.nspname', 's.relname')} AS qualified_sequence,
       tn.nspname AS schema_name, tc.relname AS table_name, a.attname AS column_name,
       CASE WHEN tc.oid IS NULL THEN NULL ELSE ${QUALIFIED('tn.nspname', 'tc.relname')} END AS qualified_table,
       quote_ident(a.attname) AS quoted_column, format_type(a.atttypid, a.atttypmod) AS column_type,
       format_type(q.seqtypid, NULL) AS sequence_type, q.seqincrement AS increment,
       v.last_value,
       CASE WHEN q.seqincrement > 0 THEN least(q.seqmax, coalesce(${INT_MAX}, q.seqmax))
            ELSE greatest(q.seqmin, coalesce(${INT_MIN}, q.seqmin)) END AS limit_value,
       v.last_value::float8 / (CASE WHEN q.seqincrement > 0 THEN least(q.seqmax, coalesce(${INT_MAX}, q.seqmax))
            ELSE greatest(q.seqmin, coalesce(${INT_MIN}, q.seqmin)) END)::float8 AS ratio
  FROM pg_sequence q
  JOIN pg_class s ON s.oid = q.seqrelid
  JOIN pg_namespace sn ON sn.oid = s.relnamespace
  CROSS JOIN LATERAL (SELECT CASE WHEN has_sequence_privilege(s.oid, 'SELECT,USAGE')
                                  THEN pg_sequence_last_value(s.oid) END AS last_value) v
  LEFT JOIN LATERAL (
        SELECT d.refobjid AS relid, d.refobjsubid AS attnum FROM pg_depend d
         WHERE d.classid = 'pg_class'::regclass AND d.objid = s.oid AND d.refclassid = 'pg_class'::regclass
           AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0
        UNION
        SELECT ad.adrelid, ad.adnum FROM pg_depend d JOIN pg_attrdef ad ON ad.oid = d.objid
         WHERE d.classid = 'pg_attrdef'::regclass AND d.refclassid = 'pg_class'::regclass AND d.refobjid = s.oid
        LIMIT 1) o ON true
  LEFT JOIN pg_class tc ON tc.oid = o.relid
  LEFT JOIN pg_namespace tn ON tn.oid = tc.relnamespace
  LEFT JOIN pg_attribute a ON a.attrelid = o.relid AND a.attnum = o.attnum
 WHERE NOT pg_is_other_temp_schema(sn.oid) AND v.last_value IS NOT NULL`,
        value: 'coalesce(max(ratio), 0)',
        where: `ratio > ${t(ctx, 'sequence_overflow_ratio')}`,
        orderBy: 'ratio DESC, sequence_schema, sequence_name',
        extra: { sequences: 'count(*)' },
      },
      ctx.maxObjects,
    ),
  evaluate: (rows) =>
    summaryEvaluation(
      rows,
      (r) => ({
        schema: text(r.sequence_schema),
        sequence: text(r.sequence_name),
        table: text(r.table_name),
        tableSchema: text(r.schema_name),
        column: text(r.column_name),
        columnType: text(r.column_type),
        sequenceType: text(r.sequence_type),
        lastValue: num(r.last_value),
        limitValue: num(r.limit_value),
        ratio: ratioOf(r, 'ratio'),
        fix: sequenceFix(r),
      }),
      ['sequences'],
    ),
  verdict: above('sequence_overflow_ratio', 'sequence_overflow_critical_ratio'),
  reason: (e, th) =>
    e.total > 0
      ? `${plural(e.total, 'sequence')} past ${pct(th.sequence_overflow_ratio ?? null)} of their range; the fullest at ${pct(e.value)}`
      : `${plural(Number(e.extra?.sequences ?? 0), 'sequence')} in use, the fullest at ${pct(e.value)}`,
  fix: (objects) => objectFixes(objects),
};

/**
 * Widen an int2/int4 column to bigint and let its sequence run to bigint's end; a sequence of its own
 * type below bigint is widened alone; at bigint's end there is nothing as simple.
 */
function sequenceFix(r: Row): string {
  const columnType = text(r.column_type);
  const sequence = text(r.qualified_sequence);
  const table = text(r.qualified_table);
  const widenSequence = `ALTER SEQUENCE ${sequence} AS bigint NO MAXVALUE;`;
  if (table && (columnType === 'integer' || columnType === 'smallint'))
    return `ALTER TABLE ${table} ALTER COLUMN ${text(r.quoted_column)} TYPE bigint; ${widenSequence}`;
  if (text(r.sequence_type) !== 'bigint') return widenSequence;
  if ((num(r.limit_value) ?? 0) < 9.2e18) return `ALTER SEQUENCE ${sequence} NO MAXVALUE;`;
  return `Archive old rows and restart the sequence past them (ALTER SEQUENCE ${sequence} RESTART WITH ...), or move the key to uuid`;
}

const invalidIndexes: CheckDefinition = {
  name: 'invalid_indexes',
  description: 'indexes left invalid by a failed CREATE INDEX CONCURRENTLY (not those still being built)',
  unit: 'count',
  thresholds: [
    {
      name: 'invalid_indexes_count',
      default: 0,
      unit: 'count',
      description: 'warn when there are more invalid indexes than this',
    },
  ],
  query: (ctx) =>
    summaryQuery(
      {
        candidates: `SELECT n.nspname AS schema_name, tc.relname AS table_name, c.relname AS index_name,
       ${QUALIFIED('n.nspname', 'c.relname')} AS qualified_name, pg_get_indexdef(i.indexrelid) AS definition
  FROM pg_index i
  JOIN pg_class c ON c.oid = i.indexrelid
  JOIN pg_class tc ON tc.oid = i.indrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE NOT i.indisvalid AND ${USER_SCHEMA}${
   ctx.facts.versionNumber >= 120000
     ? `
   AND NOT EXISTS (SELECT 1 FROM pg_stat_progress_create_index p
                    WHERE p.index_relid = i.indexrelid
                       OR (p.relid = i.indrelid AND p.command = 'REINDEX CONCURRENTLY'))`
     : ''
 }`,
        value: 'count(*)',
        where: '1 = 1',
        orderBy: 'schema_name, table_name, index_name',
      },
      ctx.maxObjects,
    ),
  evaluate: (rows, ctx) =>
    summaryEvaluation(rows, (r) => ({
      schema: text(r.schema_name),
      table: text(r.table_name),
      index: text(r.index_name),
      definition: text(r.definition),
      fix:
        ctx.facts.versionNumber >= 120000
          ? `REINDEX INDEX CONCURRENTLY ${text(r.qualified_name)};`
          : `DROP INDEX CONCURRENTLY ${text(r.qualified_name)}; ${String(text(r.definition)).replace(/^CREATE (UNIQUE )?INDEX /, 'CREATE $1INDEX CONCURRENTLY ')};`,
    })),
  verdict: above('invalid_indexes_count'),
  reason: (e) =>
    e.total > 0
      ? `${plural(e.total, 'invalid index', 'invalid indexes')}: they are maintained on every write but never used; rebuild them once what made the build fail (such as duplicate keys) is fixed`
      : 'no invalid index',
  fix: (objects) => objectFixes(objects),
};

const invalidConstraints: CheckDefinition = {
  name: 'invalid_constraints',
  description: 'constraints added NOT VALID and never validated',
  unit: 'count',
  thresholds: [
    {
      name: 'invalid_constraints_count',
      default: 0,
      unit: 'count',
      description: 'warn when there are more unvalidated constraints than this',
    },
  ],
  query: (ctx) =>
    summaryQuery(
      {
        candidates: `SELECT n.nspname AS schema_name, tc.relname AS table_name, con.conname AS constraint_name,
       ${QUALIFIED('n.nspname', 'tc.relname')} AS qualified_table, quote_ident(con.conname) AS quoted_constraint,
       CASE con.contype WHEN 'f' THEN 'foreign key' WHEN 'c' THEN 'check' ELSE con.contype::text END AS constraint_type,
       pg_get_constraintdef(con.oid) AS definition
  FROM pg_constraint con
  JOIN pg_class tc ON tc.oid = con.conrelid
  JOIN pg_namespace n ON n.oid = tc.relnamespace
 WHERE NOT con.convalidated AND ${USER_SCHEMA}`,
        value: 'count(*)',
        where: '1 = 1',
        orderBy: 'schema_name, table_name, constraint_name',
      },
      ctx.maxObjects,
    ),
  evaluate: (rows) =>
    summaryEvaluation(rows, (r) => ({
      schema: text(r.schema_name),
      table: text(r.table_name),
      constraint: text(r.constraint_name),
      type: text(r.constraint_type),
      definition: text(r.definition),
      fix: `ALTER TABLE ${text(r.qualified_table)} VALIDATE CONSTRAINT ${text(r.quoted_constraint)};`,
    })),
  verdict: above('invalid_constraints_count'),
  reason: (e) =>
    e.total > 0
      ? `${plural(e.total, 'constraint')} not validated: rows written before they were added are unchecked`
      : 'every constraint is validated',
  fix: (objects) => objectFixes(objects),
};

const duplicateIndexes: CheckDefinition = {
  name: 'duplicate_indexes',
  description:
    'indexes whose columns are a prefix of another index on the same table (same method, expressions and predicate)',
  unit: 'count',
  thresholds: [
    {
      name: 'duplicate_indexes_count',
      default: 0,
      unit: 'count',
      description: 'warn when there are more duplicate indexes than this',
    },
  ],
  // pghero's rule on the catalog's arrays instead of the definition's text: index a is unneeded when a
  // valid index b on the same table, of the same method, expressions and predicate, starts with a's key
  // columns (same operator classes, collations and orderings) and holds a's INCLUDE columns; of two
  // identical ones the later name goes, unless the other is unique or the primary key.
  query: (ctx) =>
    summaryQuery(
      {
        candidates: `SELECT DISTINCT ON (a.indexrelid)
       a.schema_name, a.table_name, a.index_name, a.qualified_name, b.index_name AS covering_index,
       pg_get_indexdef(a.indexrelid) AS definition, pg_get_indexdef(b.indexrelid) AS covering_definition,
       pg_relation_size(a.indexrelid) AS size_bytes
  FROM (SELECT i.indexrelid, i.indrelid, c.relname AS index_name, n.nspname AS schema_name, tc.relname AS table_name,
               ${QUALIFIED('n.nspname', 'c.relname')} AS qualified_name, c.relam, i.indisprimary, i.indisunique,
               i.indnatts, i.indnkeyatts, (i.indkey::int2[])[0:i.indnkeyatts - 1] AS keys,
               (i.indclass::oid[])[0:i.indnkeyatts - 1] AS opclasses,
               (i.indcollation::oid[])[0:i.indnkeyatts - 1] AS collations,
               (i.indoption::int2[])[0:i.indnkeyatts - 1] AS options, i.indkey::int2[] AS all_columns,
               coalesce(pg_get_expr(i.indexprs, i.indrelid), '') AS exprs,
               coalesce(pg_get_expr(i.indpred, i.indrelid), '') AS pred
          FROM pg_index i
          JOIN pg_class c ON c.oid = i.indexrelid
          JOIN pg_class tc ON tc.oid = i.indrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE i.indisvalid AND i.indisready AND ${USER_SCHEMA}) a
  JOIN (SELECT i.indexrelid, i.indrelid, c.relname AS index_name, c.relam, i.indisprimary, i.indisunique,
               i.indnatts, i.indnkeyatts, (i.indkey::int2[])[0:i.indnkeyatts - 1] AS keys,
               (i.indclass::oid[])[0:i.indnkeyatts - 1] AS opclasses,
               (i.indcollation::oid[])[0:i.indnkeyatts - 1] AS collations,
               (i.indoption::int2[])[0:i.indnkeyatts - 1] AS options, i.indkey::int2[] AS all_columns,
               coalesce(pg_get_expr(i.indexprs, i.indrelid), '') AS exprs,
               coalesce(pg_get_expr(i.indpred, i.indrelid), '') AS pred
          FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
         WHERE i.indisvalid AND i.indisready) b
    ON b.indrelid = a.indrelid AND b.indexrelid <> a.indexrelid AND b.relam = a.relam
   AND b.exprs = a.exprs AND b.pred = a.pred AND b.indnkeyatts >= a.indnkeyatts
   AND b.keys[1:a.indnkeyatts] = a.keys AND b.opclasses[1:a.indnkeyatts] = a.opclasses
   AND b.collations[1:a.indnkeyatts] = a.collations AND b.options[1:a.indnkeyatts] = a.options
   AND a.all_columns <@ b.all_columns
 WHERE NOT a.indisprimary AND NOT a.indisunique
   AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = a.indexrelid)
   AND (b.keys <> a.keys OR b.indisprimary OR b.indisunique OR b.indnatts > a.indnatts OR a.index_name > b.index_name)
 ORDER BY a.indexrelid, b.indisprimary DESC, b.indisunique DESC, b.indnkeyatts, b.index_name`,
        value: 'count(*)',
        where: '1 = 1',
        orderBy: 'size_bytes DESC, schema_name, table_name, index_name',
      },
      ctx.maxObjects,
    ),
  evaluate: (rows) =>
    summaryEvaluation(rows, (r) => ({
      schema: text(r.schema_name),
      table: text(r.table_name),
      index: text(r.index_name),
      coveredBy: text(r.covering_index),
      definition: text(r.definition),
      coveringDefinition: text(r.covering_definition),
      sizeBytes: num(r.size_bytes),
      fix: `DROP INDEX CONCURRENTLY ${text(r.qualified_name)};`,
    })),
  verdict: above('duplicate_indexes_count'),
  reason: (e) =>
    e.total > 0
      ? `${plural(e.total, 'index', 'indexes')} covered by another index on the same table`
      : 'no index is covered by another',
  fix: (objects) => objectFixes(objects),
};

const unusedIndexes: CheckDefinition = {
  name: 'unused_indexes',
  description:
    'indexes never scanned since statistics were reset, above a size (unique and constraint indexes excluded)',
  unit: 'bytes',
  thresholds: [
    {
      name: 'unused_indexes_bytes',
      default: 10 * 1024 * 1024,
      unit: 'bytes',
      description: 'warn about never-scanned indexes of at least this size',
    },
  ],
  query: (ctx) =>
    summaryQuery(
      {
        candidates: `SELECT ui.schemaname AS schema_name, ui.relname AS table_name, ui.indexrelname AS index_name,
       ${QUALIFIED('ui.schemaname', 'ui.indexrelname')} AS qualified_name,
       pg_relation_size(ui.indexrelid) AS size_bytes, ui.idx_scan AS index_scans
  FROM pg_stat_user_indexes ui
  JOIN pg_index i ON i.indexrelid = ui.indexrelid
 WHERE ui.idx_scan = 0 AND NOT i.indisunique AND NOT i.indisprimary AND i.indisvalid
   AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid)`,
        value: 'coalesce(max(size_bytes), 0)',
        where: `size_bytes >= ${t(ctx, 'unused_indexes_bytes')}`,
        orderBy: 'size_bytes DESC, schema_name, table_name, index_name',
        extra: {
          stats_since: `(SELECT ${UTC('coalesce(d.stats_reset, pg_postmaster_start_time())')} FROM pg_stat_database d WHERE d.datname = current_database())`,
        },
      },
      ctx.maxObjects,
    ),
  evaluate: (rows) =>
    summaryEvaluation(
      rows,
      (r) => ({
        schema: text(r.schema_name),
        table: text(r.table_name),
        index: text(r.index_name),
        sizeBytes: num(r.size_bytes),
        indexScans: num(r.index_scans),
        fix: `DROP INDEX CONCURRENTLY ${text(r.qualified_name)};`,
      }),
      ['stats_since'],
    ),
  verdict: anyObject('warn'),
  reason: (e, th) =>
    e.total > 0
      ? `${plural(e.total, 'index', 'indexes')} of ${th.unused_indexes_bytes} bytes or more never scanned since ${e.extra?.stats_since} (check the replicas too before dropping)`
      : `no index of ${th.unused_indexes_bytes} bytes or more unscanned since ${e.extra?.stats_since}`,
  fix: (objects) => objectFixes(objects),
};

const missingIndexes: CheckDefinition = {
  name: 'missing_indexes',
  description: 'large tables read mostly by sequential scans (pghero: index use below 95 % on 10,000+ rows)',
  unit: 'ratio',
  thresholds: [
    {
      name: 'missing_indexes_ratio',
      default: 0.95,
      unit: 'ratio',
      description: 'warn when a table’s share of index scans is below this',
    },
    {
      name: 'missing_indexes_rows',
      default: 10_000,
      unit: 'count',
      description: 'only tables with at least this many (estimated) rows',
    },
  ],
  query: (ctx) =>
    summaryQuery(
      {
        candidates: `SELECT st.schemaname AS schema_name, st.relname AS table_name, st.seq_scan, st.idx_scan,
       st.n_live_tup AS estimated_rows, st.idx_scan::float8 / (st.seq_scan + st.idx_scan) AS index_use_ratio
  FROM pg_stat_user_tables st
 WHERE st.idx_scan > 0 AND st.n_live_tup >= ${t(ctx, 'missing_indexes_rows')}`,
        value: 'min(index_use_ratio)',
        where: `index_use_ratio < ${t(ctx, 'missing_indexes_ratio')}`,
        orderBy: 'estimated_rows DESC, schema_name, table_name',
      },
      ctx.maxObjects,
    ),
  evaluate: (rows) =>
    summaryEvaluation(rows, (r) => ({
      schema: text(r.schema_name),
      table: text(r.table_name),
      estimatedRows: num(r.estimated_rows),
      seqScans: num(r.seq_scan),
      indexScans: num(r.idx_scan),
      indexUseRatio: ratioOf(r, 'index_use_ratio'),
    })),
  verdict: below('missing_indexes_ratio'),
  reason: (e, th) =>
    e.total > 0
      ? `${plural(e.total, 'table')} of ${th.missing_indexes_rows}+ rows use an index for less than ${pct(th.missing_indexes_ratio ?? null)} of their scans; the lowest ${pct(e.value)}`
      : `every table of ${th.missing_indexes_rows}+ rows is read mostly through indexes`,
  fix: (objects) =>
    objects.length
      ? `Find the queries that scan ${objects.map((o) => `${o.schema}.${o.table}`).join(', ')} sequentially (pg_stat_statements, aishell advise) and index the columns they filter on`
      : null,
};

const cacheHitRatio: CheckDefinition = {
  name: 'cache_hit_ratio',
  description: 'share of table and index block reads served from shared buffers',
  unit: 'ratio',
  thresholds: [
    {
      name: 'cache_hit_ratio',
      default: 0.99,
      unit: 'ratio',
      description: 'warn when tables or indexes hit the cache less often than this',
    },
  ],
  query: () => `${MARKER}
SELECT (SELECT sum(heap_blks_hit)::float8 / nullif(sum(heap_blks_hit) + sum(heap_blks_read), 0)
          FROM pg_statio_user_tables) AS table_hit_ratio,
       (SELECT sum(idx_blks_hit)::float8 / nullif(sum(idx_blks_hit) + sum(idx_blks_read), 0)
          FROM pg_statio_user_indexes) AS index_hit_ratio`,
  evaluate: (rows, ctx) => {
    const first = rows[0] ?? {};
    const tables = ratioOf(first, 'table_hit_ratio');
    const indexes = ratioOf(first, 'index_hit_ratio');
    const known = [tables, indexes].filter((v): v is number => v !== null);
    const bar = t(ctx, 'cache_hit_ratio');
    const objects = [
      { kind: 'tables', hitRatio: tables },
      { kind: 'indexes', hitRatio: indexes },
    ].filter((o) => o.hitRatio !== null && o.hitRatio < bar);
    return {
      value: known.length ? Math.min(...known) : null,
      total: objects.length,
      objects,
      extra: { tables, indexes },
    };
  },
  verdict: below('cache_hit_ratio'),
  reason: (e) =>
    e.value === null
      ? 'no table or index has been read yet'
      : `tables hit the cache at ${pct(num(e.extra?.tables))}, indexes at ${pct(num(e.extra?.indexes))}`,
  fix: () =>
    "The working set does not fit in memory: raise shared_buffers (ALTER SYSTEM SET shared_buffers = '...'; restart) or give the server more RAM",
};

const deadTuples: CheckDefinition = {
  name: 'dead_tuples',
  description: 'tables with many dead rows not yet vacuumed, with their last (auto)vacuum',
  unit: 'ratio',
  thresholds: [
    {
      name: 'dead_tuples_ratio',
      default: 0.2,
      unit: 'ratio',
      description:
        'warn when dead rows are more than this share of a table (autovacuum’s own default scale factor)',
    },
    {
      name: 'dead_tuples_rows',
      default: 10_000,
      unit: 'count',
      description: 'only tables with at least this many dead rows',
    },
  ],
  query: (ctx) =>
    summaryQuery(
      {
        candidates: `SELECT st.schemaname AS schema_name, st.relname AS table_name, ${QUALIFIED('st.schemaname', 'st.relname')} AS qualified_name,
       st.n_dead_tup AS dead_tuples, st.n_live_tup AS live_tuples,
       st.n_dead_tup::float8 / nullif(st.n_live_tup + st.n_dead_tup, 0) AS dead_ratio,
       ${UTC('st.last_autovacuum')} AS last_autovacuum, ${UTC('st.last_vacuum')} AS last_vacuum
  FROM pg_stat_user_tables st
 WHERE st.n_dead_tup >= ${t(ctx, 'dead_tuples_rows')}`,
        value: 'coalesce(max(dead_ratio), 0)',
        where: `dead_ratio > ${t(ctx, 'dead_tuples_ratio')}`,
        orderBy: 'dead_tuples DESC, schema_name, table_name',
      },
      ctx.maxObjects,
    ),
  evaluate: (rows) =>
    summaryEvaluation(rows, (r) => ({
      schema: text(r.schema_name),
      table: text(r.table_name),
      deadTuples: num(r.dead_tuples),
      liveTuples: num(r.live_tuples),
      deadRatio: ratioOf(r, 'dead_ratio'),
      lastAutovacuum: text(r.last_autovacuum),
      lastVacuum: text(r.last_vacuum),
      fix: `VACUUM (ANALYZE) ${text(r.qualified_name)};`,
    })),
  verdict: above('dead_tuples_ratio'),
  reason: (e, th) =>
    e.total > 0
      ? `${plural(e.total, 'table')} with more than ${pct(th.dead_tuples_ratio ?? null)} dead rows; autovacuum is behind (or blocked by an old transaction)`
      : `no table of ${th.dead_tuples_rows}+ dead rows has more than ${pct(th.dead_tuples_ratio ?? null)} of them`,
  fix: (objects) => objectFixes(objects),
};

const replicationLag: CheckDefinition = {
  name: 'replication_lag',
  description: 'replay lag of this standby, or of the standbys streaming from this primary',
  unit: 'seconds',
  thresholds: [
    {
      name: 'replication_lag_seconds',
      default: 5,
      unit: 'seconds',
      description: 'warn when a standby is further behind than this',
    },
  ],
  query: (ctx) =>
    summaryQuery(
      {
        candidates: `SELECT 'this standby' AS source, NULL::text AS application_name, NULL::text AS client_addr, NULL::text AS state,
       CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE coalesce(${EPOCH('now() - pg_last_xact_replay_timestamp()')}, 0) END AS lag_seconds
 WHERE pg_is_in_recovery()
UNION ALL
SELECT 'standby', r.application_name, r.client_addr::text, r.state, coalesce(${EPOCH('r.replay_lag')}, 0)
  FROM pg_stat_replication r`,
        value: 'coalesce(max(lag_seconds), 0)',
        where: `lag_seconds > ${t(ctx, 'replication_lag_seconds')}`,
        orderBy: 'lag_seconds DESC',
        extra: { replicas: 'count(*)' },
      },
      ctx.maxObjects,
    ),
  evaluate: (rows) =>
    summaryEvaluation(
      rows,
      (r) => ({
        source: text(r.source),
        application: text(r.application_name),
        clientAddr: text(r.client_addr),
        state: text(r.state),
        lagSeconds: round(num(r.lag_seconds), 3),
      }),
      ['replicas'],
    ),
  verdict: above('replication_lag_seconds'),
  reason: (e, th) =>
    Number(e.extra?.replicas ?? 0) === 0
      ? 'not a standby, and no standby streams from this server'
      : e.total > 0
        ? `replication ${n(e.value)} s behind (more than ${th.replication_lag_seconds} s)`
        : `replication ${n(e.value)} s behind`,
  fix: () =>
    'Look at the standby: its network, disk and long queries (hot_standby_feedback, max_standby_streaming_delay); pg_stat_replication shows where it stands',
};

const inactiveReplicationSlots: CheckDefinition = {
  name: 'inactive_replication_slots',
  description: 'replication slots no one consumes (they keep WAL on disk until it fills)',
  unit: 'count',
  thresholds: [
    {
      name: 'inactive_replication_slots_count',
      default: 0,
      unit: 'count',
      description: 'warn when there are more inactive slots than this',
    },
  ],
  query: (ctx) =>
    summaryQuery(
      {
        candidates: `SELECT s.slot_name, s.slot_type, s.database AS database_name,
       pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn() ELSE pg_current_wal_lsn() END,
                       s.restart_lsn)::float8 AS retained_bytes
  FROM pg_replication_slots s
 WHERE NOT s.active`,
        value: 'count(*)',
        where: '1 = 1',
        orderBy: 'retained_bytes DESC NULLS LAST, slot_name',
      },
      ctx.maxObjects,
    ),
  evaluate: (rows) =>
    summaryEvaluation(rows, (r) => ({
      slot: text(r.slot_name),
      type: text(r.slot_type),
      database: text(r.database_name),
      retainedBytes: num(r.retained_bytes),
      fix: `SELECT pg_drop_replication_slot(${sqlString(String(text(r.slot_name)))});`,
    })),
  verdict: above('inactive_replication_slots_count'),
  reason: (e) =>
    e.total > 0
      ? `${plural(e.total, 'inactive replication slot')}: WAL piles up for them`
      : 'no inactive replication slot',
  fix: (objects) => objectFixes(objects),
};

const PG_STAT_STATEMENTS_FIX =
  "Add pg_stat_statements to shared_preload_libraries (ALTER SYSTEM SET shared_preload_libraries = '...,pg_stat_statements'), restart the server, then CREATE EXTENSION pg_stat_statements;";

const slowQueries: CheckDefinition = {
  name: 'slow_queries',
  description: 'statements called often and slow on average, from pg_stat_statements',
  unit: 'milliseconds',
  thresholds: [
    {
      name: 'slow_queries_ms',
      default: 20,
      unit: 'milliseconds',
      description: 'warn about statements at least this slow on average',
    },
    {
      name: 'slow_queries_calls',
      default: 100,
      unit: 'count',
      description: 'only statements called at least this many times',
    },
  ],
  query: (ctx) => {
    const schema = ctx.facts.settings.pg_stat_statements_schema;
    if (!schema)
      return { skip: 'pg_stat_statements is not installed in this database', fix: PG_STAT_STATEMENTS_FIX };
    // The columns were renamed in pg_stat_statements 1.8 (PostgreSQL 13).
    const [major = 0, minor = 0] = (ctx.facts.settings.pg_stat_statements_version ?? '0')
      .split('.')
      .map(Number);
    const exec = major > 1 || (major === 1 && minor >= 8) ? '_exec_time' : '_time';
    return summaryQuery(
      {
        candidates: `SELECT s.queryid::text AS query_id, left(s.query, 200) AS query, s.calls,
       s.mean${exec} AS mean_ms, s.total${exec} AS total_ms, s.rows
  FROM "${schema.replaceAll('"', '""')}".pg_stat_statements s
 WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
   AND s.calls >= ${t(ctx, 'slow_queries_calls')}`,
        value: 'coalesce(max(mean_ms), 0)',
        where: `mean_ms >= ${t(ctx, 'slow_queries_ms')}`,
        orderBy: 'total_ms DESC',
      },
      ctx.maxObjects,
    );
  },
  evaluate: (rows) =>
    summaryEvaluation(rows, (r) => ({
      queryId: text(r.query_id),
      query: text(r.query),
      calls: num(r.calls),
      meanMs: round(num(r.mean_ms), 3),
      totalMs: round(num(r.total_ms), 3),
      rows: num(r.rows),
    })),
  verdict: (e, th) => (e.value !== null && e.value >= (th.slow_queries_ms ?? Infinity) ? 'warn' : 'ok'),
  reason: (e, th) =>
    e.total > 0
      ? `${plural(e.total, 'statement')} called ${th.slow_queries_calls}+ times take ${th.slow_queries_ms} ms or more on average; the slowest ${n(e.value)} ms`
      : `no statement called ${th.slow_queries_calls}+ times averages ${th.slow_queries_ms} ms`,
  fix: () =>
    'EXPLAIN (ANALYZE, BUFFERS) the statements listed (aishell explain --analyze) and index what they filter or join on (aishell advise)',
  onError: (error) =>
    // Installed with CREATE EXTENSION but not preloaded: 55000, "must be loaded via shared_preload_libraries".
    error.code === '55000' || /shared_preload_libraries/.test(error.message)
      ? { status: 'skipped', reason: error.message, fix: PG_STAT_STATEMENTS_FIX }
      : isPrivilegeError(error)
        ? { status: 'skipped', reason: error.message, fix: 'GRANT pg_read_all_stats TO <this user>;' }
        : undefined,
};

const databaseSize: CheckDefinition = {
  name: 'database_size',
  description: 'size of the database and its largest tables (indexes and TOAST included)',
  unit: 'bytes',
  thresholds: [
    {
      name: 'database_size_bytes',
      default: null,
      unit: 'bytes',
      description: 'warn when the database is larger than this (off unless set)',
    },
  ],
  query: (ctx) =>
    summaryQuery(
      {
        candidates: `SELECT n.nspname AS schema_name, c.relname AS table_name, pg_total_relation_size(c.oid) AS size_bytes,
       c.reltuples::bigint AS estimated_rows
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'm') AND ${USER_SCHEMA}`,
        value: 'pg_database_size(current_database())',
        where: '1 = 1',
        orderBy: 'size_bytes DESC, schema_name, table_name',
      },
      ctx.maxObjects,
    ),
  evaluate: (rows) =>
    summaryEvaluation(rows, (r) => ({
      schema: text(r.schema_name),
      table: text(r.table_name),
      sizeBytes: num(r.size_bytes),
      estimatedRows: num(r.estimated_rows),
    })),
  verdict: above('database_size_bytes'),
  reason: (e) => `${e.value} bytes in ${plural(e.total, 'table')}`,
  fix: () => 'Archive or drop old data from the largest tables, or give the server more disk',
};

/** PostgreSQL's checks, in the order results are reported. */
export const POSTGRES_CHECKS: readonly CheckDefinition[] = [
  connections,
  idleInTransaction,
  longRunningQueries,
  blockedQueries,
  transactionIdWraparound,
  sequenceOverflow,
  invalidIndexes,
  invalidConstraints,
  duplicateIndexes,
  unusedIndexes,
  missingIndexes,
  cacheHitRatio,
  deadTuples,
  replicationLag,
  inactiveReplicationSlots,
  slowQueries,
  databaseSize,
];
