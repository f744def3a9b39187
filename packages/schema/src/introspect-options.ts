/**
 * Runs one query and resolves with its rows (column name -> value). The engine hands in one backed by
 * its pool (or by the one connection of a scratch copy); introspection runs a handful of catalog queries
 * concurrently, whatever the number of tables. Catalog queries pass no parameters (names are written
 * into the SQL as quoted literals), so a `run` may ignore `params`.
 */
export type SchemaRun = (
  sql: string,
  params?: unknown[],
) => Promise<{ readonly rows: readonly Record<string, unknown>[] }>;

/** Options of `introspectSchema`. */
export interface IntrospectOptions {
  /**
   * PostgreSQL: the schemas to read.
   * @default every schema but pg_catalog, information_schema, pg_toast, temporary ones and those of extensions
   */
  readonly schemas?: readonly string[];
  /**
   * MySQL/MariaDB: the database to read.
   * @default the connection's current database (`DATABASE()`)
   */
  readonly database?: string;
  /**
   * PostgreSQL: read privileges (grants to roles other than the owner) too; two models are compared on
   * them only when both were read with it.
   * @default false
   */
  readonly privileges?: boolean;
  readonly signal?: AbortSignal;
}

/** The defaults of `IntrospectOptions`. */
export const INTROSPECT_DEFAULTS = Object.freeze({ privileges: false });
