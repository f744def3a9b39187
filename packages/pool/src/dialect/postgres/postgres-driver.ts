import type { ConnectionConfig } from '../../connection-config.js';
import type { DatabaseConnection } from '../../driver/database-connection.js';
import type { Driver, DriverConnectOptions } from '../../driver/driver.js';
import { AbortedError } from '../../errors.js';
import { INT8_ARRAY_OID, INT8_OID, mapInt8Array, parseInt8 } from './int8-values.js';
import { pgpassPassword } from './pgpass-password.js';
import { PostgresConnection } from './postgres-connection.js';
import { mapPostgresConnectError } from './postgres-errors.js';
import { PostgresTypeNames } from './postgres-type-names.js';
import { asText, TEMPORAL_ARRAY_OIDS, TEMPORAL_OIDS, TEXT_ARRAY_OID } from './temporal-values.js';

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

  /**
   * pg's own type parsers, with int8 and int8[] as aishell returns them on every engine, and date,
   * timestamp, timestamptz, interval and their arrays as the server's text (temporal-values.ts).
   */
  #typesFor(pg: PgModule): NonNullable<PgClientConfig['types']> {
    if (this.#types === undefined) {
      const textParser = (oid: number) =>
        pg.types.getTypeParser(oid as never, 'text') as (text: string) => unknown;
      const parseInt8Array = textParser(INT8_ARRAY_OID);
      const parseTextArray = textParser(TEXT_ARRAY_OID);
      const overrides = new Map<number, (text: string) => unknown>([
        [INT8_OID, parseInt8],
        [INT8_ARRAY_OID, (text: string) => mapInt8Array(parseInt8Array(text))],
        ...TEMPORAL_OIDS.map((oid) => [oid, asText] as const),
        ...TEMPORAL_ARRAY_OIDS.map((oid) => [oid, parseTextArray] as const),
      ]);
      this.#types = {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
          const own = format === 'binary' ? undefined : overrides.get(oid);
          return own ?? pg.types.getTypeParser(oid as never, format ?? 'text');
        }) as NonNullable<PgClientConfig['types']>['getTypeParser'],
      };
    }
    return this.#types as NonNullable<PgClientConfig['types']>;
  }

  /** The parsers of {@link openClient}'s clients, for pg-cursor (which would use pg's global ones). */
  get types(): PgClientConfig['types'] {
    return this.#types;
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
