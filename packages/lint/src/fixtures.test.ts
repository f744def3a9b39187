import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lintMigrations } from './lint-migrations.js';
import type { LintDialect, LintFile } from './types.js';

// test/fixtures/<engine>/<layout>/{good,bad}/: migration folders as each tool lays them out, and
// expected.json with the files linted (in the tool's order), the files left out, and the findings.
const ROOT = fileURLToPath(new URL('../test/fixtures', import.meta.url));

function read(dir: string, base = dir, out: LintFile[] = []): LintFile[] {
  for (const entry of readdirSync(dir).sort()) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) read(full, base, out);
    else if (entry !== 'expected.json')
      out.push({
        path: path.relative(base, full).split(path.sep).join('/'),
        text: readFileSync(full, 'utf8'),
      });
  }
  return out;
}

const cases = readdirSync(ROOT).flatMap((engine) =>
  readdirSync(path.join(ROOT, engine)).flatMap((layout) =>
    ['good', 'bad'].map(
      (kind) =>
        [
          `${engine} ${layout} ${kind}`,
          engine as LintDialect,
          path.join(ROOT, engine, layout, kind),
          kind,
        ] as const,
    ),
  ),
);

describe('migration folders of each tool', () => {
  it('cover every layout for both engines', () => {
    expect(readdirSync(path.join(ROOT, 'postgres')).sort()).toEqual([
      'dbmate',
      'flyway',
      'golang-migrate',
      'goose',
      'prisma',
      'timestamped',
    ]);
    expect(readdirSync(path.join(ROOT, 'mysql')).sort()).toEqual([
      'dbmate',
      'flyway',
      'golang-migrate',
      'prisma',
      'timestamped',
    ]);
  });

  it.each(cases)('%s: lints what expected.json says, in its order', async (_name, dialect, dir, kind) => {
    const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as {
      files: string[];
      skipped: unknown[];
      findings: { rule: string; file: string; line: number; column: number }[];
    };
    const result = await lintMigrations(read(dir), { dialect });
    expect(result.files).toEqual(expected.files);
    expect(result.skipped).toEqual(expected.skipped);
    expect(result.findings.map(({ rule, file, line, column }) => ({ rule, file, line, column }))).toEqual(
      expected.findings,
    );
    if (kind === 'good') expect(result.findings).toEqual([]);
    else expect(result.findings.length).toBeGreaterThan(0);
  });
});
