import {
  createPool,
  type DialectName,
  type Field,
  type Pool,
  type PoolOptions,
  parseConnectionUrl,
  type Queryable,
  type QueryResult,
  type RowStream,
  redactUrl,
  type SchemaInfo,
  type SqlDialect,
} from '@aishell/pool';
import {
  type Analysis,
  analyze,
  loadParser,
  type Risk,
  riskAtLeast,
  type StatementAnalysis,
} from '@aishell/sql';
import { type AishellConfig, loadConfig } from './config.js';
import { type ConnectionTarget, resolveConnectionTarget } from './connection-target.js';
import { ensureDemo } from './demo.js';
import { SafetyError, UsageError } from './errors.js';
import { type AishellPaths, resolvePaths } from './paths.js';

export interface OpenSessionOptions {
  /** `-c`: a saved connection name, a URL, or `demo`. Falls back as PRODUCT.md says. */
  readonly connection?: string;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** @default resolvePaths(env) */
  readonly paths?: AishellPaths;
  /** @default the config file under paths */
  readonly config?: AishellConfig;
  readonly pool?: PoolOptions;
  /** Looks up a vault entry (a saved password, or `vault:<entry>` in a URL). */
  readonly resolveSecret?: (entry: string) => Promise<string>;
  /** Progress while the demo database is created on first use. */
  readonly onDemoProgress?: (done: number, total: number) => void;
  /**
   * Start connecting, and loading the dialect's SQL parser, as soon as the session opens, in the
   * background: the two overlap instead of running one after the other on the first statement.
   * A failure here is not reported; the first statement meets it. @default true
   */
  readonly warm?: boolean;
}

/** What one statement returned. */
export interface StatementResult {
  readonly command: string;
  readonly rowCount: number;
  readonly fields: Field[];
  readonly rows: Record<string, unknown>[];
  readonly durationMs: number;
  readonly cached: boolean;
}

export interface RunOptions {
  /** Bound parameters; only for a single statement. */
  readonly params?: readonly unknown[];
  /** Run the whole input inside a read-only transaction. @default false */
  readonly readOnly?: boolean;
  /** The person already confirmed risky statements (`--yes`). @default false */
  readonly confirmed?: boolean;
  /** Asked before a high or critical statement runs when not `confirmed`; false refuses. */
  readonly confirm?: (risk: Risk, reasons: readonly string[], analysis: Analysis) => Promise<boolean>;
  /** Statement timeout per statement. */
  readonly timeoutMillis?: number;
  readonly signal?: AbortSignal;
}

export interface RunResult {
  readonly analysis: Analysis;
  readonly results: StatementResult[];
}

const RISK_ORDER: readonly Risk[] = ['low', 'medium', 'high', 'critical'];

function highestRisk(statements: readonly StatementAnalysis[]): { risk: Risk; reasons: string[] } {
  let risk: Risk = 'low';
  const reasons: string[] = [];
  for (const s of statements) {
    if (RISK_ORDER.indexOf(s.risk) > RISK_ORDER.indexOf(risk)) risk = s.risk;
    if (riskAtLeast(s.risk, 'high')) reasons.push(...s.reasons);
  }
  return { risk, reasons };
}

/** The URL with `password` in its password position (percent-encoded). */
export function withPassword(url: string, password: string): string {
  const u = new URL(url);
  u.password = encodeURIComponent(password);
  return u.toString();
}

/** One open connection target: the guarded path from text to rows. */
export class Session implements AsyncDisposable {
  readonly target: ConnectionTarget;
  readonly #pool: Pool;
  #schema: Promise<SchemaInfo> | undefined;
  #closed = false;

  private constructor(target: ConnectionTarget, pool: Pool) {
    this.target = Object.freeze({ ...target, url: redactUrl(target.url) });
    this.#pool = pool;
  }

  /** Resolve the connection (flag, env, config, demo), create the demo on first use, and open a pool. */
  static async open(options: OpenSessionOptions = {}): Promise<Session> {
    const env = options.env ?? process.env;
    const paths = options.paths ?? resolvePaths(env);
    const config = options.config ?? (await loadConfig(paths));
    const target = resolveConnectionTarget(options.connection, { env, config, paths });
    if (target.isDemo) {
      await ensureDemo(paths, options.onDemoProgress ? { onProgress: options.onDemoProgress } : {});
    }
    let url = target.url;
    const entry = target.passwordEntry ?? vaultReference(url);
    if (entry) {
      if (!options.resolveSecret) {
        throw new UsageError(`connection needs the vault entry "${entry}" but no vault is available`);
      }
      url = withPassword(url, await options.resolveSecret(entry));
    }
    const config2 = parseConnectionUrl(url, { env });
    const pool = createPool(config2, options.pool);
    if (options.warm !== false) {
      pool.warm();
      loadParser(pool.sqlDialect).catch(() => {}); // analyze() loads it again and reports the error
    }
    return new Session(target, pool);
  }

  get dialect(): DialectName {
    return this.#pool.dialect;
  }

  get sqlDialect(): SqlDialect {
    return this.#pool.sqlDialect;
  }

  /** The pool under this session (for counters and for callers that need a raw connection). */
  get pool(): Pool {
    return this.#pool;
  }

  /** Classify a script in this connection's dialect without running it. */
  analyze(sql: string, options: { signal?: AbortSignal } = {}): Promise<Analysis> {
    return analyze(sql, this.sqlDialect, options);
  }

  /** Check that the server answers. */
  ping(options: { signal?: AbortSignal } = {}): Promise<void> {
    return this.#pool.ping(options);
  }

  /**
   * Analyse, guard, then run every statement of `sql`. A high or critical statement runs only when
   * confirmed; otherwise a SafetyError is thrown and nothing is sent.
   */
  async run(sql: string, options: RunOptions = {}): Promise<RunResult> {
    const analysis = await this.analyze(sql, options.signal ? { signal: options.signal } : {});
    const statements = analysis.statements;
    if (statements.length === 0) throw new UsageError('no SQL statement to run');
    if (options.params && options.params.length > 0 && statements.length > 1) {
      throw new UsageError('parameters can only be bound to a single statement');
    }
    await this.#guard(analysis, options);
    const queryOptions = {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.timeoutMillis ? { timeoutMillis: options.timeoutMillis } : {}),
    };
    const runAll = async (conn: Queryable): Promise<StatementResult[]> => {
      const results: StatementResult[] = [];
      for (const statement of statements) {
        const started = performance.now();
        const r: QueryResult = await conn.query(statement.text, options.params ?? [], queryOptions);
        results.push({
          command: r.command,
          rowCount: r.rowCount,
          fields: r.fields,
          rows: r.rows,
          durationMs: Math.round((performance.now() - started) * 1000) / 1000,
          cached: false,
        });
      }
      return results;
    };
    let results: StatementResult[];
    if (options.readOnly) {
      results = await this.#pool.transaction(runAll, {
        readOnly: true,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } else if (statements.length === 1) {
      results = await runAll(this.#pool);
    } else {
      // One connection for the whole script, so SET, BEGIN ... COMMIT and temp tables behave as in psql.
      results = await this.#pool.withConnection(runAll, options.signal ? { signal: options.signal } : {});
    }
    if (statements.some((s) => s.kind === 'ddl')) this.#schema = undefined;
    return { analysis, results };
  }

  /**
   * Stream the rows of one read statement in bounded memory (for ndjson/csv output of large results).
   * The statement passes the same analysis and guard as `run`.
   */
  async stream(sql: string, options: RunOptions = {}): Promise<{ analysis: Analysis; rows: RowStream }> {
    const analysis = await this.analyze(sql, options.signal ? { signal: options.signal } : {});
    const [statement] = analysis.statements;
    if (analysis.statements.length !== 1 || !statement)
      throw new UsageError('streaming takes exactly one statement');
    await this.#guard(analysis, options);
    const rows = this.#pool.stream(statement.text, options.params ?? [], {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.timeoutMillis ? { timeoutMillis: options.timeoutMillis } : {}),
    });
    return { analysis, rows };
  }

  /** The connection's schema, introspected once and cached until DDL runs through this session or `refresh`. */
  introspect(options: { refresh?: boolean; signal?: AbortSignal } = {}): Promise<SchemaInfo> {
    if (options.refresh || !this.#schema) {
      const pending = this.#pool.introspect(options.signal ? { signal: options.signal } : {});
      this.#schema = pending;
      pending.catch(() => {
        if (this.#schema === pending) this.#schema = undefined;
      });
      return pending;
    }
    return this.#schema;
  }

  async #guard(analysis: Analysis, options: RunOptions): Promise<void> {
    const { risk, reasons } = highestRisk(analysis.statements);
    if (!riskAtLeast(risk, 'high') || options.confirmed) return;
    if (options.confirm && (await options.confirm(risk, reasons, analysis))) return;
    throw new SafetyError(risk, reasons);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** `vault:<entry>` standing in a URL's password position names a vault entry. */
function vaultReference(url: string): string | undefined {
  let password: string;
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    return undefined;
  }
  return password.startsWith('vault:') ? password.slice('vault:'.length) : undefined;
}
