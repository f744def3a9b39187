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
