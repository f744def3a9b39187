// Loading a schema file into a scratch database: statement by statement, so that a failure names the
// statement (its line and text) rather than a whole script.
import { splitStatements } from '@aishell/sql';
import { messageOf, SchemaError, sqlStateOf, throwIfAborted } from './errors.js';
import type { SchemaRun } from './introspect-options.js';
import type { SchemaDialect } from './schema-model.js';

/** Options of `loadSchemaScript`. */
export interface LoadSchemaScriptOptions {
  /** The file's name, for messages. @default 'script' */
  readonly name?: string;
  readonly signal?: AbortSignal;
}

/**
 * Splits `script` (a schema file's text) with @aishell/sql's splitter and runs each statement through
 * `run`, in order. Resolves with the number of statements run.
 *
 * @throws SchemaError `SCHEMA_LOAD` naming the statement (index, line, column, text) that failed, with
 *   the database's error as `cause` and its SQLSTATE; `SCHEMA_UNSUPPORTED` for a psql meta-command
 *   (`\connect`, `\i`); `SCHEMA_ABORTED` when `signal` fires.
 */
export async function loadSchemaScript(
  run: SchemaRun,
  script: string,
  dialect: SchemaDialect,
  options: LoadSchemaScriptOptions = {},
): Promise<{ statements: number }> {
  const name = options.name ?? 'script';
  const spans = splitStatements(script, dialect);
  let index = 0;
  for (const span of spans) {
    throwIfAborted(options.signal);
    const before = script.slice(0, span.start);
    const line = before.split('\n').length;
    const column = span.start - before.lastIndexOf('\n');
    const statement = { index, line, column, text: span.text };
    if (span.text.startsWith('\\'))
      throw new SchemaError(
        'SCHEMA_UNSUPPORTED',
        `${name}:${line}: psql meta-command ${span.text.split(/\s/)[0]} cannot be run`,
        {
          statement,
        },
      );
    try {
      await run(span.text);
    } catch (error) {
      const sqlState = sqlStateOf(error);
      const excerpt = span.text.length > 200 ? `${span.text.slice(0, 200)}...` : span.text;
      throw new SchemaError(
        'SCHEMA_LOAD',
        `${name}:${line}: statement ${index + 1} failed: ${messageOf(error)}\n${excerpt}`,
        {
          cause: error,
          statement,
          ...(sqlState === undefined ? {} : { sqlState }),
        },
      );
    }
    index++;
  }
  return { statements: index };
}
