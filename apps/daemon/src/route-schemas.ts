import { z } from 'zod';
import { QueryRequestSchema } from './query-request.js';

// One zod schema per route body and per answer. Bodies are validated with them (400 naming every
// problem); the OpenAPI document of GET /openapi.json is generated from them (z.toJSONSchema), so the
// two cannot drift apart. Answers are described as the CLI's --json prints them; fields beyond the
// required ones are allowed where a package may add some (a new health check's objects, a plan's keys).

const connection = z
  .string()
  .trim()
  .min(1, 'connection must name a saved connection or be a URL')
  .describe('a saved connection name, `demo`, or a URL the daemon allows');
const sql = z.string().refine((s) => s.trim().length > 0, 'sql must not be empty');
const timeoutMillis = z.number().int().positive().describe('statement timeout, in milliseconds');

export const AskRequestSchema = z.strictObject({
  connection,
  question: z
    .string()
    .refine((s) => s.trim().length > 0, 'question must not be empty')
    .describe('a question in plain English'),
  /** Translate and check only. */
  dryRun: z.boolean().optional().describe('translate and check only; run nothing'),
  confirm: z
    .boolean()
    .optional()
    .describe('run a write the translator proposes (the offline translator writes SELECTs only)'),
  timeoutMillis: timeoutMillis.optional(),
});
export type AskRequest = z.infer<typeof AskRequestSchema>;

export const AnalyzeRequestSchema = z.strictObject({
  sql,
  dialect: z.enum(['postgres', 'mysql', 'sqlite']).optional().describe('default postgres'),
});
export type AnalyzeRequest = z.infer<typeof AnalyzeRequestSchema>;

export const ExplainRequestSchema = z.strictObject({
  connection,
  sql,
  analyze: z.boolean().optional().describe('execute the statement to measure it (writes are rolled back)'),
  confirm: z.boolean().optional().describe('under analyze, execute a statement that writes'),
});
export type ExplainRequest = z.infer<typeof ExplainRequestSchema>;

export const HealthRequestSchema = z.strictObject({
  connection,
  only: z.array(z.string().min(1)).max(100).optional().describe('run only these checks'),
  thresholds: z
    .record(z.string().min(1), z.number())
    .optional()
    .describe('threshold overrides, e.g. {"idle_in_transaction_seconds": 30}'),
  maxObjects: z.number().int().positive().optional().describe('objects listed per check'),
});
export type HealthRequest = z.infer<typeof HealthRequestSchema>;

export const MetricsQuerySchema = z.strictObject({
  window: z.enum(['1m', '5m', '1h']).optional().describe('default 5m'),
  top: z.coerce.number().int().min(0).max(1000).optional().describe('default 10'),
});

// Answers.
const Field = z.object({ name: z.string(), type: z.string() });
const StatementDocument = z.object({
  command: z.string(),
  rowCount: z.number().int().nullable(),
  fields: z.array(Field),
  rows: z.array(z.record(z.string(), z.unknown())),
  durationMs: z.number(),
  cached: z.boolean(),
});
export const QueryAnswerSchema = z.union([
  StatementDocument.extend({ rolledBack: z.boolean().optional(), warning: z.string().optional() }).strict(),
  z
    .object({
      results: z.array(StatementDocument.strict()),
      rolledBack: z.boolean().optional(),
      warning: z.string().optional(),
    })
    .strict(),
]);
export const ErrorAnswerSchema = z
  .object({
    error: z.object({
      code: z.string().regex(/^[A-Z][A-Z0-9_]+$/),
      message: z.string(),
      hint: z.string().optional(),
      sqlState: z.string().optional(),
      risk: z.string().optional(),
      reasons: z.array(z.string()).optional(),
    }),
  })
  .strict();
export const HealthAnswerSchema = z
  .object({ status: z.literal('ok'), version: z.string(), uptimeSeconds: z.number(), pid: z.number().int() })
  .strict();
export const ReadyAnswerSchema = z
  .object({
    ready: z.boolean(),
    checks: z.array(
      z
        .object({
          name: z.string().describe('a session label (never a URL or password), or `redis`'),
          kind: z.enum(['database', 'redis']),
          ok: z.boolean(),
          durationMs: z.number(),
          code: z.string().optional(),
          message: z.string().optional(),
        })
        .strict(),
    ),
  })
  .strict();
const StatementAnalysis = z.object({
  text: z.string(),
  kind: z.string(),
  readOnly: z.boolean(),
  tablesRead: z.array(z.string()),
  tablesWritten: z.array(z.string()),
  risk: z.enum(['low', 'medium', 'high', 'critical']),
  reasons: z.array(z.string()),
  volatile: z.boolean(),
  fingerprint: z.string(),
  normalized: z.string(),
});
export const AnalyzeAnswerSchema = z
  .object({ dialect: z.string(), statements: z.array(StatementAnalysis.strict()) })
  .strict();
export const AskAnswerSchema = z
  .object({
    question: z.string(),
    sql: z.string(),
    params: z.array(z.unknown()),
    explanation: z.string(),
    engine: z.string(),
    model: z.string().optional(),
    confidence: z.number(),
    tables: z.array(z.string()),
    understoodAs: z.string().optional(),
    attempts: z.number().int().optional(),
    repairs: z.array(z.unknown()).optional(),
    context: z.unknown().optional(),
    write: z.object({ kind: z.string(), risk: z.string(), reasons: z.array(z.string()) }).optional(),
    result: StatementDocument.strict().optional(),
  })
  .strict();
export const ExplainAnswerSchema = z.looseObject({
  dialect: z.string(),
  format: z.string(),
  analyzed: z.boolean(),
  timed: z.boolean(),
  nodeCount: z.number().int(),
  plan: z.looseObject({ children: z.array(z.unknown()) }),
  findings: z.array(z.unknown()),
  suggestions: z.array(z.unknown()),
});
export const HealthReportAnswerSchema = z
  .object({
    dialect: z.string(),
    server: z.looseObject({}),
    checks: z.array(
      z.looseObject({
        name: z.string(),
        status: z.enum(['ok', 'warn', 'crit', 'skipped']),
        value: z.number().nullable(),
        threshold: z.number().nullable(),
        reason: z.string(),
      }),
    ),
  })
  .strict();
const WindowSummary = z.object({
  window: z.string(),
  count: z.number().int(),
  errors: z.number().int(),
  rows: z.number(),
  cacheHits: z.number().int(),
  cacheMisses: z.number().int(),
  p50Millis: z.number(),
  p90Millis: z.number(),
  p99Millis: z.number(),
  p999Millis: z.number(),
  maxMillis: z.number(),
  meanMillis: z.number(),
  totalMillis: z.number(),
});
export const LiveMetricsAnswerSchema = z
  .object({
    source: z.literal('daemon'),
    window: z.string(),
    overall: WindowSummary.strict(),
    top: z.array(WindowSummary.extend({ fingerprint: z.string(), text: z.string().optional() }).strict()),
    fingerprints: z.object({ tracked: z.number().int(), max: z.number().int(), evicted: z.number().int() }),
    memoryCeilingBytes: z.number().int(),
    nPlusOne: z.array(
      z.object({
        sessionId: z.string().optional(),
        fingerprint: z.string(),
        count: z.number().int(),
        example: z.string(),
        firstTimestampMs: z.number(),
        lastTimestampMs: z.number(),
      }),
    ),
  })
  .strict();

/** One route of the API, as GET /openapi.json describes it. */
export interface RouteDoc {
  readonly method: 'get' | 'post';
  readonly path: string;
  readonly summary: string;
  readonly auth: boolean;
  readonly body?: z.ZodType;
  readonly query?: z.ZodType;
  /** The answer of a success, by status. */
  readonly ok: z.ZodType | 'text';
  /** Error statuses the route answers with (besides 401 for authenticated routes). */
  readonly errors: readonly number[];
  /** Other statuses whose answer has the `ok` shape (GET /ready's 503). */
  readonly okStatuses?: readonly number[];
}

const REQUEST_ERRORS = [400, 413, 415, 500, 503, 504] as const;

export const ROUTES: readonly RouteDoc[] = [
  { method: 'get', path: '/health', summary: 'Alive', auth: false, ok: HealthAnswerSchema, errors: [] },
  {
    method: 'get',
    path: '/ready',
    summary: "Whether the daemon's open sessions and its Redis answer (503 when one does not)",
    auth: true,
    ok: ReadyAnswerSchema,
    errors: [],
    okStatuses: [503],
  },
  { method: 'get', path: '/metrics', summary: 'Prometheus text format', auth: true, ok: 'text', errors: [] },
  {
    method: 'get',
    path: '/openapi.json',
    summary: 'This document',
    auth: true,
    ok: z.looseObject({ openapi: z.string(), paths: z.looseObject({}) }),
    errors: [],
  },
  {
    method: 'get',
    path: '/v1/metrics',
    summary: 'Live per-statement figures over a sliding window (what `aishell metrics --daemon` prints)',
    auth: true,
    query: MetricsQuerySchema,
    ok: LiveMetricsAnswerSchema,
    errors: [400],
  },
  {
    method: 'post',
    path: '/v1/query',
    summary: 'Run SQL through the safety guard (the JSON of `aishell query --json`)',
    auth: true,
    body: QueryRequestSchema,
    ok: QueryAnswerSchema,
    errors: [...REQUEST_ERRORS, 403, 422, 502],
  },
  {
    method: 'post',
    path: '/v1/ask',
    summary: 'A plain-English question, translated offline and run read-only (`aishell ask --json`)',
    auth: true,
    body: AskRequestSchema,
    ok: AskAnswerSchema,
    errors: [...REQUEST_ERRORS, 403, 422, 502],
  },
  {
    method: 'post',
    path: '/v1/analyze',
    summary: 'What SQL does, without a connection (`aishell sql analyze --json`)',
    auth: true,
    body: AnalyzeRequestSchema,
    ok: AnalyzeAnswerSchema,
    errors: [...REQUEST_ERRORS, 502],
  },
  {
    method: 'post',
    path: '/v1/explain',
    summary: 'The plan of one statement with findings (`aishell explain --json`)',
    auth: true,
    body: ExplainRequestSchema,
    ok: ExplainAnswerSchema,
    errors: [...REQUEST_ERRORS, 403, 422, 502],
  },
  {
    method: 'post',
    path: '/v1/health',
    summary: "The database's health checks (`aishell health --json`)",
    auth: true,
    body: HealthRequestSchema,
    ok: HealthReportAnswerSchema,
    errors: [...REQUEST_ERRORS, 403, 502],
  },
];

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}

/** The OpenAPI 3.1 document of the API, generated from the route schemas above. */
export function openApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const responses: Record<string, unknown> = {
      200:
        route.ok === 'text'
          ? { description: 'OK', content: { 'text/plain': { schema: { type: 'string' } } } }
          : {
              description: 'OK',
              content: { 'application/json': { schema: jsonSchema(route.ok, 'output') } },
            },
    };
    for (const status of route.okStatuses ?? []) responses[status] = responses[200];
    for (const status of [...(route.auth ? [401] : []), ...route.errors]) {
      responses[status] = {
        description: 'An error',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
    const query = route.query ? (jsonSchema(route.query, 'input') as { properties?: object }) : undefined;
    paths[route.path] = {
      ...paths[route.path],
      [route.method]: {
        summary: route.summary,
        ...(route.auth ? {} : { security: [] }),
        ...(query?.properties
          ? {
              parameters: Object.entries(query.properties).map(([name, schema]) => ({
                name,
                in: 'query',
                required: false,
                schema,
              })),
            }
          : {}),
        ...(route.body
          ? {
              requestBody: {
                required: true,
                content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
              },
            }
          : {}),
        responses,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'aishelld', version },
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: jsonSchema(ErrorAnswerSchema, 'output') },
    },
    paths,
  };
}
