// The file layouts of the common migration tools: which files (and which part of a file) migrate up,
// and in which order the tool applies them.
import type {
  LintFile,
  MigrationDown,
  MigrationFile,
  MigrationLayout,
  MigrationTool,
  SkipReason,
} from './types.js';

const GOLANG_MIGRATE = /^(\d+)_(.+)\.(up|down)\.sql$/i;
const FLYWAY_VERSIONED = /^V(\d+(?:[._]\d+)*)__(.+)\.sql$/;
const FLYWAY_UNDO = /^U(\d+(?:[._]\d+)*)__(.+)\.sql$/;
const FLYWAY_REPEATABLE = /^R__(.+)\.sql$/;
const NUMBERED = /^(\d+)[_-]?(.*)\.sql$/i;
const PRISMA_FOLDER = /^(\d+)_?(.*)$/;
const DBMATE_UP = /^--\s*migrate:up\b(.*)$/m;
const DBMATE_DOWN = /^--\s*migrate:down\b(.*)$/m;
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
 * Each file also carries its `down`: the down section (dbmate, goose), or the down or undo file given
 * beside it (golang-migrate's `N_name.down.sql` in the same folder, Flyway's `U<version>__*.sql`).
 * @example migrationFiles([{ path: 'db/2_b.up.sql', text }, { path: 'db/1_a.up.sql', text }]).files.map((f) => f.path)
 */
export function migrationFiles(files: readonly LintFile[]): MigrationLayout {
  const out: MigrationFile[] = [];
  const skipped: { path: string; reason: SkipReason }[] = [];
  const downs = downFiles(files);
  for (const file of files) {
    const read = readFile(file, downs);
    if ('reason' in read) skipped.push({ path: file.path, reason: read.reason });
    else out.push(read);
  }
  out.sort(compareMigrations);
  return { files: out, skipped };
}

/** The down files given (golang-migrate `N_name.down.sql`, Flyway `U<version>__name.sql`), by what finds them. */
interface DownFiles {
  /** golang-migrate: `<folder>\0<version>` -> the file; golang-migrate pairs up and down files by version. */
  readonly golang: ReadonlyMap<string, LintFile>;
  /** Flyway: `<folder>\0<version>` (dotted) -> the file; Flyway matches undo to versioned by version. */
  readonly flyway: ReadonlyMap<string, LintFile>;
}

function downFiles(files: readonly LintFile[]): DownFiles {
  const golang = new Map<string, LintFile>();
  const flyway = new Map<string, LintFile>();
  for (const file of files) {
    const { folder, base } = splitPath(file.path);
    const g = GOLANG_MIGRATE.exec(base);
    if (g !== null && (g[3] ?? '').toLowerCase() === 'down') golang.set(versionKey(folder, g[1] ?? ''), file);
    const u = FLYWAY_UNDO.exec(base);
    if (u !== null) flyway.set(versionKey(folder, u[1] ?? ''), file);
  }
  return { golang, flyway };
}

function splitPath(path: string): { folder: string; base: string; parent: string } {
  const parts = path.split(/[\\/]+/);
  return {
    base: parts.at(-1) ?? path,
    parent: parts.at(-2) ?? '',
    folder: parts.slice(0, -1).join('/'),
  };
}

/** A folder and a version (`001` is `1`, Flyway's `1_2` is `1.2`), as golang-migrate and Flyway compare them. */
const versionKey = (folder: string, version: string): string =>
  `${folder}\0${version
    .split(/[._]/)
    .map((part) => String(BigInt(part)))
    .join('.')}`;

/** A whole file as a down part. */
const wholeDown = (file: LintFile): MigrationDown => ({
  path: file.path,
  text: file.text,
  start: 0,
  end: file.text.length,
  inTransaction: false,
});

function readFile(file: LintFile, downs: DownFiles): MigrationFile | { reason: SkipReason } {
  const { base, parent: folder, folder: dir } = splitPath(file.path);
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
    down: null,
    ...extra,
  });

  const numbered = NUMBERED.exec(base);
  const name = numbered?.[2] ?? base.replace(/\.sql$/i, '');
  const dbmate = DBMATE_UP.exec(file.text);
  if (dbmate !== null) {
    const { up, down } = sections(file, dbmate, DBMATE_DOWN);
    const noTransaction = /\btransaction\s*:\s*false\b/i;
    return made('dbmate', numbered?.[1], name, {
      up,
      inTransaction: !noTransaction.test(dbmate[1] ?? ''),
      down: down && { ...down.part, inTransaction: !noTransaction.test(down.marker[1] ?? '') },
    });
  }
  const goose = GOOSE_UP.exec(file.text);
  if (goose !== null) {
    const { up, down } = sections(file, goose, GOOSE_DOWN);
    const inTransaction = !GOOSE_NO_TRANSACTION.test(file.text);
    return made('goose', numbered?.[1], name, {
      up,
      inTransaction,
      down: down && { ...down.part, inTransaction },
    });
  }
  const golang = GOLANG_MIGRATE.exec(base);
  if (golang !== null) {
    if ((golang[3] ?? '').toLowerCase() === 'down') return { reason: 'down-migration' };
    const down = downs.golang.get(versionKey(dir, golang[1] ?? ''));
    return made('golang-migrate', golang[1], golang[2] ?? '', { down: down ? wholeDown(down) : null });
  }
  if (/\.down\.sql$/i.test(base)) return { reason: 'down-migration' };
  const flyway = FLYWAY_VERSIONED.exec(base);
  if (flyway !== null) {
    const undo = downs.flyway.get(versionKey(dir, flyway[1] ?? ''));
    return made('flyway', (flyway[1] ?? '').replace(/_/g, '.'), flyway[2] ?? '', {
      down: undo ? wholeDown(undo) : null,
    });
  }
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

/**
 * The two parts of a file with section markers (dbmate's `-- migrate:up/down`, goose's `-- +goose Up/Down`):
 * up from after its marker to the down marker (or the end), down from after its marker to the end.
 */
function sections(
  file: LintFile,
  upMarker: RegExpExecArray,
  downMarker: RegExp,
): {
  up: { start: number; end: number };
  down: { part: { path: string; text: string; start: number; end: number }; marker: RegExpExecArray } | null;
} {
  const start = upMarker.index + upMarker[0].length;
  const down = downMarker.exec(file.text.slice(start));
  const end = down === null ? file.text.length : start + down.index;
  return {
    up: { start, end },
    down:
      down === null
        ? null
        : {
            part: { path: file.path, text: file.text, start: end + down[0].length, end: file.text.length },
            marker: down,
          },
  };
}
