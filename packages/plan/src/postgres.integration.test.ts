// Plans captured from a real PostgreSQL by the tests themselves: tables made to show each problem,
// EXPLAIN through pg (FORMAT JSON) and through psql (the text people paste), auto_explain's entries.
import { spawnSync } from 'node:child_process';
import { pgUrl } from '@aishell/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzePlan } from './analyze-plan.js';
import { parsePlan } from './parse-plan.js';
import type { AnalyzedPlan, FindingCode, PlanNode } from './types.js';

const schema = `plan_it_${process.pid}`;
let url = '';
let client: pg.Client;
const notices: string[] = [];

// psql comes with PostgreSQL's client package; a developer without it skips these, CI never does.
const hasPsql = spawnSync('psql', ['--version']).status === 0;
if (!hasPsql && process.env.CI === 'true')
  throw new Error('psql is not on PATH: under CI=true this is a failure');

beforeAll(async () => {
  url = await pgUrl();
  client = new pg.Client({ connectionString: url });
  client.on('notice', (n) => notices.push(n.message ?? ''));
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.query(`SET search_path = ${schema}`);
  await client.query(`
    CREATE TABLE customers (id int PRIMARY KEY, name text);
    INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 50000) g;
    CREATE TABLE orders (id int, customer_id int, total numeric, note text);
    INSERT INTO orders SELECT g, (g * 7) % 50000 + 1, g % 1000, md5(g::text) FROM generate_series(1, 200000) g;
    ANALYZE customers, orders;
  `);
}, 120_000);

afterAll(async () => {
  await client?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client?.end();
});

/** EXPLAIN (..., FORMAT JSON) through pg, with settings for this statement only. */
async function explain(
  sql: string,
  settings: Record<string, string> = {},
  options = 'ANALYZE, BUFFERS',
): Promise<AnalyzedPlan> {
  await client.query('BEGIN');
  try {
    await client.query("SET LOCAL max_parallel_workers_per_gather = '0'");
    for (const [k, v] of Object.entries(settings)) await client.query(`SET LOCAL ${k} = '${v}'`);
    const { rows } = await client.query(`EXPLAIN (${options}, FORMAT JSON) ${sql}`);
    return analyzePlan(parsePlan(rows));
  } finally {
    await client.query('COMMIT');
  }
}

/** psql's output for statements run in one session (argv, never a shell string). */
function psql(statements: string[], args: string[] = []): string {
  const u = new URL(url);
  const result = spawnSync(
    'psql',
    [
      '-X',
      '-v',
      'ON_ERROR_STOP=1',
      '-h',
      u.hostname,
      '-p',
      u.port || '5432',
      '-U',
      decodeURIComponent(u.username) || 'postgres',
      '-d',
      decodeURIComponent(u.pathname.slice(1)),
      ...args,
      ...statements.flatMap((s) => ['-c', s]),
    ],
    {
      encoding: 'utf8',
      env: {
        ...process.env,
        PGPASSWORD: decodeURIComponent(u.password),
        PGOPTIONS: `-c search_path=${schema} -c max_parallel_workers_per_gather=0`,
      },
    },
  );
  if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
  return result.stdout;
}

function nodes(plan: AnalyzedPlan): PlanNode[] {
  const out: PlanNode[] = [];
  const walk = (n: PlanNode): void => {
    out.push(n);
    n.children.forEach(walk);
  };
  walk(plan.root);
  return out;
}

function found(plan: AnalyzedPlan, code: FindingCode): { node: PlanNode; level: string; message: string }[] {
  const all = nodes(plan);
  return plan.findings
    .filter((f) => f.code === code)
    .map((f) => ({ node: all.find((n) => n.id === f.node) as PlanNode, level: f.level, message: f.message }));
}

/** What the JSON and the text form of one plan must agree on (not times, which differ per run). */
function structure(n: PlanNode, analyzed: boolean): unknown {
  return {
    nodeType: n.nodeType,
    relation: n.relation,
    index: n.index,
    alias: n.alias ?? null,
    parentRelationship: n.parentRelationship ?? null,
    subplanName: n.subplanName ?? null,
    joinType: n.joinType ?? null,
    strategy: n.strategy ?? null,
    estimatedRows: n.estimatedRows,
    startupCost: n.startupCost,
    totalCost: n.totalCost,
    filter: n.filter ?? null,
    ...(analyzed
      ? { actualRows: n.actualRows, loops: n.loops, rowsRemovedByFilter: n.rowsRemovedByFilter ?? null }
      : {}),
    children: n.children.map((c) => structure(c, analyzed)),
  };
}

const COMPLEX = `
  WITH spend AS MATERIALIZED (SELECT customer_id, sum(total) AS spent FROM orders GROUP BY customer_id)
  SELECT c.name, s.spent, (SELECT max(c2.id) FROM customers c2 WHERE c2.id < c.id) AS previous
  FROM customers c JOIN spend s ON s.customer_id = c.id
  WHERE s.spent > (SELECT avg(spent) FROM spend) AND c.name LIKE 'customer 1%'
  ORDER BY s.spent DESC, c.id LIMIT 20`;

describe('PostgreSQL plans captured from the server', () => {
  it('MISESTIMATE: a table whose statistics are stale (autovacuum off, rows added after ANALYZE)', async () => {
    await client.query(`
      CREATE TABLE stale (id int, status text) WITH (autovacuum_enabled = off);
      INSERT INTO stale SELECT g, 'new' FROM generate_series(1, 100) g;
      ANALYZE stale;
      INSERT INTO stale SELECT g, 'done' FROM generate_series(101, 100100) g;
    `);
    const plan = await explain("SELECT * FROM stale WHERE status = 'done'");
    const [mis] = found(plan, 'MISESTIMATE');
    expect(mis?.node).toMatchObject({ nodeType: 'Seq Scan', relation: 'stale', actualRows: 100000 });
    expect(mis?.level).toBe('crit');
    expect(plan.suggestions).toContainEqual(
      expect.objectContaining({ kind: 'analyze', table: 'stale', sql: 'ANALYZE stale;', node: mis?.node.id }),
    );
    expect(plan.summary).toContain('ANALYZE stale');

    await client.query('ANALYZE stale');
    expect(found(await explain("SELECT * FROM stale WHERE status = 'done'"), 'MISESTIMATE')).toEqual([]);
  });

  it('DISK_SORT: a sort under work_mem = 64kB goes to disk', async () => {
    const plan = await explain('SELECT * FROM orders ORDER BY note', { work_mem: '64kB' });
    const [disk] = found(plan, 'DISK_SORT');
    expect(disk?.node).toMatchObject({ nodeType: 'Sort', sortSpaceType: 'Disk', sortKey: ['note'] });
    expect(disk?.node.sortMethod).toMatch(/external/);
    expect(disk?.node.buffers?.tempWritten).toBeGreaterThan(0);
    const suggestion = plan.suggestions.find((s) => s.kind === 'work_mem');
    expect(suggestion?.sql).toMatch(/^SET work_mem = '\d+MB';$/);
    // The suggested work_mem really keeps the sort in memory.
    const mb = /'(\d+)MB'/.exec(suggestion?.sql ?? '')?.[1];
    const again = await explain('SELECT * FROM orders ORDER BY note', { work_mem: `${mb}MB` });
    expect(found(again, 'DISK_SORT')).toEqual([]);
  });

  it('SEQ_SCAN_LARGE and FILTER_REMOVES_ROWS: a missing index, and the index that fixes it', async () => {
    const plan = await explain('SELECT * FROM orders WHERE customer_id = 42');
    const [scan] = found(plan, 'SEQ_SCAN_LARGE');
    expect(scan?.node).toMatchObject({
      nodeType: 'Seq Scan',
      relation: 'orders',
      filter: '(customer_id = 42)',
    });
    expect(found(plan, 'FILTER_REMOVES_ROWS')[0]?.level).toBe('crit');
    const index = plan.suggestions.find((s) => s.kind === 'index');
    expect(index).toMatchObject({
      table: 'orders',
      columns: ['customer_id'],
      sql: 'CREATE INDEX ON orders (customer_id);',
    });
    expect(plan.summary).toMatch(/Most of the time goes to Seq Scan on orders \[0\]/);

    await client.query(index?.sql ?? '');
    const after = await explain('SELECT * FROM orders WHERE customer_id = 42');
    expect(after.root.nodeType).not.toBe('Seq Scan');
    expect(found(after, 'SEQ_SCAN_LARGE')).toEqual([]);
    await client.query('DROP INDEX orders_customer_id_idx');
  });

  it('HASH_BATCHES: a hash join whose hash does not fit in work_mem', async () => {
    const plan = await explain('SELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.customer_id', {
      work_mem: '64kB',
    });
    const [batches] = found(plan, 'HASH_BATCHES');
    expect(batches?.node.nodeType).toBe('Hash');
    expect(batches?.node.hashBatches).toBeGreaterThan(1);
    expect(plan.suggestions.some((s) => s.kind === 'work_mem' && s.node === batches?.node.id)).toBe(true);
  });

  it('NESTED_LOOP_MANY: a nested loop over tens of thousands of outer rows', async () => {
    const plan = await explain(
      'SELECT count(*) FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id < 30000',
      { enable_hashjoin: 'off', enable_mergejoin: 'off', enable_memoize: 'off' },
    );
    const [loop] = found(plan, 'NESTED_LOOP_MANY');
    expect(loop?.node.nodeType).toBe('Nested Loop');
    expect(loop?.level).toBe('warn');
    expect(loop?.message).toMatch(
      /runs its inner side \(Index (Only )?Scan on customers using customers_pkey\) 29,999 times/,
    );
  });

  it('HEAP_FETCHES: an index-only scan on a table never vacuumed, and VACUUM clearing it', async () => {
    await client.query(`
      CREATE TABLE vm (id int) WITH (autovacuum_enabled = off);
      INSERT INTO vm SELECT generate_series(1, 50000);
      CREATE INDEX vm_id ON vm (id);
      ANALYZE vm;
    `);
    const settings = { enable_seqscan: 'off', enable_bitmapscan: 'off' };
    const plan = await explain('SELECT id FROM vm WHERE id < 40000', settings);
    const [fetches] = found(plan, 'HEAP_FETCHES');
    expect(fetches?.node).toMatchObject({ nodeType: 'Index Only Scan', index: 'vm_id', heapFetches: 39999 });
    expect(fetches?.level).toBe('crit');
    expect(plan.suggestions).toContainEqual(expect.objectContaining({ kind: 'vacuum', sql: 'VACUUM vm;' }));
    await client.query('VACUUM vm');
    expect(found(await explain('SELECT id FROM vm WHERE id < 40000', settings), 'HEAP_FETCHES')).toEqual([]);
  });

  it('WORKERS_NOT_LAUNCHED: a parallel plan when no worker may start', async () => {
    const plan = await explain('SELECT count(*) FROM orders', {
      max_parallel_workers_per_gather: '2',
      max_parallel_workers: '0',
      parallel_setup_cost: '0',
      parallel_tuple_cost: '0',
      min_parallel_table_scan_size: '0',
    });
    const [workers] = found(plan, 'WORKERS_NOT_LAUNCHED');
    expect(workers?.node).toMatchObject({ nodeType: 'Gather', workersPlanned: 2, workersLaunched: 0 });
    expect(workers?.level).toBe('crit');
  });

  it('counts a parallel scan once: its exclusive time fits inside the Gather', async () => {
    const plan = await explain('SELECT count(*) FROM orders WHERE total > 10', {
      max_parallel_workers_per_gather: '2',
      parallel_setup_cost: '0',
      parallel_tuple_cost: '0',
      min_parallel_table_scan_size: '0',
    });
    const gather = nodes(plan).find((n) => n.nodeType === 'Gather');
    expect(gather).toBeDefined();
    const below = nodes(plan).filter((n) => n.workers !== undefined);
    expect(below.length).toBeGreaterThan(0);
    for (const n of below) expect(n.inclusiveMs ?? 0).toBeLessThanOrEqual((gather?.inclusiveMs ?? 0) + 0.01);
  });

  it('exclusive times of a plan with a CTE, InitPlans and a SubPlan add up to its total', async () => {
    const plan = await explain(COMPLEX);
    const all = nodes(plan);
    expect(all.map((n) => n.parentRelationship)).toEqual(expect.arrayContaining(['InitPlan', 'SubPlan']));
    expect(all.some((n) => n.subplanName === 'CTE spend')).toBe(true);
    const sum = all.reduce((s, n) => s + (n.exclusiveMs ?? 0), 0);
    expect(all.every((n) => (n.exclusiveMs ?? 0) >= 0)).toBe(true);
    expect(sum).toBeGreaterThan((plan.root.inclusiveMs ?? 0) * 0.9);
    expect(sum).toBeLessThanOrEqual((plan.root.inclusiveMs ?? 0) + 0.05);
  });
});

describe.skipIf(!hasPsql)('text plans as psql prints them, against the JSON of the same query', () => {
  const queries = {
    'a join with a filter and a sort':
      'SELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.total > 990 ORDER BY o.id',
    'a CTE, InitPlans and a SubPlan': COMPLEX,
    'an aggregate over a missing index':
      'SELECT customer_id, count(*) FROM orders WHERE customer_id < 100 GROUP BY customer_id',
  };

  it.each(Object.entries(queries))(
    'EXPLAIN without ANALYZE: %s parses to the same tree',
    async (_name, sql) => {
      const json = await explain(sql, {}, 'COSTS');
      const text = analyzePlan(parsePlan(psql([`EXPLAIN ${sql}`])));
      expect(text.format).toBe('postgres-text');
      expect(structure(text.root, false)).toEqual(structure(json.root, false));
    },
  );

  it.each(Object.entries(queries))(
    'EXPLAIN ANALYZE: %s has the same nodes, rows and loops',
    async (_name, sql) => {
      const json = await explain(sql, {}, 'ANALYZE');
      const text = analyzePlan(parsePlan(psql([`EXPLAIN (ANALYZE) ${sql}`])));
      expect(structure(text.root, true)).toEqual(structure(json.root, true));
      expect(text.executionMs).toBeGreaterThan(0);
      expect(text.root.inclusiveMs).toBeGreaterThan(0);
    },
  );

  it("reads psql's wrapped, unicode and bordered output as the aligned one", () => {
    const sql = `EXPLAIN (ANALYZE, BUFFERS) ${queries['a CTE, InitPlans and a SubPlan']}`;
    const aligned = structure(parsePlan(psql([sql])).root as PlanNode, true);
    for (const args of [
      ['-P', 'format=wrapped', '-P', 'columns=60'],
      ['-P', 'format=wrapped', '-P', 'columns=50', '-P', 'linestyle=unicode'],
      ['-P', 'border=2'],
      ['-P', 'border=2', '-P', 'linestyle=unicode', '-P', 'format=wrapped', '-P', 'columns=70'],
    ]) {
      const plan = parsePlan(psql([sql], args));
      expect(structure(plan.root as PlanNode, true), args.join(' ')).toEqual(aligned);
    }
  });

  it("reads psql's FORMAT JSON output (its '+' marks), also wrapped", async () => {
    const sql = `EXPLAIN (FORMAT JSON) ${queries['a join with a filter and a sort']}`;
    const json = await explain(queries['a join with a filter and a sort'], {}, 'COSTS');
    for (const args of [[], ['-P', 'format=wrapped', '-P', 'columns=40']]) {
      const plan = analyzePlan(parsePlan(psql([sql], args)));
      expect(plan.format).toBe('postgres-json');
      expect(structure(plan.root, false)).toEqual(structure(json.root, false));
    }
  });

  it('SET work_mem before EXPLAIN in one psql session: DISK_SORT from the text plan', () => {
    const out = psql([
      "SET work_mem = '64kB'",
      'EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM orders ORDER BY note',
    ]);
    const plan = analyzePlan(parsePlan(out));
    expect(plan.findings.map((f) => f.code)).toContain('DISK_SORT');
    expect(plan.root.buffers?.tempWritten).toBeGreaterThan(0);
  });
});

describe('auto_explain entries', () => {
  // The server writes a multi-line message with a tab after each newline, after its log_line_prefix
  // (here '%m [%p] %q%u@%d ', this machine's); the client receives the same message as a notice.
  const asLogEntry = (message: string): string =>
    [
      '2026-12-02 18:09:58.001 UTC [1455] postgres@aishell_test LOG:  statement: SELECT 1',
      `2026-12-02 18:09:59.389 UTC [1455] postgres@aishell_test LOG:  ${message.replaceAll('\n', '\n\t')}`,
      '2026-12-02 18:09:59.390 UTC [1455] postgres@aishell_test LOG:  disconnection: session time: 0:00:01.2',
    ].join('\n');

  async function logged(sql: string, format: 'text' | 'json'): Promise<string> {
    notices.length = 0;
    await client.query('BEGIN');
    try {
      await client.query("LOAD 'auto_explain'");
      await client.query("SET LOCAL max_parallel_workers_per_gather = '0'");
      await client.query("SET LOCAL auto_explain.log_min_duration = '0'");
      await client.query("SET LOCAL auto_explain.log_analyze = 'on'");
      await client.query(`SET LOCAL auto_explain.log_format = '${format}'`);
      await client.query("SET LOCAL client_min_messages = 'log'");
      await client.query(sql);
    } finally {
      await client.query('COMMIT');
    }
    const entry = notices.find((n) => n.includes('plan:') && n.includes(sql.slice(0, 20)));
    if (!entry) throw new Error(`no auto_explain notice among ${JSON.stringify(notices)}`);
    return entry;
  }

  it.each(['text', 'json'] as const)(
    'reads a %s entry from a server log as the plan EXPLAIN ANALYZE gives',
    async (format) => {
      const sql = 'SELECT customer_id, count(*) FROM orders WHERE customer_id < 100 GROUP BY customer_id';
      const plan = analyzePlan(parsePlan(asLogEntry(await logged(sql, format))));
      const json = await explain(sql, {}, 'ANALYZE');
      expect(plan.format).toBe(format === 'text' ? 'postgres-text' : 'postgres-json');
      expect(plan.queryText).toBe(sql);
      expect(structure(plan.root, true)).toEqual(structure(json.root, true));
      expect(plan.findings.map((f) => f.code)).toContain('SEQ_SCAN_LARGE');
    },
  );

  it('reads the notice as a client shows it', async () => {
    const sql = 'SELECT count(*) FROM customers WHERE name LIKE $$customer 9%$$';
    const plan = parsePlan(`LOG:  ${await logged(sql, 'text')}`);
    expect(plan.root.nodeType).toBe('Aggregate');
    expect(plan.root.children[0]).toMatchObject({ nodeType: 'Seq Scan', relation: 'customers' });
  });
});
