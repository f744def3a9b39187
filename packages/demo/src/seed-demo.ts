import { type DemoDataOptions, generateDemoData } from './demo-data.js';
import { DemoSeedError } from './demo-errors.js';
import { type DemoTableName, demoConstraintStatements, demoTableStatements } from './demo-schema.js';

/** Options of `seedDemo`. */
export interface SeedDemoOptions extends DemoDataOptions {
  /** Called with (statements done, statements in all) before the first and after every statement. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Stops between statements; the promise then rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
}

/** What `seedDemo` created. */
export interface DemoSummary {
  readonly seed: number;
  /** Rows inserted per table. */
  readonly rows: Readonly<Record<DemoTableName, number>>;
  /** Statements run: tables and comments, data, foreign keys and indexes, and the closing ANALYZE. */
  readonly statements: number;
  /** Wall time from start to the end of ANALYZE. */
  readonly durationMillis: number;
}

/** Describe a statement for an error message without repeating its (long) text. */
function stepOf(sql: string): string {
  const head =
    /^(CREATE TABLE \w+|CREATE INDEX \w+|ALTER TABLE \w+|COMMENT ON (?:TABLE|COLUMN) [\w.]+|INSERT INTO \w+|SELECT setval|ANALYZE)/.exec(
      sql,
    );
  return head?.[1] ?? sql.slice(0, 40);
}

/**
 * Create the demo schema and fill it, one statement at a time through `exec` (which runs one SQL
 * statement, e.g. on a fresh PGlite database): tables and comments, data, then foreign keys and
 * indexes (validated against the data), then ANALYZE. Expects an empty database.
 *
 * @example
 * const db = new PGlite(dir);
 * const summary = await seedDemo((sql) => db.exec(sql), { onProgress: (done, total) => bar.update(done / total) });
 */
export async function seedDemo(
  exec: (sql: string) => Promise<unknown>,
  options: SeedDemoOptions = {},
): Promise<DemoSummary> {
  const started = performance.now();
  options.signal?.throwIfAborted();
  const data = await generateDemoData(options);
  const statements = [
    ...demoTableStatements(),
    ...data.statements.map((s) => s.sql),
    ...demoConstraintStatements(),
    'ANALYZE',
  ];
  options.onProgress?.(0, statements.length);
  for (const [index, sql] of statements.entries()) {
    options.signal?.throwIfAborted();
    try {
      await exec(sql);
    } catch (error) {
      throw new DemoSeedError(stepOf(sql), index, error);
    }
    options.onProgress?.(index + 1, statements.length);
  }
  return {
    seed: data.seed,
    rows: data.rows,
    statements: statements.length,
    durationMillis: performance.now() - started,
  };
}
