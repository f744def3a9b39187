import { formatSql, type SqlDialect } from '@aishell/engine';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../../base-command.js';
import { dialectFlag, sqlArg, sqlFileFlag } from '../../flags.js';
import { readInput } from '../../input.js';

export default class SqlFormat extends BaseCommand {
  static override summary = 'Format SQL for reading.';
  static override description = 'Formats SQL in the grammar of its dialect; no database is needed.';
  static override examples = [
    { description: 'Format a query', command: '<%= config.bin %> sql format "select a,b from t where x=1"' },
    {
      description: 'Lower-case keywords, four spaces',
      command: '<%= config.bin %> sql format --file q.sql --keyword-case lower --indent 4',
    },
    {
      description: 'MySQL from stdin, as JSON',
      command: 'cat q.sql | <%= config.bin %> sql format - --dialect mysql --json',
    },
  ];
  static override args = { sql: sqlArg };
  static override flags = {
    dialect: dialectFlag,
    file: sqlFileFlag,
    'keyword-case': Flags.string({
      description: 'case of keywords',
      options: ['upper', 'lower', 'preserve'],
      default: 'upper',
    }),
    indent: Flags.integer({ description: 'spaces per indentation level', min: 1, max: 16, default: 2 }),
  };

  async run(): Promise<SqlFormatDocument> {
    const { args, flags } = await this.parse(SqlFormat);
    const sql = await readInput(args.sql, flags.file);
    const dialect = flags.dialect as SqlDialect;
    const formatted = await formatSql(sql, dialect, {
      keywordCase: flags['keyword-case'] as 'upper' | 'lower' | 'preserve',
      indentWidth: flags.indent,
    });
    return this.present({ dialect, formatted }, (doc) => `${doc.formatted}\n`);
  }
}

/** `sql format --json` */
export interface SqlFormatDocument {
  readonly dialect: SqlDialect;
  readonly formatted: string;
}
