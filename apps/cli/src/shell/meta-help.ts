/** One backslash command as `\?` lists it (and completion offers it). */
export interface MetaHelp {
  readonly name: string;
  readonly args: string;
  readonly summary: string;
}

/** Every backslash command of the shell, in the order `\?` lists them (docs/shell.md has the same list). */
export const META_HELP: readonly MetaHelp[] = [
  { name: '\\?', args: '', summary: 'this help' },
  {
    name: '\\q',
    args: '',
    summary: 'quit (or Ctrl-D on an empty line); asks first if a transaction is open',
  },
  { name: '\\l', args: '', summary: 'list databases' },
  {
    name: '\\c',
    args: '<connection>',
    summary: 'switch to another connection (a saved name or a URL, as -c)',
  },
  { name: '\\conninfo', args: '', summary: 'show the connection' },
  { name: '\\d', args: '[table]', summary: 'describe a table (columns, keys, indexes); alone, list tables' },
  { name: '\\dt', args: '', summary: 'list tables and views' },
  { name: '\\dv', args: '', summary: 'list views' },
  { name: '\\di', args: '', summary: 'list indexes' },
  { name: '\\dn', args: '', summary: 'list schemas' },
  { name: '\\df', args: '', summary: 'list functions and procedures' },
  { name: '\\du', args: '', summary: 'list roles (users)' },
  { name: '\\e', args: '', summary: 'edit the current or last statement in $VISUAL / $EDITOR, then run it' },
  { name: '\\i', args: '<file>', summary: 'run the SQL in a file' },
  { name: '\\o', args: '[file]', summary: 'send results to a file; alone, back to the screen' },
  {
    name: '\\copy',
    args: "(<query>) to '<file>' csv header | <table> from '<file>' csv header",
    summary: 'copy rows to or from a CSV file on this machine, streamed, with a row count',
  },
  {
    name: '\\watch',
    args: '[seconds]',
    summary: 'run the last query again every 2 (or n) seconds until Ctrl-C',
  },
  {
    name: '\\x',
    args: '[on|off|auto]',
    summary: 'expanded display (one block per row); auto when a row is too wide',
  },
  { name: '\\timing', args: '[on|off]', summary: 'show how long each statement took' },
  {
    name: '\\pset',
    args: '[format|null|pager] [value]',
    summary: 'output: format aligned|csv|json|markdown, null text, pager on|off',
  },
  {
    name: '\\set',
    args: '[name [value]]',
    summary: 'set a variable (:name in SQL) or a setting (color on|off); alone, list them',
  },
  { name: '\\unset', args: '<name>', summary: 'remove a variable' },
  {
    name: '\\ask',
    args: '<question>',
    summary: 'a question in plain English, even one that starts like SQL',
  },
  {
    name: '\\reset',
    args: '',
    summary: 'forget the plain-English conversation: the next question is not a follow-up',
  },
  {
    name: '\\sql',
    args: '[statement]',
    summary: 'read the next input (or the rest of the line) as SQL, never as a question',
  },
  { name: '\\explain', args: '<statement>', summary: 'show the plan of a statement (as `aishell explain`)' },
  { name: '\\refresh', args: '', summary: 'read the schema again (completion, questions)' },
  { name: '\\cache', args: '', summary: "the query cache's counters (needs Redis)" },
  {
    name: '\\metrics',
    args: '',
    summary: "latency percentiles and the slowest statement shapes of this host's history",
  },
];

/** The names, for completion after a leading `\`. */
export const META_COMMAND_NAMES: readonly string[] = META_HELP.map((m) => m.name);

/** `\?`'s text. */
export function metaHelpText(): string {
  const rows = META_HELP.map((m) => [`${m.name}${m.args ? ` ${m.args}` : ''}`, m.summary] as const);
  const width = Math.min(32, Math.max(...rows.map(([left]) => left.length)));
  const lines = rows.map(([left, right]) =>
    left.length > width ? `  ${left}\n  ${' '.repeat(width)}  ${right}` : `  ${left.padEnd(width)}  ${right}`,
  );
  return [
    'Type SQL ending with ; to run it (Enter continues an unfinished statement), or a question in plain English.',
    'Keys: Tab completes, Up/Down recall history, Ctrl-R searches it, Ctrl-C cancels (a line, or a running statement),',
    'Ctrl-D on an empty line quits, Alt-Enter starts a new line. Backslash commands:',
    ...lines,
  ].join('\n');
}
