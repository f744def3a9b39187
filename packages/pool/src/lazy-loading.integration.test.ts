import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));

// A fresh Node process imports the package from source and reports which driver libraries sit in
// the module cache (CommonJS modules imported from ESM are recorded there).
const SCRIPT = `
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const loaded = () => {
  const keys = Object.keys(require('node:module')._cache);
  return Object.fromEntries(['pg', 'mysql2', 'better-sqlite3'].map((name) =>
    [name, keys.some((k) => k.includes('/node_modules/' + name + '/'))]));
};
const { createPool } = await import('./src/index.ts');
const atImport = loaded();
const pool = createPool('sqlite::memory:');
const created = loaded();
await pool.query('select 1');
const afterSqlite = loaded();
await pool.close();
process.stdout.write(JSON.stringify({ atImport, created, afterSqlite }));
`;

describe('loading', () => {
  it('loads no driver library on import and only the engine in use on first query', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], {
      cwd: packageDir,
      timeout: 60_000,
    });
    const report = JSON.parse(stdout) as Record<string, Record<string, boolean>>;
    const none = { pg: false, mysql2: false, 'better-sqlite3': false };
    expect(report.atImport).toEqual(none);
    expect(report.created).toEqual(none);
    expect(report.afterSqlite).toEqual({ pg: false, mysql2: false, 'better-sqlite3': true });
  });
});
