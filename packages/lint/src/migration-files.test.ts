import { describe, expect, it } from 'vitest';
import { compareVersions, migrationFiles } from './migration-files.js';

const f = (path: string, text = 'SELECT 1;') => ({ path, text });
const order = (paths: string[]) => migrationFiles(paths.map((p) => f(p))).files.map((x) => x.path);

describe('migrationFiles', () => {
  it('orders versions as numbers, not as text (9 before 10, 1.9 before 1.10)', () => {
    expect(order(['10_b.up.sql', '9_a.up.sql', '100_c.up.sql'])).toEqual([
      '9_a.up.sql',
      '10_b.up.sql',
      '100_c.up.sql',
    ]);
    expect(order(['V1.10__b.sql', 'V1.9__a.sql', 'V2__c.sql', 'V1_2__x.sql'])).toEqual([
      'V1_2__x.sql',
      'V1.9__a.sql',
      'V1.10__b.sql',
      'V2__c.sql',
    ]);
    expect(compareVersions('1.2', '1.2.0')).toBe(-1);
    expect(compareVersions('20240101000000', '20231231235959')).toBe(1);
  });

  it('reads each tool from the name and the text', () => {
    const layout = migrationFiles([
      f('db/migrations/20240102000000_b.sql', '-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;\n'),
      f('migrations/00003_c.sql', '-- +goose Up\nSELECT 1;\n'),
      f('m/000004_d.up.sql'),
      f('sql/V5__e.sql'),
      f('prisma/migrations/20240106000000_f/migration.sql'),
      f('db/20240107000000_g.sql'),
      f('misc/seed.sql'),
    ]);
    expect(layout.files.map((x) => [x.tool, x.version, x.name])).toEqual([
      ['goose', '00003', 'c'],
      ['golang-migrate', '000004', 'd'],
      ['flyway', '5', 'e'],
      ['dbmate', '20240102000000', 'b'],
      ['prisma', '20240106000000', 'f'],
      ['timestamped', '20240107000000', 'g'],
      ['plain', undefined, 'seed'],
    ]);
  });

  it('leaves out down and undo migrations and files that are not SQL, saying why', () => {
    const layout = migrationFiles([
      f('1_a.up.sql'),
      f('1_a.down.sql'),
      f('U2__b.sql'),
      f('migration_lock.toml'),
      f('README.md'),
      f('x.down.sql'),
    ]);
    expect(layout.files.map((x) => x.path)).toEqual(['1_a.up.sql']);
    expect(layout.skipped).toEqual([
      { path: '1_a.down.sql', reason: 'down-migration' },
      { path: 'U2__b.sql', reason: 'undo-migration' },
      { path: 'migration_lock.toml', reason: 'not-sql' },
      { path: 'README.md', reason: 'not-sql' },
      { path: 'x.down.sql', reason: 'down-migration' },
    ]);
  });

  it("keeps only dbmate's up section, and knows when the tool runs it in a transaction", () => {
    const text = '-- migrate:up\nCREATE TABLE t (id int);\n\n-- migrate:down\nDROP TABLE t;\n';
    const [file] = migrationFiles([f('20240101000000_t.sql', text)]).files;
    expect(text.slice(file?.up.start, file?.up.end)).toBe('\nCREATE TABLE t (id int);\n\n');
    expect(file?.inTransaction).toBe(true);
    const [manual] = migrationFiles([
      f('20240101000000_t.sql', text.replace('migrate:up', 'migrate:up transaction:false')),
    ]).files;
    expect(manual?.inTransaction).toBe(false);
    const [goose] = migrationFiles([
      f('00001_t.sql', '-- +goose NO TRANSACTION\n-- +goose Up\nSELECT 1;\n-- +goose Down\nSELECT 2;'),
    ]).files;
    expect(goose?.inTransaction).toBe(false);
  });

  it('puts Flyway repeatables after the versioned files and plain files last, by name', () => {
    expect(order(['R__views.sql', 'b10.sql', 'V1__a.sql', 'b9.sql', 'R__grants.sql'])).toEqual([
      'V1__a.sql',
      'R__grants.sql',
      'R__views.sql',
      'b9.sql',
      'b10.sql',
    ]);
  });

  it('reads Windows paths and upper-case extensions', () => {
    const layout = migrationFiles([
      f('prisma\\migrations\\20240101000000_init\\migration.sql'),
      f('db\\2_B.UP.SQL'),
      f('db\\2_B.DOWN.SQL'),
    ]);
    expect(layout.files.map((x) => x.tool)).toEqual(['golang-migrate', 'prisma']);
    expect(layout.skipped).toEqual([{ path: 'db\\2_B.DOWN.SQL', reason: 'down-migration' }]);
  });
});

describe('migrationFiles: down parts', () => {
  const downText = (file: { down: { text: string; start: number; end: number } | null } | undefined) =>
    file?.down === null || file?.down === undefined
      ? null
      : file.down.text.slice(file.down.start, file.down.end);

  it("gives dbmate's -- migrate:down section, with its own transaction setting", () => {
    const text =
      '-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:down transaction:false\nDROP TABLE t;\n';
    const [file] = migrationFiles([f('db/migrations/20240101000000_t.sql', text)]).files;
    expect(downText(file)).toBe('\nDROP TABLE t;\n');
    expect(file?.down).toMatchObject({ path: 'db/migrations/20240101000000_t.sql', inTransaction: false });
    expect(file?.inTransaction).toBe(true);
    const [upOnly] = migrationFiles([f('20240101000000_t.sql', '-- migrate:up\nSELECT 1;\n')]).files;
    expect(upOnly?.down).toBeNull();
  });

  it("gives goose's -- +goose Down section, in a transaction unless the file says NO TRANSACTION", () => {
    const text = '-- +goose Up\nCREATE TABLE t (id int);\n\n-- +goose Down\nDROP TABLE t;\n';
    const [file] = migrationFiles([f('00001_t.sql', text)]).files;
    expect(downText(file)).toBe('\nDROP TABLE t;\n');
    expect(file?.down?.inTransaction).toBe(true);
    const [manual] = migrationFiles([f('00001_t.sql', `-- +goose NO TRANSACTION\n${text}`)]).files;
    expect(manual?.down?.inTransaction).toBe(false);
    expect(migrationFiles([f('00002_u.sql', '-- +goose Up\nSELECT 1;\n')]).files[0]?.down).toBeNull();
  });

  it("pairs golang-migrate's N_name.up.sql with the .down.sql of the same version and folder", () => {
    const layout = migrationFiles([
      f('m/000001_init.up.sql', 'CREATE TABLE t (id int);'),
      f('m/000001_init.down.sql', 'DROP TABLE t;'),
      f('m/000002_more.up.sql', 'ALTER TABLE t ADD b int;'),
      f('other/000002_more.down.sql', 'ALTER TABLE t DROP b;'),
      f('m\\3_x.UP.SQL', 'SELECT 3;'),
      f('m\\03_x.DOWN.SQL', 'SELECT -3;'),
    ]);
    expect(layout.files.map((x) => [x.path, x.down?.path ?? null, downText(x)])).toEqual([
      ['m/000001_init.up.sql', 'm/000001_init.down.sql', 'DROP TABLE t;'],
      ['m/000002_more.up.sql', null, null],
      ['m\\3_x.UP.SQL', 'm\\03_x.DOWN.SQL', 'SELECT -3;'],
    ]);
    // The down files are still left out of what is linted.
    expect(layout.skipped.map((s) => s.reason)).toEqual([
      'down-migration',
      'down-migration',
      'down-migration',
    ]);
  });

  it("pairs Flyway's V<version>__name.sql with the U<version>__*.sql undo file", () => {
    const layout = migrationFiles([
      f('sql/V1__init.sql', 'CREATE TABLE t (id int);'),
      f('sql/U1__init.sql', 'DROP TABLE t;'),
      f('sql/V1_1__more.sql', 'ALTER TABLE t ADD b int;'),
      f('sql/U1.1__undo_more.sql', 'ALTER TABLE t DROP b;'),
      f('sql/V2__no_undo.sql', 'SELECT 2;'),
      f('sql/R__views.sql', 'SELECT 1;'),
    ]);
    expect(layout.files.map((x) => [x.path, x.down?.path ?? null])).toEqual([
      ['sql/V1__init.sql', 'sql/U1__init.sql'],
      ['sql/V1_1__more.sql', 'sql/U1.1__undo_more.sql'],
      ['sql/V2__no_undo.sql', null],
      ['sql/R__views.sql', null],
    ]);
    expect(layout.files[1]?.down).toMatchObject({
      start: 0,
      end: 'ALTER TABLE t DROP b;'.length,
      inTransaction: false,
    });
  });

  it('gives no down for Prisma, timestamped and plain files', () => {
    const layout = migrationFiles([
      f('prisma/migrations/20240101000000_init/migration.sql'),
      f('db/20240102000000_b.sql'),
      f('seed.sql'),
    ]);
    expect(layout.files.map((x) => x.down)).toEqual([null, null, null]);
  });
});
