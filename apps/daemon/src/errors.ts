/** Base of every error aishelld raises itself; `code` is stable. */
export class DaemonError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }
}

/** A bad command-line flag of `aishelld` (exit 2). */
export class DaemonUsageError extends DaemonError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('DAEMON_USAGE', message, options);
  }
}

/** The bearer token cannot be read or created (unreadable, empty or too short token file). */
export class DaemonTokenError extends DaemonError {
  /** The token file concerned, when the token comes from a file. */
  readonly file: string | undefined;
  constructor(message: string, options?: { cause?: unknown; file?: string }) {
    super('DAEMON_TOKEN', message, options);
    this.file = options?.file;
  }
}

/** The daemon cannot listen on the requested host and port (address in use, no permission). */
export class DaemonListenError extends DaemonError {
  readonly host: string;
  readonly port: number;
  constructor(host: string, port: number, options?: { cause?: unknown }) {
    const reason = (options?.cause as { code?: unknown } | undefined)?.code;
    super(
      'DAEMON_LISTEN',
      `cannot listen on ${host}:${port}${typeof reason === 'string' ? ` (${reason})` : ''}`,
      options,
    );
    this.host = host;
    this.port = port;
  }
}

/** The daemon is shutting down and takes no new work. */
export class DaemonClosedError extends DaemonError {
  constructor() {
    super('DAEMON_SHUTTING_DOWN', 'aishelld is shutting down');
  }
}

/** The daemon's configuration (the `daemon` section of config.json, or its environment override) is invalid. */
export class DaemonConfigError extends DaemonError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('DAEMON_CONFIG', message, options);
  }
}

/**
 * A request named a URL the daemon's allowlist does not cover. One message for every refusal, so the
 * answer never tells whether a path exists, and it never echoes the URL (or its password).
 */
export class DaemonConnectionNotAllowedError extends DaemonError {
  constructor() {
    super(
      'DAEMON_CONNECTION_NOT_ALLOWED',
      'aishelld does not open this connection: it serves saved connections, demo, and the URLs and folders its configuration allows',
    );
  }
}

/** A SQLite file or PGlite database inside an allowed folder does not exist: the daemon creates none. */
export class DaemonNoSuchDatabaseError extends DaemonError {
  readonly path: string;
  constructor(kind: 'sqlite' | 'pglite', path: string) {
    super(
      'DAEMON_NO_SUCH_DATABASE',
      kind === 'sqlite'
        ? `no SQLite database file at ${path} (aishelld opens existing files only)`
        : `no PGlite database in ${path} (aishelld opens existing databases only)`,
    );
    this.path = path;
  }
}

/** A request body nested deeper than the daemon accepts (a stack overflow further on otherwise). */
export class DaemonBodyTooDeepError extends DaemonError {
  readonly statusCode = 400;
  constructor(maxDepth: number) {
    super('DAEMON_BODY_TOO_DEEP', `request body is nested deeper than ${maxDepth} levels`);
  }
}
