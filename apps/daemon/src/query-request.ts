import { z } from 'zod';

/** Most positional parameters of one request: PostgreSQL's and MySQL's protocols count them in 16 bits. */
export const MAX_PARAMS = 65_535;

/** The body of `POST /v1/query` (PRODUCT.md), validated; unknown fields are refused so typos show. */
export const QueryRequestSchema = z.strictObject({
  /** A saved connection name or a URL. */
  connection: z.string().trim().min(1, 'connection must name a saved connection or be a URL'),
  /** One statement or a script. */
  sql: z.string().refine((s) => s.trim().length > 0, 'sql must not be empty'),
  /** Bound parameters, positional; only for a single statement. */
  params: z
    .array(z.unknown())
    .max(MAX_PARAMS, `at most ${MAX_PARAMS} parameters (the most a PostgreSQL or MySQL statement binds)`)
    .optional(),
  /** Run the whole input inside a read-only transaction. */
  readOnly: z.boolean().optional(),
  /** The caller confirms a high or critical risk statement (the daemon cannot ask). */
  confirm: z.boolean().optional(),
  /** Statement timeout per statement, in milliseconds. */
  timeoutMillis: z.number().int().positive().optional(),
});

export type QueryRequest = z.infer<typeof QueryRequestSchema>;

/** One line naming every problem of an invalid body, without echoing its values. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
