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
