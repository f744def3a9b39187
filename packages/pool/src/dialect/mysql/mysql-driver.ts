import type { ConnectionConfig } from '../../connection-config.js';
import type { DatabaseConnection } from '../../driver/database-connection.js';
import type { Driver, DriverConnectOptions } from '../../driver/driver.js';
import { AbortedError } from '../../errors.js';
import { MysqlConnection } from './mysql-connection.js';
import { mapMysqlConnectError } from './mysql-errors.js';

type Mysql2 = typeof import('mysql2');
type MysqlRawConnection = import('mysql2').Connection;
type MysqlOptions = import('mysql2').ConnectionOptions;

/** Connects to MySQL and MariaDB with mysql2 (callback API: the promise wrapper adds a layer per call). */
export class MysqlDriver implements Driver {
  readonly #config: ConnectionConfig;
  #mysql: Promise<Mysql2> | undefined;

  constructor(config: ConnectionConfig) {
    this.#config = config;
  }

  get where(): string {
    const c = this.#config;
    return `mysql ${c.host ?? 'localhost'}:${c.port ?? 3306}${c.database ? `/${c.database}` : ''}`;
  }

  /** Opens a bare mysql2 connection; used for connections and for KILL QUERY. */
  async openRaw(options: DriverConnectOptions): Promise<MysqlRawConnection> {
    this.#mysql ??= import('mysql2').then((m) => (m as { default?: Mysql2 }).default ?? m);
    const mysql = await this.#mysql;
    const signal = options.signal;
    if (signal?.aborted) throw new AbortedError({ cause: signal.reason });
    const conn = mysql.createConnection(this.#options(options.timeoutMillis));
    const onAbort = () => conn.destroy();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await new Promise<void>((resolve, reject) => {
        conn.once('connect', () => resolve());
        conn.once('error', reject);
      });
    } catch (err) {
      conn.destroy();
      if (signal?.aborted) throw new AbortedError({ cause: signal.reason });
      throw mapMysqlConnectError(err, this.where);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    return conn;
  }

  async connect(options: DriverConnectOptions): Promise<DatabaseConnection> {
    const raw = await this.openRaw(options);
    return new MysqlConnection(raw, this, options.timeoutMillis, this.#config.database);
  }

  async close(): Promise<void> {}

  #options(timeoutMillis: number): MysqlOptions {
    const c = this.#config;
    const options: MysqlOptions = {
      connectTimeout: timeoutMillis,
      supportBigNumbers: true,
      // DATE, DATETIME and TIMESTAMP as the server's text (mysql2 would build Dates in the client's time
      // zone: a DATE at local midnight); TIME is text already and YEAR is made text (mysql-type-names.ts).
      dateStrings: true,
      // A Date bound as a parameter is written as its UTC wall time, whatever the client's TZ.
      timezone: 'Z',
    };
    if (c.host !== undefined) options.host = c.host;
    if (c.port !== undefined) options.port = c.port;
    if (c.user !== undefined) options.user = c.user;
    if (c.password !== undefined) options.password = c.password;
    if (c.database !== undefined) options.database = c.database;
    const mode = (c.params['ssl-mode'] ?? c.params.sslmode ?? c.params.ssl)?.toLowerCase();
    if (mode === 'required' || mode === 'require' || mode === 'true')
      options.ssl = { rejectUnauthorized: false };
    else if (mode === 'verify_ca' || mode === 'verify_identity' || mode === 'verify-full') options.ssl = {};
    return options;
  }
}
