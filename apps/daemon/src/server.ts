import type { Socket } from 'node:net';
import {
  loadConfig,
  redactUrl,
  resolveConnectionTarget,
  resolvePaths,
  Session,
  VaultSecrets,
} from '@aishell/engine';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { Logger } from 'pino';
import { BackupScheduler } from './backup-scheduler.js';
import { bearerMatches } from './bearer-auth.js';
import { allowlistFrom, ConnectionPolicy } from './connection-policy.js';
import { createLogger, logLevelFrom } from './create-logger.js';
import { DaemonMetrics, type QueryOutcome } from './daemon-metrics.js';
import { resolveDaemonToken } from './daemon-token.js';
import { daemonVersion } from './daemon-version.js';
import {
  DAEMON_BAD_REQUEST,
  DAEMON_BODY_TOO_LARGE,
  DAEMON_INTERNAL,
  DAEMON_NOT_FOUND,
  DAEMON_SHUTTING_DOWN,
  DAEMON_UNAUTHORIZED,
  DAEMON_UNSUPPORTED_MEDIA_TYPE,
  type ErrorReply,
  errorReply,
  replyForError,
} from './error-reply.js';
import { assertJsonDepth } from './json-body.js';
import { describeIssues, type QueryRequest, QueryRequestSchema } from './query-request.js';
import { resultsJson, toJson } from './results-json.js';
import { DEFAULT_SERVER_OPTIONS, type ServerOptions } from './server-options.js';
import { SessionCache } from './session-cache.js';

/** The daemon's fastify instance (its logger is pino). */
export type DaemonServer = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  Logger
>;

/** Secrets a request carries (the connection URL's password) plus the token: never in an answer or a log. */
function scrubberFor(connection: string | undefined, token: string): (text: string) => string {
  const secrets = new Set<string>([token]);
  if (connection) {
    try {
      const url = new URL(connection);
      const params = ['password', 'pwd', 'pass'].flatMap((name) => url.searchParams.getAll(name));
      for (const raw of [url.password, ...params]) {
        if (!raw) continue;
        secrets.add(raw);
        try {
          secrets.add(decodeURIComponent(raw));
        } catch {
          // not percent-encoded: the raw form is enough
        }
      }
    } catch {
      // a saved connection name, or a malformed URL: the pool's messages redact those themselves
    }
  }
  const list = [...secrets].filter((s) => s.length >= 3);
  return (text) => list.reduce((out, secret) => out.split(secret).join('****'), text);
}

const MALFORMED_REQUEST_BODY = JSON.stringify({
  error: { code: DAEMON_BAD_REQUEST, message: 'malformed HTTP request' },
});
/** The answer to a request Node's HTTP parser rejected (bad request line, bad header): 400, then close. */
const MALFORMED_REQUEST_ANSWER =
  'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n' +
  `Content-Length: ${Buffer.byteLength(MALFORMED_REQUEST_BODY)}\r\n\r\n${MALFORMED_REQUEST_BODY}`;

function send(reply: FastifyReply, answer: ErrorReply): FastifyReply {
  return reply.code(answer.status).type('application/json; charset=utf-8').send(toJson(answer.body));
}

/** The answer for an error fastify raised itself before a handler ran (body parsing, size). */
function frameworkReply(error: FastifyError): ErrorReply | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return errorReply(413, DAEMON_BODY_TOO_LARGE, 'request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return errorReply(415, DAEMON_UNSUPPORTED_MEDIA_TYPE, 'send the request body as application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return errorReply(400, DAEMON_BAD_REQUEST, 'request body is empty');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return errorReply(400, DAEMON_BAD_REQUEST, 'request body is not valid JSON');
    case 'DAEMON_BODY_TOO_DEEP':
      return errorReply(400, DAEMON_BAD_REQUEST, error.message);
    default:
      if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
        // Fastify's own 4xx messages describe the request's shape, never its content.
        return errorReply(error.statusCode, DAEMON_BAD_REQUEST, error.message);
      }
      return undefined;
  }
}

/**
 * Build aishelld's HTTP server (not yet listening): `GET /health`, `POST /v1/query` and `GET /metrics`.
 * Sessions are opened per connection string on first use, cached (LRU, bounded) and closed by `close()`.
 * @example
 *   const app = await buildServer({ token: 'a-long-random-token' });
 *   await app.listen({ host: '127.0.0.1', port: 0 });
 */
export async function buildServer(options: ServerOptions = {}): Promise<DaemonServer> {
  const env = options.env ?? process.env;
  const paths = options.paths ?? resolvePaths(env);
  const resolved =
    options.token === undefined ? await resolveDaemonToken({ env, file: paths.daemonTokenFile }) : undefined;
  const expectedToken = options.token ?? (resolved?.token as string);
  const logger = createLogger({
    level: options.logLevel ?? logLevelFrom(env),
    secrets: [expectedToken],
    ...(options.logDestination ? { destination: options.logDestination } : {}),
  });
  if (resolved?.source === 'created') {
    // Once, on first creation: where the token is, never the token itself.
    logger.info(
      { file: resolved.file },
      `created the daemon token file ${resolved.file} (mode 0600): send its content as "Authorization: Bearer <token>"`,
    );
  }
  // What a request may open besides saved connections and demo: read once, at start (docs/daemon.md).
  const policy = new ConnectionPolicy(options.allow ?? allowlistFrom(env, await loadConfig(paths)), { env });
  const version = daemonVersion();
  const startedAt = performance.now();

  // Saved connections whose password is in the vault: unlocked on first need without a prompt (the
  // master password from AISHELL_VAULT_PASSWORD in the daemon's environment, or the OS keychain with
  // AISHELL_VAULT_KEYCHAIN=1), then kept open, as ssh-agent keeps keys, until the daemon stops.
  const secrets = new VaultSecrets({ env, paths });
  const sessions = new SessionCache(
    async (connection) => {
      // Saved names are read afresh (one saved since the start is found); any other URL must pass the policy.
      const config = await loadConfig(paths);
      const target = resolveConnectionTarget(connection, { env, config, paths });
      const admitted = target.name === null ? await policy.admit(target.url) : connection;
      return Session.open({
        connection: admitted,
        config,
        env,
        paths,
        resolveSecret: secrets.resolve,
        ...(options.pool ? { pool: options.pool } : {}),
      });
    },
    { maxSessions: options.maxSessions ?? DEFAULT_SERVER_OPTIONS.maxSessions },
  );
  const metrics = new DaemonMetrics({
    processMetrics: options.processMetrics ?? DEFAULT_SERVER_OPTIONS.processMetrics,
    openSessions: () => sessions.size,
  });
  // The operator's backup jobs (config.json's `backups` section): checked now, scheduled once the server
  // is ready, stopped by close() (a dump in progress is stopped and its partial archive removed).
  const backupJobs = new BackupScheduler({
    jobs: (await loadConfig(paths)).backups?.jobs ?? [],
    registry: metrics.registry,
    openSession: (connection) =>
      Session.open({
        ...(connection ? { connection } : {}),
        env,
        paths,
        resolveSecret: secrets.resolve,
        history: false,
        warm: false,
      }),
    paths,
    env,
    logger,
  });

  const app = Fastify({
    loggerInstance: logger,
    // The daemon logs one line per request itself (route pattern, status, time): never a header or body.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimitBytes ?? DEFAULT_SERVER_OPTIONS.bodyLimitBytes,
    forceCloseConnections: 'idle',
    // Answered below in the daemon's own error shape instead.
    return503OnClosing: false,
    // Fastify's own handler logs the parser's error with `rawPacket`: the request's bytes, token included.
    clientErrorHandler: (error: NodeJS.ErrnoException, socket: Socket) => {
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      logger.debug({ err: { code: error.code } }, 'malformed HTTP request');
      if (socket.writable) socket.end(MALFORMED_REQUEST_ANSWER, () => socket.destroy());
      else socket.destroy();
    },
  });

  // JSON only: any other media type, or a body without one, is answered 415. The nesting is bounded
  // before the text is parsed, so no deep body reaches the validator or a driver.
  app.removeAllContentTypeParsers();
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    try {
      assertJsonDepth(body as string);
    } catch (error) {
      done(error as Error, undefined);
      return;
    }
    parseJson(request, body as string, done);
  });

  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onReady', async () => {
    await backupJobs.start();
  });
  app.addHook('onClose', async () => {
    await backupJobs.stop();
    await sessions.close();
    await secrets.close();
  });

  app.addHook('onRequest', async (_request, reply) => {
    if (closing) {
      reply.header('connection', 'close');
      return send(reply, errorReply(503, DAEMON_SHUTTING_DOWN, 'aishelld is shutting down'));
    }
    return undefined;
  });

  // A keep-alive connection would hold close() open until it times out: end each one after its answer.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.countRequest(request.method, route, reply.statusCode);
    const fields = {
      method: request.method,
      route,
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 1000) / 1000,
    };
    // Probes and scrapes come every few seconds: only at debug level, unless they fail.
    const routine = (route === '/health' || route === '/metrics') && reply.statusCode < 400;
    if (routine) request.log.debug(fields, 'request');
    else request.log.info(fields, 'request');
  });

  app.setNotFoundHandler(async (request, reply) =>
    send(
      reply,
      errorReply(404, DAEMON_NOT_FOUND, `no route ${request.method} ${request.url.split('?')[0] ?? ''}`),
    ),
  );

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const answer = frameworkReply(error);
    if (answer) return send(reply, answer);
    const scrub = scrubberFor(undefined, expectedToken);
    request.log.error(
      { err: { type: error.name, code: error.code, message: scrub(error.message) } },
      'unexpected error',
    );
    return send(
      reply,
      errorReply(500, DAEMON_INTERNAL, 'internal error in aishelld (the daemon log has the details)'),
    );
  });

  app.get('/health', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return {
      status: 'ok',
      version,
      uptimeSeconds: Math.round(performance.now() - startedAt) / 1000,
      pid: process.pid,
    };
  });

  await app.register(async (api) => {
    api.addHook('onRequest', async (request, reply) => {
      if (bearerMatches(request.headers.authorization, expectedToken)) return undefined;
      reply.header('www-authenticate', 'Bearer realm="aishelld"');
      const message = request.headers.authorization
        ? 'wrong bearer token'
        : 'missing bearer token (Authorization: Bearer <token>)';
      return send(reply, errorReply(401, DAEMON_UNAUTHORIZED, message));
    });

    api.get('/metrics', async (_request, reply) => {
      reply.type(metrics.contentType);
      return metrics.text();
    });

    api.post('/v1/query', async (request, reply) => {
      const parsed = QueryRequestSchema.safeParse(request.body);
      if (!parsed.success)
        return send(
          reply,
          errorReply(400, DAEMON_BAD_REQUEST, `invalid request body: ${describeIssues(parsed.error)}`),
        );
      return runQuery(parsed.data, request, reply);
    });
  });

  async function runQuery(
    body: QueryRequest,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply> {
    const scrub = scrubberFor(body.connection, expectedToken);
    const started = performance.now();
    // A client that hangs up cancels its statement on the server.
    const aborter = new AbortController();
    const onClose = (): void => {
      if (!reply.raw.writableFinished) aborter.abort();
    };
    reply.raw.on('close', onClose);
    const observe = (outcome: QueryOutcome): number => {
      const seconds = (performance.now() - started) / 1000;
      metrics.observeQuery(outcome, seconds);
      return Math.round(seconds * 1e6) / 1e3;
    };
    const connection = redactUrl(body.connection);
    let lease: Awaited<ReturnType<SessionCache['acquire']>> | undefined;
    try {
      lease = await sessions.acquire(body.connection);
      // Every request is its own unit (docs/daemon.md): a transaction it leaves open is rolled back, and the
      // connection's session state is reset before another client's request can use it.
      const { analysis, results, rolledBack } = await lease.session.run(body.sql, {
        ...(body.params ? { params: body.params } : {}),
        isolated: true,
        readOnly: body.readOnly ?? false,
        confirmed: body.confirm ?? false,
        ...(body.timeoutMillis ? { timeoutMillis: body.timeoutMillis } : {}),
        signal: aborter.signal,
      });
      const durationMs = observe('ok');
      request.log.info(
        {
          connection,
          statements: analysis.statements.map((s) => ({
            kind: s.kind,
            risk: s.risk,
            fingerprint: s.fingerprint,
          })),
          durationMs,
        },
        'query',
      );
      const document = resultsJson(results);
      if (rolledBack) {
        document.rolledBack = true;
        document.warning =
          'the request left a transaction open: it was rolled back (each request is its own unit)';
      }
      return reply.type('application/json; charset=utf-8').send(toJson(document));
    } catch (error) {
      const answer = replyForError(error, scrub);
      const durationMs = observe(answer.status === 422 ? 'refused' : 'error');
      if (answer.body.error.code === DAEMON_INTERNAL) {
        const e = error as { name?: unknown; code?: unknown; message?: unknown; stack?: unknown };
        request.log.error(
          {
            connection,
            err: {
              type: e.name,
              code: e.code,
              message: scrub(String(e.message)),
              stack: scrub(String(e.stack)),
            },
          },
          'query failed unexpectedly',
        );
      } else {
        request.log.info(
          { connection, status: answer.status, code: answer.body.error.code, durationMs },
          'query refused or failed',
        );
      }
      return send(reply, answer);
    } finally {
      lease?.release();
      reply.raw.off('close', onClose);
    }
  }

  return app;
}
