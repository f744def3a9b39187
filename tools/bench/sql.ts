// pnpm bench sql [--json]: median microseconds per analyze() call per dialect, after warm-up, and the
// time to load each parser. Baseline measured in the same run: the bare parser call on the same
// statements (libpg-query parseSync, node-sql-parser astify), so the ratio shows aishell's own cost.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { analyzeSync, loadParser, type SqlDialect } from '@aishell/sql';

const COMMON = [
  'SELECT * FROM users WHERE id = 42',
  "SELECT id, email, created_at FROM users WHERE email = 'ann@example.com' LIMIT 1",
  'SELECT u.id, u.email, o.total FROM users u JOIN orders o ON o.user_id = u.id WHERE o.total > 100 ORDER BY o.total DESC LIMIT 50',
  "SELECT count(*) FROM orders WHERE status IN ('paid', 'shipped', 'delivered') AND created_at > '2024-01-01'",
  'SELECT product_id, sum(quantity) AS qty FROM order_items GROUP BY product_id HAVING sum(quantity) > 10',
  'SELECT * FROM products WHERE category_id IN (SELECT id FROM categories WHERE parent_id = 3)',
  "INSERT INTO audit_log (user_id, action, created_at) VALUES (7, 'login', '2024-05-01 10:00:00')",
  "UPDATE users SET last_login = '2024-05-01 10:00:00' WHERE id = 7",
  'DELETE FROM sessions WHERE expires_at < 1714550400',
  'SELECT name, price FROM products ORDER BY price DESC LIMIT 10 OFFSET 20',
  'WITH recent AS (SELECT * FROM orders WHERE created_at > 1714550400) SELECT user_id, count(*) FROM recent GROUP BY user_id',
  'SELECT 1',
];

const STATEMENTS: Record<SqlDialect, string[]> = {
  postgres: [
    ...COMMON,
    'SELECT * FROM jobs WHERE state = $1 ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1',
    'INSERT INTO users (id, email) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email RETURNING id',
  ],
  mysql: [
    ...COMMON,
    'INSERT INTO counters (id, n) VALUES (1, 1) ON DUPLICATE KEY UPDATE n = n + 1',
    'SELECT * FROM `order items` WHERE `order id` = ?',
  ],
  sqlite: [
    ...COMMON,
    'INSERT OR REPLACE INTO settings (k, v) VALUES (?, ?)',
    "SELECT name FROM sqlite_master WHERE type = 'table'",
  ],
};

const WARMUP_ROUNDS = 100;
const ROUNDS = 500;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Median microseconds of one call of `fn` over every statement, after warm-up. */
function measure(statements: readonly string[], fn: (sql: string) => unknown): number {
  for (let r = 0; r < WARMUP_ROUNDS; r++) for (const s of statements) fn(s);
  const samples: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const s of statements) {
      const t0 = performance.now();
      fn(s);
      samples.push((performance.now() - t0) * 1000);
    }
  }
  return median(samples);
}

async function timeLoad(dialect: SqlDialect): Promise<number> {
  const t0 = performance.now();
  await loadParser(dialect);
  return performance.now() - t0;
}

const pgLoadMs = await timeLoad('postgres');
const mysqlLoadMs = await timeLoad('mysql');
const sqliteLoadMs = await timeLoad('sqlite');

// Baselines: the bare parsers, resolved from @aishell/sql (whose dependencies they are).
interface BareParser {
  astify(sql: string, options: { database: string }): unknown;
}
const fromSql = createRequire(fileURLToPath(import.meta.resolve('@aishell/sql/package.json')));
const pg = fromSql('libpg-query') as { loadModule(): Promise<void>; parseSync(sql: string): unknown };
await pg.loadModule();
const bare = (path: string): BareParser => new (fromSql(path) as { Parser: new () => BareParser }).Parser();
const mysqlParser = bare('node-sql-parser/build/mysql.js');
const sqliteParser = bare('node-sql-parser/build/sqlite.js');
const baselines: Record<SqlDialect, (sql: string) => unknown> = {
  postgres: (sql) => pg.parseSync(sql),
  mysql: (sql) => mysqlParser.astify(sql, { database: 'mysql' }),
  sqlite: (sql) => {
    try {
      return sqliteParser.astify(sql, { database: 'sqlite' });
    } catch {
      return undefined;
    }
  },
};

const figures: Record<string, number> = {};
for (const dialect of ['postgres', 'mysql', 'sqlite'] as const) {
  const statements = STATEMENTS[dialect];
  // Reading the fingerprint too: it is computed on first read (PostgreSQL), and part of the work.
  const analyzeUs = measure(statements, (sql) => {
    for (const s of analyzeSync(sql, dialect).statements) void s.fingerprint;
  });
  const parseUs = measure(statements, baselines[dialect]);
  const key = dialect === 'postgres' ? 'pg' : dialect;
  figures[`${key}MedianUs`] = Math.round(analyzeUs * 10) / 10;
  figures[`${key}ParseOnlyMedianUs`] = Math.round(parseUs * 10) / 10;
  console.log(
    `${dialect.padEnd(8)} analyze median ${analyzeUs.toFixed(1)} us over ${statements.length} statements; ` +
      `bare parse ${parseUs.toFixed(1)} us; ratio ${(analyzeUs / parseUs).toFixed(2)}x`,
  );
}
figures.pgLoadMs = Math.round(pgLoadMs);
figures.mysqlLoadMs = Math.round(mysqlLoadMs);
figures.sqliteLoadMs = Math.round(sqliteLoadMs);
console.log(
  `parser load: postgres ${pgLoadMs.toFixed(0)} ms, mysql ${mysqlLoadMs.toFixed(0)} ms, sqlite ${sqliteLoadMs.toFixed(0)} ms`,
);
console.log(JSON.stringify(figures));
