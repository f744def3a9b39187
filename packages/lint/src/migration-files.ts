// The file layouts of the common migration tools: which files (and which part of a file) migrate up,
// and in which order the tool applies them.
import type { LintFile, MigrationFile, MigrationLayout, MigrationTool, SkipReason } from './types.js';

const GOLANG_MIGRATE = /^(\d+)_(.+)\.(up|down)\.sql$/i;
const FLYWAY_VERSIONED = /^V(\d+(?:[._]\d+)*)__(.+)\.sql$/;
const FLYWAY_UNDO = /^U(\d+(?:[._]\d+)*)__(.+)\.sql$/;
const FLYWAY_REPEATABLE = /^R__(.+)\.sql$/;
const NUMBERED = /^(\d+)[_-]?(.*)\.sql$/i;
const PRISMA_FOLDER = /^(\d+)_?(.*)$/;
const DBMATE_UP = /^--\s*migrate:up\b(.*)$/m;
const DBMATE_DOWN = /^--\s*migrate:down\b.*$/m;
const GOOSE_UP = /^--\s*\+goose\s+up\b.*$/im;
const GOOSE_DOWN = /^--\s*\+goose\s+down\b.*$/im;
const GOOSE_NO_TRANSACTION = /^--\s*\+goose\s+no\s+transaction\b/im;

/** Rank of a tool's files in the order: versioned first, Flyway's repeatables after them, plain last. */
const GROUP: Readonly<Record<MigrationTool, number>> = {
  dbmate: 0,
  goose: 0,
  'golang-migrate': 0,
  flyway: 0,
  prisma: 0,
  timestamped: 0,
  plain: 2,
};

/**
 * Reads the layout of migration files: dbmate and goose files (only the up section is linted; a file
 * that the tool runs in a transaction says so), golang-migrate `N_name.up.sql` (`.down.sql` left out),
 * Flyway `V1.2__name.sql` (ordered by version, `U` undo files left out, `R__` repeatables after the
 * versioned ones), Prisma `migrations/<timestamp>_name/migration.sql`, and names that start with a
 * timestamp or sequence number (Rails-style `20240101120000_name.sql`, `001_name.sql`). Other `.sql`
 * files are linted as they are, after the others, by name. Files that are not `.sql` are left out.
 * @example migrationFiles([{ path: 'db/2_b.up.sql', text }, { path: 'db/1_a.up.sql', text }]).files.map((f) => f.path)
 */
export function migrationFiles(files: readonly LintFile[]): MigrationLayout {
  const out: MigrationFile[] = [];
  const skipped: { path: string; reason: SkipReason }[] = [];
  for (const file of files) {
    const read = readFile(file);
    if ('reason' in read) skipped.push({ path: file.path, reason: read.reason });
    else out.push(read);
  }
  out.sort(compareMigrations);
  return { files: out, skipped };
}

function readFile(file: LintFile): MigrationFile | { reason: SkipReason } {
  const parts = file.path.split(/[\\/]+/);
  const base = parts.at(-1) ?? file.path;
  const folder = parts.at(-2) ?? '';
  if (!/\.sql$/i.test(base)) return { reason: 'not-sql' };
  const whole = { start: 0, end: file.text.length };
  const made = (
    tool: MigrationTool,
    version: string | undefined,
    name: string,
    extra?: Partial<MigrationFile>,
  ): MigrationFile => ({
    path: file.path,
    text: file.text,
    tool,
    version,
    name,
    up: whole,
    inTransaction: false,
    ...extra,
  });

  const numbered = NUMBERED.exec(base);
  const dbmate = DBMATE_UP.exec(file.text);
  if (dbmate !== null) {
    const start = dbmate.index + dbmate[0].length;
    const down = DBMATE_DOWN.exec(file.text.slice(start));
    const end = down === null ? file.text.length : start + down.index;
    return made('dbmate', numbered?.[1], numbered?.[2] ?? base.replace(/\.sql$/i, ''), {
      up: { start, end },
      inTransaction: !/\btransaction\s*:\s*false\b/i.test(dbmate[1] ?? ''),
    });
  }
  const goose = GOOSE_UP.exec(file.text);
  if (goose !== null) {
    const start = goose.index + goose[0].length;
    const down = GOOSE_DOWN.exec(file.text.slice(start));
    const end = down === null ? file.text.length : start + down.index;
    return made('goose', numbered?.[1], numbered?.[2] ?? base.replace(/\.sql$/i, ''), {
      up: { start, end },
      inTransaction: !GOOSE_NO_TRANSACTION.test(file.text),
    });
  }
  const golang = GOLANG_MIGRATE.exec(base);
  if (golang !== null) {
    if ((golang[3] ?? '').toLowerCase() === 'down') return { reason: 'down-migration' };
    return made('golang-migrate', golang[1], golang[2] ?? '');
  }
  if (/\.down\.sql$/i.test(base)) return { reason: 'down-migration' };
  const flyway = FLYWAY_VERSIONED.exec(base);
  if (flyway !== null) return made('flyway', (flyway[1] ?? '').replace(/_/g, '.'), flyway[2] ?? '');
  if (FLYWAY_UNDO.test(base)) return { reason: 'undo-migration' };
  const repeatable = FLYWAY_REPEATABLE.exec(base);
  if (repeatable !== null) return made('flyway', undefined, repeatable[1] ?? '');
  if (base.toLowerCase() === 'migration.sql') {
    const prisma = PRISMA_FOLDER.exec(folder);
    if (prisma !== null) return made('prisma', prisma[1], prisma[2] ?? '');
  }
  if (numbered !== null) return made('timestamped', numbered[1], (numbered[2] ?? '').replace(/\.up$/i, ''));
  return made('plain', undefined, base.replace(/\.sql$/i, ''));
}

function compareMigrations(a: MigrationFile, b: MigrationFile): number {
  const group = (f: MigrationFile): number =>
    f.tool === 'flyway' && f.version === undefined ? 1 : GROUP[f.tool];
  return (
    group(a) - group(b) ||
    compareVersions(a.version, b.version) ||
    naturalCompare(a.name, b.name) ||
    naturalCompare(a.path, b.path)
  );
}

/** Dotted numeric versions (`1.10` after `1.9`); undefined after any version. */
export function compareVersions(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const bx = BigInt(x);
    const by = BigInt(y);
    if (bx !== by) return bx < by ? -1 : 1;
  }
  return 0;
}

const collator = new Intl.Collator('en', { numeric: true });
const naturalCompare = (a: string, b: string): number => collator.compare(a, b);
