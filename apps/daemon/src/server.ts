import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import path from 'node:path';
import {
  type Analysis,
  analyze,
  ask,
  explain,
  health,
  isCacheable,
  loadConfig,
  loadLiveMetrics,
  openCache,
  planDocument,
  type RunResult,
  redactUrl,
  resolveConnectionTarget,
  resolvePaths,
  resolveRedisUrl,
  Session,
  type SqlDialect,
  statementDocument,
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
import { bearerMatcher } from './bearer-auth.js';
import { allowlistFrom, ConnectionPolicy } from './connection-policy.js';
import { createLogger, logLevelFrom } from './create-logger.js';
import {
  DaemonMetrics,
  type PoolFigures,
  type QueryOutcome,
  type StatementSample,
} from './daemon-metrics.js';
import { resolveDaemonToken } from './daemon-token.js';
import { daemonVersion } from './daemon-version.js';
import {
  DAEMON_BAD_REQUEST,
  DAEMON_BODY_TOO_LARGE,
  DAEMON_INTERNAL,
  DAEMON_NOT_FOUND,
  DAEMON_SHUTTING_DOWN,
  DAEMON_TIMEOUT,
  DAEMON_UNAUTHORIZED,
  DAEMON_UNSUPPORTED_MEDIA_TYPE,
  type ErrorReply,
  errorReply,
  replyForError,
} from './error-reply.js';
import { DaemonConfigError } from './errors.js';
import { assertJsonDepth } from './json-body.js';
import { isLoopbackHost } from './listen-address.js';
import { describeIssues, type QueryRequest, QueryRequestSchema } from './query-request.js';
import { resultsJson, toJson } from './results-json.js';
import {
  AnalyzeRequestSchema,
  AskRequestSchema,
  ExplainRequestSchema,
  HealthRequestSchema,
  MetricsQuerySchema,
  openApiDocument,
} from './route-schemas.js';
import { DEFAULT_SERVER_OPTIONS, type ServerOptions } from './server-options.js';
import { SessionCache, type SessionLease } from './session-cache.js';

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
  const tokenMatches = bearerMatcher(expectedToken);
  // On an address other machines reach, the token is the only protection: it must have been set up
  // beforehand (AISHELL_DAEMON_TOKEN or an existing token file), never invented by this start.
  if (options.host !== undefined && !isLoopbackHost(options.host) && resolved?.source === 'created') {
    throw new DaemonConfigError(
      `aishelld does not listen on ${options.host} (not a loopback address) without a token set up beforehand: ` +
        `set AISHELL_DAEMON_TOKEN, or keep the token file just created at ${resolved.file} and start again`,
    );
  }
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
  // Set below, once the metrics exist: a closing session's cache counters stay in the totals.
  let onSessionClose: (session: Session) => void = () => {};
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
    {
      maxSessions: options.maxSessions ?? DEFAULT_SERVER_OPTIONS.maxSessions,
      onClose: (session) => onSessionClose(session),
    },
  );
  const metrics = new DaemonMetrics({
    live: await loadLiveMetrics(),
    processMetrics: options.processMetrics ?? DEFAULT_SERVER_OPTIONS.processMetrics,
    ...(options.maxFingerprints === undefined ? {} : { maxFingerprints: options.maxFingerprints }),
    openSessions: () => sessions.size,
    pools: () => sessions.opened().map(({ session }) => poolFigures(session)),
    cacheStats: () => sessions.opened().flatMap(({ session }) => session.cacheStats ?? []),
  });
  onSessionClose = (session) => metrics.retireCacheStats(session.cacheStats);
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
  // GET /ready asks Redis through a cache of its own, opened on the first probe (when one is configured).
  let readyCache: ReturnType<typeof openCache> | undefined;
  const requestTimeoutMillis = options.requestTimeoutMillis ?? DEFAULT_SERVER_OPTIONS.requestTimeoutMillis;
  const openapi = openApiDocument(version);

  const app = Fastify({
    loggerInstance: logger,
    // The daemon logs one line per request itself (route pattern, status, time): never a header or body.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimitBytes ?? DEFAULT_SERVER_OPTIONS.bodyLimitBytes,
    // A client that takes longer than this to send its request is answered 408 by Node.
    requestTimeout: DEFAULT_SERVER_OPTIONS.receiveTimeoutMillis,
    // A client's own X-Request-Id when it is a plain token, else a fresh UUID: in every log line of the request.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[A-Za-z0-9._:-]{1,64}$/.test(given) ? given : randomUUID();
    },
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
    if (readyCache) await (await readyCache.catch(() => undefined))?.close().catch(() => {});
  });

  // The hooks every request passes take fastify's callback form: no promise per hook and request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    if (!closing) return done();
    reply.header('connection', 'close');
    send(reply, errorReply(503, DAEMON_SHUTTING_DOWN, 'aishelld is shutting down'));
  });

  // A keep-alive connection would hold close() open until it times out: end each one after its answer.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });

  app.addHook('onResponse', (request, reply, done) => {
    done();
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.countRequest(request.method, route, reply.statusCode);
    const fields = {
      method: request.method,
      route,
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 1000) / 1000,
    };
    // Probes and scrapes come every few seconds: only at debug level, unless they fail.
    const routine =
      (route === '/health' || route === '/ready' || route === '/metrics') && reply.statusCode < 400;
    if (routine) request.log.debug(fields, 'request');
    else request.log.info(fields, 'request');
  });

  app.setNotFoundHandler(async (request, reply) =>
    fail(
      reply,
      errorReply(404, DAEMON_NOT_FOUND, `no route ${request.method} ${request.url.split('?')[0] ?? ''}`),
    ),
  );

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const answer = frameworkReply(error);
    if (answer) return fail(reply, answer);
    const scrub = scrubberFor(undefined, expectedToken);
    request.log.error(
      { err: { type: error.name, code: error.code, message: scrub(error.message) } },
      'unexpected error',
    );
    return fail(
      reply,
      errorReply(500, DAEMON_INTERNAL, 'internal error in aishelld (the daemon log has the details)'),
    );
  });

  /** Every error answer goes through here: counted by code. */
  function fail(reply: FastifyReply, answer: ErrorReply): FastifyReply {
    metrics.countError(answer.body.error.code);
    return send(reply, answer);
  }

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
    api.addHook('onRequest', (request, reply, done) => {
      if (tokenMatches(request.headers.authorization)) return done();
      reply.header('www-authenticate', 'Bearer realm="aishelld"');
      const message = request.headers.authorization
        ? 'wrong bearer token'
        : 'missing bearer token (Authorization: Bearer <token>)';
      fail(reply, errorReply(401, DAEMON_UNAUTHORIZED, message));
    });

    api.get('/metrics', async (_request, reply) => {
      reply.type(metrics.contentType);
      return metrics.text();
    });

    api.get('/openapi.json', async () => openapi);

    api.get('/ready', async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      const checks = await readiness();
      const ready = checks.every((c) => c.ok);
      return reply.code(ready ? 200 : 503).send({ ready, checks });
    });

    api.get('/v1/metrics', async (request, reply) => {
      const parsed = MetricsQuerySchema.safeParse(request.query);
      if (!parsed.success) return invalid(reply, parsed.error);
      return metrics.live(parsed.data.window ?? '5m', parsed.data.top ?? 10);
    });

    api.post('/v1/query', async (request, reply) => {
      const parsed = QueryRequestSchema.safeParse(request.body);
      if (!parsed.success) return invalid(reply, parsed.error);
      return runQuery(parsed.data, request, reply);
    });

    api.post('/v1/analyze', async (request, reply) => {
      const parsed = AnalyzeRequestSchema.safeParse(request.body);
      if (!parsed.success) return invalid(reply, parsed.error);
      const body = parsed.data;
      return guarded(request, reply, undefined, async (signal) =>
        analyze(body.sql, (body.dialect ?? 'postgres') as SqlDialect, { signal }),
      );
    });

    api.post('/v1/ask', async (request, reply) => {
      const parsed = AskRequestSchema.safeParse(request.body);
      if (!parsed.success) return invalid(reply, parsed.error);
      const body = parsed.data;
      return withSession(request, reply, body.connection, async (lease, signal) => {
        // The offline translator only: the daemon sends no schema to a provider for whoever holds the token.
        const answer = await ask(lease.session, body.question, {
          provider: 'offline',
          env,
          signal,
          ...(body.dryRun ? { dryRun: true } : {}),
          ...(body.confirm ? { confirmed: true } : {}),
          ...(body.timeoutMillis ? { timeoutMillis: body.timeoutMillis } : {}),
        });
        const { result, ...rest } = answer;
        return result ? { ...rest, result: statementDocument(result) } : rest;
      });
    });

    api.post('/v1/explain', async (request, reply) => {
      const parsed = ExplainRequestSchema.safeParse(request.body);
      if (!parsed.success) return invalid(reply, parsed.error);
      const body = parsed.data;
      return withSession(request, reply, body.connection, async (lease, signal) => {
        const plan = await explain(lease.session, body.sql, {
          analyze: body.analyze ?? false,
          confirmed: body.confirm ?? false,
          signal,
        });
        return planDocument(plan);
      });
    });

    api.post('/v1/health', async (request, reply) => {
      const parsed = HealthRequestSchema.safeParse(request.body);
      if (!parsed.success) return invalid(reply, parsed.error);
      const body = parsed.data;
      return withSession(request, reply, body.connection, async (lease, signal) =>
        health(lease.session, {
          ...(body.only ? { only: body.only } : {}),
          ...(body.thresholds ? { thresholds: body.thresholds } : {}),
          ...(body.maxObjects ? { maxObjects: body.maxObjects } : {}),
          signal,
        }),
      );
    });
  });

  function invalid(reply: FastifyReply, error: import('zod').ZodError): FastifyReply {
    return fail(reply, errorReply(400, DAEMON_BAD_REQUEST, `invalid request body: ${describeIssues(error)}`));
  }

  /** Every open session's server (a ping each) and Redis when one is configured, within 2 s each. */
  async function readiness(): Promise<
    {
      name: string;
      kind: 'database' | 'redis';
      ok: boolean;
      durationMs: number;
      code?: string;
      message?: string;
    }[]
  > {
    const scrub = scrubberFor(undefined, expectedToken);
    const probe = async (
      name: string,
      kind: 'database' | 'redis',
      run: (signal: AbortSignal) => Promise<unknown>,
    ) => {
      const started = performance.now();
      try {
        await run(AbortSignal.timeout(READY_PROBE_MILLIS));
        return { name, kind, ok: true, durationMs: elapsed(started) };
      } catch (error) {
        const e = error as { code?: unknown; message?: unknown };
        const code = typeof e.code === 'string' ? e.code : 'ERROR';
        return {
          name,
          kind,
          ok: false,
          durationMs: elapsed(started),
          code,
          message: scrub(String(e.message ?? error).split('\n')[0] ?? ''),
        };
      }
    };
    const probes = sessions
      .opened()
      .map(({ session }) =>
        probe(connectionLabel(session), 'database', (signal) => session.ping({ signal })),
      );
    if (resolveRedisUrl(undefined, env)) {
      probes.push(
        probe('redis', 'redis', async (signal) => {
          readyCache ??= openCache({ env });
          // A cache that could not be created is tried afresh at the next probe.
          const cache = await readyCache.catch((error: unknown) => {
            readyCache = undefined;
            throw error;
          });
          await cache.get('aishelld:ready', { signal });
        }),
      );
    }
    return Promise.all(probes);
  }

  /**
   * Run `work` under the request's deadline and the client's hang-up (either aborts it), answering its
   * document or the error's answer. `scrub` removes the request's secrets from error text.
   */
  async function guarded(
    request: FastifyRequest,
    reply: FastifyReply,
    connection: string | undefined,
    work: (signal: AbortSignal) => Promise<unknown>,
    onError?: (error: unknown, answer: ErrorReply) => Promise<void> | void,
  ): Promise<FastifyReply> {
    // Built only when something fails: parsing the URL for its secrets is not free.
    const scrub = (text: string): string => scrubberFor(connection, expectedToken)(text);
    const aborter = new AbortController();
    let timedOut = false;
    const onClose = (): void => {
      if (!reply.raw.writableFinished) aborter.abort();
    };
    reply.raw.on('close', onClose);
    const timer = setTimeout(() => {
      timedOut = true;
      aborter.abort();
    }, requestTimeoutMillis);
    try {
      const document = await work(aborter.signal);
      return reply.type('application/json; charset=utf-8').send(toJson(document));
    } catch (error) {
      const answer = timedOut
        ? errorReply(
            504,
            DAEMON_TIMEOUT,
            `the request took longer than ${requestTimeoutMillis} ms and was cancelled`,
          )
        : replyForError(error, scrub);
      await onError?.(error, answer);
      const code = answer.body.error.code;
      if (code === 'SAFETY_REFUSED' || code === 'SAFETY_READ_ONLY')
        metrics.countRefusal(code, answer.body.error.risk);
      const redacted = connection === undefined ? undefined : redactUrl(connection);
      if (code === DAEMON_INTERNAL) {
        const e = error as { name?: unknown; code?: unknown; message?: unknown; stack?: unknown };
        request.log.error(
          {
            ...(redacted ? { connection: redacted } : {}),
            err: {
              type: e.name,
              code: e.code,
              message: scrub(String(e.message)),
              stack: scrub(String(e.stack)),
            },
          },
          'request failed unexpectedly',
        );
      } else {
        request.log.info(
          { ...(redacted ? { connection: redacted } : {}), status: answer.status, code },
          'request refused or failed',
        );
      }
      return fail(reply, answer);
    } finally {
      clearTimeout(timer);
      reply.raw.off('close', onClose);
    }
  }

  /** `guarded`, with the session of `connection` borrowed for the work. */
  function withSession(
    request: FastifyRequest,
    reply: FastifyReply,
    connection: string,
    work: (lease: SessionLease, signal: AbortSignal) => Promise<unknown>,
    onError?: (error: unknown, answer: ErrorReply) => Promise<void> | void,
  ): Promise<FastifyReply> {
    return guarded(
      request,
      reply,
      connection,
      async (signal) => {
        const lease = await sessions.acquire(connection);
        try {
          return await work(lease, signal);
        } finally {
          lease.release();
        }
      },
      onError,
    );
  }

  async function runQuery(
    body: QueryRequest,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply> {
    const started = performance.now();
    let session: Session | undefined;
    let kind = 'unknown';
    const observe = (outcome: QueryOutcome): number => {
      const seconds = (performance.now() - started) / 1000;
      metrics.observeQuery(kind, outcome, seconds);
      return Math.round(seconds * 1e6) / 1e3;
    };
    return withSession(
      request,
      reply,
      body.connection,
      async (lease, signal) => {
        session = lease.session;
        // Every request is its own unit (docs/daemon.md): a transaction it leaves open is rolled back, and the
        // connection's session state is reset before another client's request can use it. Even a lone
        // SELECT pays the reset: a function it calls may change settings or create a temporary table
        // unseen by the analysis.
        const run = await lease.session.run(body.sql, {
          ...(body.params ? { params: body.params } : {}),
          isolated: true,
          readOnly: body.readOnly ?? false,
          confirmed: body.confirm ?? false,
          ...(body.timeoutMillis ? { timeoutMillis: body.timeoutMillis } : {}),
          signal,
        });
        const { analysis, results, rolledBack } = run;
        kind = kindOf(analysis);
        const durationMs = observe('ok');
        metrics.recordStatements(connectionLabel(lease.session), samplesOf(lease.session, run));
        // The fields are built only when the line is written (the default level is info; warn skips it).
        if (logger.isLevelEnabled('info'))
          request.log.info(
            {
              connection: redactUrl(body.connection),
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
        return document;
      },
      (_error, answer) => {
        const outcome: QueryOutcome = answer.status === 422 ? 'refused' : 'error';
        if (!session) {
          observe(outcome);
          return;
        }
        // The statement's kind for the histogram, and a failed statement's shape as an error in the
        // windows (analysing again costs a parse, on the error path only).
        const failed = session;
        return failed
          .analyze(body.sql)
          .then((analysis) => {
            kind = kindOf(analysis);
            const first = analysis.statements[0];
            if (first && answer.status === 502)
              metrics.recordStatements(connectionLabel(failed), [
                {
                  fingerprint: first.fingerprint,
                  normalized: first.normalized,
                  durationMillis: performance.now() - started,
                  rows: 0,
                  error: true,
                },
              ]);
          })
          .catch(() => {})
          .finally(() => observe(outcome));
      },
    );
  }

  return app;
}

/** How long GET /ready waits for one server or Redis. */
const READY_PROBE_MILLIS = 2000;

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 1000) / 1000;
}

/** The request's statement kind as the duration histogram labels it: `script` for several. */
function kindOf(analysis: Analysis): string {
  if (analysis.statements.length > 1) return 'script';
  return analysis.statements[0]?.kind ?? 'unknown';
}

/** The statements of a run, for the sliding windows: a cache hit, a miss (a lookup was made), or neither. */
function samplesOf(session: Session, run: RunResult): StatementSample[] {
  const { analysis, results } = run;
  const lookedUp =
    session.cacheMode !== 'off' &&
    analysis.statements.length === 1 &&
    isCacheable(analysis.statements[0] as never);
  return results.flatMap((result, i) => {
    const statement = analysis.statements[i];
    if (!statement) return [];
    const cache = result.cached ? 'hit' : lookedUp ? 'miss' : undefined;
    return [
      {
        fingerprint: statement.fingerprint,
        normalized: statement.normalized,
        durationMillis: result.durationMs,
        rows: result.rowCount ?? 0,
        error: false,
        ...(cache ? { cache } : {}),
      },
    ];
  });
}

/**
 * A session's name in labels and /ready: the saved name, `demo`, or `host:port/database` (a file's base
 * name for SQLite and PGlite). Never the URL: no user, password or parameters.
 */
export function connectionLabel(session: Session): string {
  if (session.target.name) return session.target.name;
  const c = session.connectionConfig;
  if (c.path !== undefined) return `${c.dialect}:${path.basename(c.path)}`;
  return `${c.dialect}:${c.host ?? 'localhost'}:${c.port ?? ''}/${c.database ?? ''}`;
}

function poolFigures(session: Session): PoolFigures {
  const pool = session.pool;
  return {
    dialect: session.dialect,
    connection: connectionLabel(session),
    total: pool.totalCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
  };
}
