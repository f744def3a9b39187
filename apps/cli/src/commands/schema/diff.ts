import {
  type ApplyCheckResult,
  type Hazard,
  type SchemaDiffResult,
  type SqlDialect,
  schemaDiff,
  schemaSource,
  type UnsupportedDifference,
  UsageError,
} from '@aishell/engine';
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../../base-command.js';
import { withInterrupt } from '../../interrupt.js';

/** `schema diff --json` (PRODUCT.md): the statements with hazards, what is not planned, the trial run. */
export interface SchemaDiffDocument {
  readonly dialect: SqlDialect;
  readonly statements: {
    readonly sql: string;
    readonly hazards: readonly Hazard[];
    readonly online: boolean;
    readonly transactional: boolean;
    readonly lockTimeoutMillis: number | null;
    readonly statementTimeoutMillis: number | null;
  }[];
  readonly unsupported: readonly UnsupportedDifference[];
  readonly applyCheck: Pick<ApplyCheckResult, 'converged' | 'residue' | 'applied' | 'failed'> | null;
  /** The plan drops data (a table, a column, a narrowing type change): exit 5 without --unsafe. */
  readonly dropsData: boolean;
  /** The plan as a script (hazards as comments), what the text output prints. */
  readonly script: string;
  readonly from: SchemaDiffResult['from'];
  readonly to: SchemaDiffResult['to'];
  readonly warnings: readonly string[];
}

export default class SchemaDiff extends BaseCommand {
  static override summary =
    'Plan the migration from one schema to another, with hazards (as pg-schema-diff) and a trial run.';
  static override description =
    'Each side is a connection (a saved name or a URL) or a schema file (*.sql). A PostgreSQL file is loaded into an ' +
    'embedded PGlite, or into a database of its own on the server given with --scratch (aishell_scratch_<random>, ' +
    'always dropped afterwards); MySQL/MariaDB files need --scratch mysql://.... The plan is printed as SQL, each ' +
    'statement preceded by its hazards (DELETES_DATA, ACQUIRES_ACCESS_EXCLUSIVE_LOCK, INDEX_BUILD, TABLE_REBUILD, ...) ' +
    "and written in its online form where there is one (CREATE INDEX CONCURRENTLY, NOT VALID then VALIDATE, MySQL's " +
    'ALGORITHM=INPLACE/INSTANT, lock_timeout before each statement). A plan that drops data exits 5 unless --unsafe; ' +
    'renames are planned only when asked (--rename). --apply-check runs the plan on a scratch copy of <from> and ' +
    'diffs again: anything left exits 4. Nothing is ever run on <from> or <to>.';
  static override examples = [
    {
      description: 'What it takes to bring production to the schema in the repository',
      command: '<%= config.bin %> schema diff prod schema.sql',
    },
    {
      description: 'Two files, the plan tried on a scratch copy, as JSON',
      command: '<%= config.bin %> schema diff old.sql new.sql --apply-check --json',
    },
    {
      description: 'A column renamed, not dropped and added',
      command: '<%= config.bin %> schema diff prod schema.sql --rename users.mail=email',
    },
    {
      description: 'MySQL files, loaded on a server where aishell may create a scratch database',
      command: '<%= config.bin %> schema diff a.sql b.sql --scratch mysql://root@127.0.0.1/',
    },
  ];
  static override args = {
    from: Args.string({
      ignoreStdin: true,
      required: true,
      description: 'the schema now: a connection (name or URL) or a schema file (*.sql)',
    }),
    to: Args.string({
      ignoreStdin: true,
      required: true,
      description: 'the schema wanted: a connection or a schema file',
    }),
  };
  static override flags = {
    'apply-check': Flags.boolean({
      description: 'run the plan on a scratch copy of <from> and diff again: anything left exits 4',
    }),
    scratch: Flags.string({
      description:
        'a PostgreSQL or MySQL server where aishell may create and drop a database of its own (default for PostgreSQL: an embedded PGlite)',
    }),
    schema: Flags.string({
      description: 'PostgreSQL schema to compare (repeatable; default: all but system ones)',
      multiple: true,
    }),
    rename: Flags.string({
      description:
        'a rename to plan instead of a drop and an add: table=new, schema.table=new, table.column=new (repeatable)',
      multiple: true,
    }),
    unsafe: Flags.boolean({ description: 'allow a plan that drops data (exit 0 instead of 5)' }),
    privileges: Flags.boolean({ description: 'compare grants too (PostgreSQL)' }),
    offline: Flags.boolean({
      description: 'the direct forms instead of the online ones (for a database nobody uses)',
    }),
    dialect: Flags.string({
      char: 'd',
      description: 'dialect of two schema files (default: that of --scratch, else postgres)',
      options: ['postgres', 'mysql', 'sqlite'],
    }),
  };

  async run(): Promise<SchemaDiffDocument> {
    const { args, flags } = await this.parse(SchemaDiff);
    const renames = parseRenames(flags.rename ?? []);
    const result = await withInterrupt((signal) =>
      schemaDiff({
        from: schemaSource(args.from),
        to: schemaSource(args.to),
        openSession: (connection) => this.openSession({ connection, history: false, warm: false }),
        ...(flags.scratch ? { scratch: flags.scratch } : {}),
        ...(flags.dialect ? { dialect: flags.dialect as SqlDialect } : {}),
        ...(flags.schema ? { schemas: flags.schema } : {}),
        ...(Object.keys(renames).length > 0 ? { renames } : {}),
        ...(flags.privileges ? { privileges: true } : {}),
        ...(flags.offline ? { offline: true } : {}),
        applyCheck: flags['apply-check'],
        signal,
      }),
    );
    const doc: SchemaDiffDocument = {
      dialect: result.dialect,
      statements: result.plan.statements.map((s) => ({
        sql: s.sql,
        hazards: s.hazards,
        online: s.online,
        transactional: s.transactional,
        lockTimeoutMillis: s.lockTimeoutMillis,
        statementTimeoutMillis: s.statementTimeoutMillis,
      })),
      unsupported: result.plan.unsupported,
      applyCheck: result.applyCheck,
      dropsData: result.dataLoss.length > 0,
      script: result.script,
      from: result.from,
      to: result.to,
      warnings: result.warnings,
    };
    const checkFailed = doc.applyCheck !== null && !doc.applyCheck.converged;
    if (checkFailed) process.exitCode = 4;
    else if (doc.dropsData && !flags.unsafe) process.exitCode = 5;
    // Said on stderr in both forms: stdout holds the plan (a script one can save) or the JSON.
    for (const w of doc.warnings) this.note(`aishell: warning: ${w}`);
    if (doc.dropsData && !flags.unsafe)
      this.note(
        `aishell: the plan drops data (${result.dataLoss.length} statement${result.dataLoss.length === 1 ? '' : 's'} marked DELETES_DATA); printed, not approved: check it, then re-run with --unsafe`,
      );
    if (doc.applyCheck) this.note(applyCheckText(doc.applyCheck));
    return this.present(doc, (d) => d.script || '-- no differences: nothing to migrate\n');
  }
}

/** `--rename old=new ...` as the differ's renames; a malformed one is a usage error naming it. */
function parseRenames(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const from = pair.slice(0, eq).trim();
    const to = pair.slice(eq + 1).trim();
    if (eq <= 0 || to === '' || to.includes('='))
      throw new UsageError(`--rename ${pair}: expected old=new, e.g. users.mail=email or orders=purchases`);
    out[from] = to;
  }
  return out;
}

/** The trial run in a few lines for stderr. */
function applyCheckText(check: NonNullable<SchemaDiffDocument['applyCheck']>): string {
  if (check.converged)
    return `aishell: apply-check: converged (${check.applied} statement${check.applied === 1 ? '' : 's'} ran on a scratch copy; diffing again leaves nothing to do)`;
  const lines = ['aishell: apply-check: the plan does not converge'];
  if (check.failed)
    lines.push(
      `  statement ${check.failed.statement + 1} failed: ${check.failed.message}`,
      `    ${check.failed.sql.split('\n')[0]}`,
    );
  for (const r of check.residue) lines.push(`  left: ${r.sql ?? r.message}`);
  return lines.join('\n');
}
