/** Every error @aishell/sql throws; `code` is stable and is what callers switch on. */
export type SqlErrorCode = 'SQL_PARSE' | 'SQL_PARSER_NOT_LOADED' | 'SQL_FORMAT' | 'SQL_ABORTED';

/** Base class of every error of this package. */
export class SqlError extends Error {
  readonly code: SqlErrorCode;

  constructor(code: SqlErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }
}

/** Where a parse error sits in the whole input. */
export interface SqlParseErrorLocation {
  /** Character offset (0-based, UTF-16 code units) in the whole input given to `analyze`. */
  readonly position: number;
  /** 1-based line of `position`. */
  readonly line: number;
  /** 1-based column of `position`. */
  readonly column: number;
  /** 0-based index of the statement (as `splitStatements` counts them) that failed. */
  readonly statementIndex: number;
}

/** A statement the dialect's parser rejected; `parserMessage` is the parser's own words. */
export class SqlParseError extends SqlError {
  readonly position: number;
  readonly line: number;
  readonly column: number;
  readonly statementIndex: number;
  readonly parserMessage: string;

  constructor(parserMessage: string, location: SqlParseErrorLocation, options?: { cause?: unknown }) {
    super(
      'SQL_PARSE',
      `${parserMessage} (statement ${location.statementIndex + 1}, line ${location.line}, column ${location.column})`,
      options,
    );
    this.parserMessage = parserMessage;
    this.position = location.position;
    this.line = location.line;
    this.column = location.column;
    this.statementIndex = location.statementIndex;
  }
}

/** `analyzeSync` was called before `loadParser(dialect)` finished. */
export class SqlParserNotLoadedError extends SqlError {
  readonly dialect: string;

  constructor(dialect: string) {
    super(
      'SQL_PARSER_NOT_LOADED',
      `the ${dialect} parser is not loaded: await loadParser('${dialect}') first`,
    );
    this.dialect = dialect;
  }
}

/** The formatter could not format the input (usually a syntax it does not know). */
export class SqlFormatError extends SqlError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SQL_FORMAT', message, options);
  }
}

/** The operation was aborted through its `signal`. */
export class SqlAbortedError extends SqlError {
  constructor(options?: { cause?: unknown }) {
    super('SQL_ABORTED', 'the operation was aborted', options);
  }
}

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(position, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: position - lineStart + 1 };
}

/**
 * Parsers quote the text where they stopped (`at or near "..."`, `but "..." found`); when that text is
 * a string literal it may be a password (`PASSWORD 'hunter2` unterminated), so its content is masked.
 */
export function maskLiteral(message: string): string {
  return message.replace(
    /(at or near |but |Unexpected )"((?:[EeNnXxBb]|U&)?'|\$[A-Za-z_0-9]*\$)[\s\S]*?"( found| at|$)/,
    '$1"$2…"$3',
  );
}
