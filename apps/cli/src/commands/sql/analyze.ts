import { type Analysis, analyze, type SqlDialect } from '@aishell/engine';
import { BaseCommand } from '../../base-command.js';
import { dialectFlag, sqlArg, sqlFileFlag } from '../../flags.js';
import { readInput } from '../../input.js';
import { renderTable } from '../../output/table.js';

export default class SqlAnalyze extends BaseCommand {
  static override summary = 'Show what SQL does: kind, tables read and written, risk and why, fingerprint.';
  static override description =
    'Parses the SQL (PostgreSQL with its own parser; MySQL/MariaDB and SQLite with dialect parsers) without ' +
    'connecting to a database. Every statement of a script is analysed. The risk rules are in docs/safety.md.';
  static override examples = [
    { description: 'Why is this risky?', command: '<%= config.bin %> sql analyze "delete from users"' },
    {
      description: 'The JSON of PRODUCT.md',
      command: '<%= config.bin %> sql analyze "select * from t where id in (1, 2)" --json',
    },
    {
      description: 'A MySQL script from a file',
      command: '<%= config.bin %> sql analyze --file dump.sql --dialect mysql',
    },
    {
      description: 'SQL from stdin',
      command: 'cat migration.sql | <%= config.bin %> sql analyze - --dialect sqlite',
    },
  ];
  static override args = { sql: sqlArg };
  static override flags = {
    dialect: dialectFlag,
    file: sqlFileFlag,
  };

  /** PRODUCT.md's `sql analyze --json`: `{ dialect, statements: [...] }`. */
  async run(): Promise<Analysis> {
    const { args, flags } = await this.parse(SqlAnalyze);
    const sql = await readInput(args.sql, flags.file);
    const analysis = await analyze(sql, flags.dialect as SqlDialect);
    return this.present(analysis, (a) => analysisText(a, this.out.width));
  }
}

/** One row per statement: kind, risk and why, tables, the statement. */
function analysisText(analysis: Analysis, maxWidth: number): string {
  if (analysis.statements.length === 0) return 'No statements.\n';
  const rows = analysis.statements.map((s, i) => ({
    '#': i + 1,
    kind: s.kind,
    risk: s.risk,
    'read-only': s.readOnly ? 'yes' : 'no',
    reads: s.tablesRead.join(', '),
    writes: s.tablesWritten.join(', '),
    reasons: s.reasons.join('; '),
    statement: s.text,
  }));
  const fields = Object.keys(rows[0] ?? {}).map((name) => ({ name, type: name === '#' ? 'int' : 'text' }));
  return `${renderTable(fields, rows, { maxWidth })}\n`;
}
