import type { Field } from '@aishell/pool';
import type { Analysis } from '@aishell/sql';

// The results of Session.run, in a module of their own: the session, the query cache and the JSON
// document all name them, and taking them from session.ts made session -> query-cache ->
// result-document -> session a circle.

/** What one statement returned. */
export interface StatementResult {
  readonly command: string;
  readonly rowCount: number;
  readonly fields: Field[];
  readonly rows: Record<string, unknown>[];
  readonly durationMs: number;
  readonly cached: boolean;
}

/** What `Session.run` returned: the analysis of the whole input and one result per statement. */
export interface RunResult {
  readonly analysis: Analysis;
  readonly results: StatementResult[];
  /** With `isolated`: the input left a transaction open, and it was rolled back. */
  readonly rolledBack?: boolean;
}
