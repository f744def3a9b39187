import type { ConnectionConfig } from '../../connection-config.js';
import type { DatabaseConnection } from '../../driver/database-connection.js';
import type { Driver, DriverConnectOptions } from '../../driver/driver.js';
import { AbortedError } from '../../errors.js';
import { INT8_ARRAY_OID, INT8_OID, mapInt8Array, parseInt8 } from './int8-values.js';
import { pgpassPassword } from './pgpass-password.js';
import { PostgresConnection } from './postgres-connection.js';
import { mapPostgresConnectError } from './postgres-errors.js';
import { PostgresTypeNames } from './postgres-type-names.js';

type PgModule = typeof import('pg');
type PgClient = import('pg').Client;
type PgClientConfig = import('pg').ClientConfig;

/** Connects to PostgreSQL with node-postgres, loaded on first use. */
export class PostgresDriver implements Driver {
  readonly #config: ConnectionConfig;
  readonly #typeNames = new PostgresTypeNames();
  #pg: Promise<PgModule> | undefined;

  constructor(config: ConnectionConfig) {
    this.#config = config;
  }

  get where(): string {
    const c = this.#config;
    return `postgres ${c.host ?? 'localhost'}:${c.port ?? 5432}${c.database ? `/${c.database}` : ''}`;
  }

  #types: PgClientConfig['types'] | undefined;

  /** pg's own type parsers, with int8 and int8[] as aishell returns them on every engine. */
  #typesFor(pg: PgModule): NonNullable<PgClientConfig['types']> {
    this.#types ??= {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (format !== 'binary' && oid === INT8_OID) return parseInt8;
        if (format !== 'binary' && oid === INT8_ARRAY_OID) {
          const parseArray = pg.types.getTypeParser(INT8_ARRAY_OID as never, 'text') as (
            text: string,
          ) => unknown;
          return (text: string) => mapInt8Array(parseArray(text));
        }
        return pg.types.getTypeParser(oid as never, format ?? 'text');
      }) as NonNullable<PgClientConfig['types']>['getTypeParser'],
    };
    return this.#types as NonNullable<PgClientConfig['types']>;
  }

  async loadPg(): Promise<PgModule> {
    this.#pg ??= import('pg').then((m) => (m as unknown as { default?: PgModule }).default ?? m);
    return this.#pg;
  }

  clientConfig(timeoutMillis: number): PgClientConfig {
    const c = this.#config;
    const config: PgClientConfig = {
      connectionTimeoutMillis: timeoutMillis,
      application_name: c.params.application_name ?? 'aishell',
      // pg treats an undefined password as none; its types say string only.
      password: c.password ?? (async () => (await pgpassPassword(c)) as string),
    };
    if (c.host !== undefined) config.host = c.host;
    if (c.port !== undefined) config.port = c.port;
    if (c.user !== undefined) config.user = c.user;
    if (c.database !== undefined) config.database = c.database;
    const ssl = sslFor(c.params.sslmode);
    if (ssl !== undefined) config.ssl = ssl;
    return config;
  }

  /** Opens a bare pg client; used for connections and for cancel requests. */
  async openClient(options: DriverConnectOptions): Promise<PgClient> {
    const pg = await this.loadPg();
    const client = new pg.Client({ ...this.clientConfig(options.timeoutMillis), types: this.#typesFor(pg) });
    // Errors of an idle client arrive as events; without a listener Node would crash the process.
    client.on('error', () => {});
    const signal = options.signal;
    if (signal?.aborted) throw new AbortedError({ cause: signal.reason });
    const onAbort = () => void client.end().catch(() => {});
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await client.connect();
    } catch (err) {
      if (signal?.aborted) throw new AbortedError({ cause: signal.reason });
      throw mapPostgresConnectError(err, this.where);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    return client;
  }

  async connect(options: DriverConnectOptions): Promise<DatabaseConnection> {
    const client = await this.openClient(options);
    return new PostgresConnection(client, this, this.#typeNames, options.timeoutMillis);
  }

  async close(): Promise<void> {}
}

function sslFor(mode: string | undefined): PgClientConfig['ssl'] {
  switch (mode) {
    case undefined:
    case 'disable':
    case 'allow':
    case 'prefer':
      return undefined;
    case 'require':
      return { rejectUnauthorized: false };
    default:
      // verify-ca, verify-full
      return true;
  }
}
