import { type AishellPaths, listConnections, type SchemaInfo, type Session } from '@aishell/engine';
import { FUNCTION_NAMES_QUERY } from './catalog-queries.js';
import { type Completion, complete } from './completion.js';

/** How long a Tab waits for the first schema of a connection. */
const SCHEMA_WAIT_MILLIS = 3000;
const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });

/**
 * Completion over a session: the schema is introspected in the background when the shell starts,
 * after DDL and on `\refresh` (the session caches it), the database's own functions and the saved
 * connection names beside it. Until a schema has arrived, or if it cannot be read, keywords,
 * functions and backslash commands still complete: Tab never waits for the database.
 */
export class ShellCompleter {
  #session: Session;
  readonly #paths: AishellPaths | undefined;
  #schema: SchemaInfo | undefined;
  #functions: string[] = [];
  #connections: string[] = [];
  #generation = 0;
  /** The introspection in flight, if any. */
  #loading: Promise<unknown> | undefined;

  constructor(session: Session, paths?: AishellPaths) {
    this.#session = session;
    this.#paths = paths;
  }

  /** Completes over another session (`\c`) from now on. */
  use(session: Session): void {
    this.#session = session;
    this.#schema = undefined;
    this.#functions = [];
    this.refresh();
  }

  /** Reads the schema (again, with `force`), the functions and the connection names, in the background. */
  refresh(force = false): void {
    const session = this.#session;
    const generation = ++this.#generation;
    const current = () => generation === this.#generation && session === this.#session;
    const loading = session.introspect(force ? { refresh: true } : {}).then(
      (schema) => {
        if (current()) this.#schema = schema;
      },
      () => {},
    );
    this.#loading = loading;
    void loading.finally(() => {
      if (this.#loading === loading) this.#loading = undefined;
    });
    const functions = FUNCTION_NAMES_QUERY[session.sqlDialect];
    if (functions) {
      session.pool.query(functions).then(
        (r) => {
          if (current()) this.#functions = r.rows.map((row) => String(row.name));
        },
        () => {},
      );
    }
    if (this.#paths) {
      listConnections(this.#paths).then(
        (list) => {
          this.#connections = list.map((c) => c.name);
        },
        () => {},
      );
    }
  }

  /** Resolves once the schema has been read (for tests and `\refresh`). */
  async ready(): Promise<SchemaInfo> {
    const schema = await this.#session.introspect();
    this.#schema = schema;
    return schema;
  }

  /**
   * The candidates at `cursor`. Right after the shell opens (or `\c`), before the first schema has
   * arrived, Tab waits for it a moment (at most `SCHEMA_WAIT_MILLIS`) instead of offering nothing.
   */
  complete(text: string, cursor: number): Completion | Promise<Completion> {
    const loading = this.#loading;
    if (this.#schema === undefined && loading) {
      return Promise.race([loading, sleep(SCHEMA_WAIT_MILLIS)]).then(() => this.#complete(text, cursor));
    }
    return this.#complete(text, cursor);
  }

  #complete(text: string, cursor: number): Completion {
    return complete(text, cursor, {
      dialect: this.#session.sqlDialect,
      schema: this.#schema,
      functions: this.#functions,
      connections: this.#connections,
    });
  }
}
