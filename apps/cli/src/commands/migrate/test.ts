import { type MigrateTestResult, migrateTest, UsageError } from '@aishell/engine';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../../base-command.js';
import { connectionFlag } from '../../flags.js';
import { withInterrupt } from '../../interrupt.js';
import { migrateTestProgress, migrateTestText } from '../../migrate-test-text.js';

export default class MigrateTest extends BaseCommand {
  static override summary =
    'Try migrations on a scratch copy of the database before they run there: locks, durations, down and up again (exit 0, 4 failed, 8 flagged).';
  static override description =
    "Copies the connection's schema (not its data, unless --with-sample N rows per table) into a scratch database, " +
    'never touching the connection itself: an embedded PGlite for PostgreSQL, or a database aishell_scratch_<random> on ' +
    'the server given with --scratch (needed for MySQL/MariaDB), always dropped afterwards, also on error or Ctrl-C. ' +
    "Then, for each migration in its tool's order (dbmate, goose, golang-migrate, Flyway, Prisma, timestamped names): " +
    "up statement by statement, in one transaction unless the file must not run in one, with each statement's duration " +
    'and the locks it took (PostgreSQL: pg_locks inside the transaction); its down, after which the schema must be what ' +
    'it was before the up; up again, after which it must be what the first up made it. A statement that takes ACCESS ' +
    "EXCLUSIVE on a table that already holds rows (in the sample, or by the connection's row estimate) is flagged. " +
    "Exit 0 when every migration passes, 4 when a statement fails (it is named with the database's error; later " +
    'migrations do not run) or a down does not restore the schema, 8 when statements were only flagged.';
  static override examples = [
    {
      description: 'A folder of migrations against production, tried on PGlite',
      command: '<%= config.bin %> migrate test db/migrations -c prod',
    },
    {
      description: 'With 1,000 rows per table, on a PostgreSQL server of the same version',
      command:
        '<%= config.bin %> migrate test db/migrations -c prod --scratch postgres://postgres@localhost/postgres --with-sample 1000',
    },
    {
      description: 'MySQL/MariaDB migrations (the scratch database lives on a server)',
      command:
        '<%= config.bin %> migrate test migrations/ -c mysql://app@db/shop --scratch mysql://root@127.0.0.1/',
    },
    {
      description: 'In CI, as JSON',
      command: '<%= config.bin %> migrate test db/migrations -c "$DATABASE_URL" --json > migrate-test.json',
    },
  ];
  static override strict = false;
  static override args = {};
  static override flags = {
    connection: connectionFlag,
    scratch: Flags.string({
      description:
        'a PostgreSQL or MySQL server where aishell may create and drop a database of its own (default for PostgreSQL: an embedded PGlite)',
    }),
    'with-sample': Flags.integer({
      description: 'copy the first N rows of every table into the scratch copy (default: the schema only)',
      min: 1,
    }),
  };
  static override usage =
    'migrate test <files or folders...> -c <conn> [--scratch <url>] [--with-sample N] [--json]';

  async run(): Promise<MigrateTestResult> {
    const { argv, flags } = await this.parse(MigrateTest);
    const paths = argv as string[];
    if (paths.length === 0)
      throw new UsageError(
        'name the migration files or folders to test, e.g. aishell migrate test db/migrations -c prod',
      );
    const session = await this.openSession({
      ...(flags.connection ? { connection: flags.connection } : {}),
      history: false,
      warm: false,
    });
    const progress = this.jsonEnabled() ? undefined : migrateTestProgress();
    let result: MigrateTestResult;
    try {
      result = await withInterrupt((signal) =>
        migrateTest({
          paths,
          session,
          ...(flags.scratch ? { scratch: flags.scratch } : {}),
          ...(flags['with-sample'] ? { withSample: flags['with-sample'] } : {}),
          ...(progress ? { onProgress: progress.onProgress } : {}),
          signal,
        }),
      );
    } finally {
      progress?.done();
      await session.close();
    }
    process.exitCode = result.exitCode;
    return this.present(result, (r) => this.out.page(migrateTestText(r, this.out.width)));
  }
}
