import type { SchemaInfo } from '@aishell/engine';

/** The shell's backslash commands, completed after a leading `\`. */
export const BACKSLASH_COMMANDS = [
  '\\?',
  '\\conninfo',
  '\\d',
  '\\di',
  '\\dn',
  '\\dt',
  '\\dv',
  '\\i',
  '\\q',
  '\\timing',
  '\\x',
] as const;

// The words people type most, not a grammar: completion suggests, the parser decides. (No maintained
// package exports a plain keyword list; sql-formatter keeps its lists internal.)
const KEYWORDS = [
  'ALTER',
  'AND',
  'AS',
  'ASC',
  'BEGIN',
  'BETWEEN',
  'BY',
  'CASE',
  'COMMIT',
  'COUNT',
  'CREATE',
  'CROSS',
  'DELETE',
  'DESC',
  'DISTINCT',
  'DROP',
  'ELSE',
  'END',
  'EXISTS',
  'EXPLAIN',
  'FALSE',
  'FROM',
  'FULL',
  'GROUP',
  'HAVING',
  'ILIKE',
  'IN',
  'INDEX',
  'INNER',
  'INSERT',
  'INTO',
  'IS',
  'JOIN',
  'LEFT',
  'LIKE',
  'LIMIT',
  'NOT',
  'NULL',
  'OFFSET',
  'ON',
  'OR',
  'ORDER',
  'OUTER',
  'RETURNING',
  'RIGHT',
  'ROLLBACK',
  'SELECT',
  'SET',
  'TABLE',
  'THEN',
  'TRUE',
  'TRUNCATE',
  'UNION',
  'UPDATE',
  'USING',
  'VALUES',
  'VIEW',
  'WHEN',
  'WHERE',
  'WITH',
];

/** After these words a table (or view) name comes next. */
const TABLE_CONTEXT = new Set(['FROM', 'JOIN', 'INTO', 'UPDATE', 'TABLE', 'DESCRIBE', '\\D']);

/**
 * Candidates for the word being typed at the end of `line`, as readline's completer returns them
 * (`[candidates, word]`): backslash commands; table names after FROM, JOIN, INTO, UPDATE, TABLE and
 * `\d`; a table's columns after `table.`; otherwise keywords, the tables, and the columns of the tables
 * the line names. Candidates follow the case the person types keywords in.
 */
export function completeSql(line: string, schema: SchemaInfo | undefined): [string[], string] {
  const word = /[\w$."\\?]*$/.exec(line)?.[0] ?? '';
  if (word.startsWith('\\') && !/\s/.test(line.trimStart().slice(0, line.trimStart().length - word.length))) {
    return [BACKSLASH_COMMANDS.filter((c) => c.startsWith(word)), word];
  }
  const tables = schema?.tables ?? [];
  const dot = word.lastIndexOf('.');
  if (dot > 0) {
    const owner = unquote(word.slice(0, dot)).toLowerCase();
    const partial = word.slice(dot + 1);
    const table = tables.find((t) => t.name.toLowerCase() === owner);
    const columns = table?.columns.map((c) => `${word.slice(0, dot + 1)}${c.name}`) ?? [];
    return [columns.filter((c) => startsWithIgnoringCase(c.slice(dot + 1), partial)).sort(), word];
  }
  const before = line.slice(0, line.length - word.length).trimEnd();
  const previous = (/(\S+)$/.exec(before)?.[1] ?? '').toUpperCase();
  const tableNames = [...new Set(tables.map((t) => t.name))];
  if (TABLE_CONTEXT.has(previous)) {
    return [tableNames.filter((n) => startsWithIgnoringCase(n, word)).sort(), word];
  }
  const lower = word !== '' && word === word.toLowerCase();
  const keywords = KEYWORDS.map((k) => (lower ? k.toLowerCase() : k));
  const named = new Set(
    (line.match(/[\w$]+/g) ?? [])
      .map((w) => w.toLowerCase())
      .filter((w) => tableNames.some((n) => n.toLowerCase() === w)),
  );
  const columns = tables
    .filter((t) => named.has(t.name.toLowerCase()))
    .flatMap((t) => t.columns.map((c) => c.name));
  const candidates = [...new Set([...columns, ...tableNames, ...keywords])];
  if (word === '') return [[], word]; // nothing typed yet: readline would list everything
  return [candidates.filter((c) => startsWithIgnoringCase(c, word)).sort(), word];
}

function startsWithIgnoringCase(candidate: string, prefix: string): boolean {
  return candidate.toLowerCase().startsWith(unquote(prefix).toLowerCase());
}

function unquote(name: string): string {
  return name.replace(/^"|"$/g, '');
}

/**
 * A readline completer over the session's schema. Introspection starts at once in the background and
 * is asked again at every Tab (the session caches it and forgets it after DDL); until a schema has
 * arrived, or if it cannot be read, keywords and backslash commands still complete.
 */
export function schemaCompleter(
  introspect: () => Promise<SchemaInfo>,
): (line: string, callback: (error: null, result: [string[], string]) => void) => void {
  let schema: SchemaInfo | undefined;
  const refresh = (): void => {
    introspect().then(
      (s) => {
        schema = s;
      },
      () => {},
    );
  };
  refresh();
  return (line, callback) => {
    refresh();
    callback(null, completeSql(line, schema));
  };
}
