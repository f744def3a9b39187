#!/usr/bin/env node
// Fails when an import breaks the direction ARCHITECTURE.md sets:
//   leaves (sql, metrics, cache, atomic-file) import no @aishell package; vault uses atomic-file only;
//   pool, nl, demo, health and plan may use sql; only engine composes; apps import engine (and types
//   only from other packages); nothing imports an app; no circles, across packages or, at run time,
//   between the modules of one. Both package.json dependencies and source imports (static, dynamic,
//   re-exports) are checked. Written here rather than taken from a linter plugin because the rule is
//   this project's own graph; TypeScript's parser does the reading.
//   `--self-test` proves the check fails on forbidden imports, using a throw-away workspace.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const ALLOWED = {
  sql: [],
  metrics: [],
  cache: [],
  'atomic-file': [],
  // The vault's writes go through the one atomic writer that engine's config uses too.
  vault: ['atomic-file'],
  pool: ['sql'],
  nl: ['sql'],
  // The second wave's packages take at most sql; engine hands them a way to run queries.
  demo: ['sql'],
  // The DBA helpers take a way to run queries from engine (ARCHITECTURE.md, second wave).
  health: ['sql'],
  plan: ['sql'],
  lint: ['sql'],
  schema: ['sql'],
  // Index advice reads plans (costs before and after) with @aishell/plan (ARCHITECTURE.md, second wave).
  advise: ['sql', 'plan'],
  // Backups write their catalog entries through the one atomic writer; engine hands in connection
  // configs and a way to run queries, and compares schemas itself (so backup needs no schema).
  backup: ['atomic-file'],
  engine: [
    'sql',
    'pool',
    'cache',
    'metrics',
    'vault',
    'nl',
    'atomic-file',
    'demo',
    'health',
    'plan',
    'lint',
    'schema',
    'advise',
    'backup',
  ],
  cli: ['engine'],
  daemon: ['engine'],
};
const APPS = new Set(['cli', 'daemon']);
const APP_PACKAGES = { '@aishell/cli': 'cli', '@aishell/daemon': 'daemon' };

function projectOf(specifier) {
  if (APP_PACKAGES[specifier]) return APP_PACKAGES[specifier];
  const m = /^@aishell\/([a-z-]+)/.exec(specifier);
  return m ? m[1] : null;
}

function walk(dir, out = []) {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (/\.(ts|mts|js|mjs)$/.test(entry) && !entry.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** Imports of one file: { specifier, typeOnly, line }. */
export function importsOf(file, text) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const add = (node, spec, typeOnly, dynamic = false) => {
    const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    found.push({ specifier: spec, typeOnly, line, dynamic });
  };
  const visit = (node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        !!clause &&
        (clause.isTypeOnly ||
          (!clause.name &&
            !!clause.namedBindings &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(node, node.moduleSpecifier.text, typeOnly);
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      add(node, node.moduleSpecifier.text, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteral(arg)) add(node, arg.text, false, true);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      add(node, node.argument.literal.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Find every violation in a workspace rooted at `root`. */
export function check(root) {
  const problems = [];
  const edges = new Map();
  const moduleGraphs = new Map();
  const projects = [];
  for (const group of ['packages', 'apps']) {
    let names = [];
    try {
      names = readdirSync(path.join(root, group));
    } catch {
      continue;
    }
    for (const name of names) projects.push({ name, dir: path.join(root, group, name) });
  }
  for (const { name, dir } of projects) {
    const allowed = new Set(ALLOWED[name] ?? []);
    if (!(name in ALLOWED))
      problems.push(
        `${name}: not a project ARCHITECTURE.md knows; add it to tools/scripts/check-imports.mjs`,
      );
    edges.set(name, new Set());
    let pkg = {};
    try {
      pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    } catch {}
    for (const dep of Object.keys({
      ...pkg.dependencies,
      ...pkg.peerDependencies,
      ...pkg.optionalDependencies,
    })) {
      const target = projectOf(dep);
      if (!target || target === name) continue;
      if (APPS.has(target))
        problems.push(`${name}/package.json: depends on the app ${dep}; nothing imports an app`);
      else if (!allowed.has(target) && !APPS.has(name))
        problems.push(`${name}/package.json: may not depend on ${dep}`);
    }
    const files = [];
    for (const sub of ['src', 'bin']) {
      try {
        walk(path.join(dir, sub), files);
      } catch {}
    }
    // Runtime imports between the package's own modules (static value imports and re-exports; a type
    // import or an import() is no circle at load time).
    const local = new Map();
    for (const file of files) {
      const rel = path.relative(root, file);
      const isTest = /\.test\.[mc]?[jt]s$/.test(file);
      if (!isTest) local.set(file, new Set());
      for (const imp of importsOf(file, readFileSync(file, 'utf8'))) {
        if (!isTest && !imp.typeOnly && !imp.dynamic && imp.specifier.startsWith('.')) {
          const target = path.resolve(path.dirname(file), imp.specifier).replace(/\.[mc]?js$/, '');
          for (const ext of ['.ts', '.mts', '.js', '.mjs'])
            if (files.includes(target + ext)) local.get(file).add(target + ext);
        }
        const target = projectOf(imp.specifier);
        if (!target || target === name || target === 'testing' || target === 'bench') continue;
        if (APPS.has(target)) {
          problems.push(`${rel}:${imp.line}: imports the app ${imp.specifier}; nothing imports an app`);
          continue;
        }
        if (!isTest) edges.get(name).add(target);
        if (allowed.has(target)) continue;
        // Apps may take types from any package; tests of a package may use what its package may use.
        if (APPS.has(name) && imp.typeOnly) continue;
        problems.push(
          `${rel}:${imp.line}: ${name} may not import ${imp.specifier}${APPS.has(name) ? ' (apps go through @aishell/engine)' : ''}`,
        );
      }
    }
    moduleGraphs.set(name, local);
  }
  // Circles among the source imports.
  const state = new Map();
  for (const [name, graph] of moduleGraphs) {
    for (const circle of circlesOf(graph))
      problems.push(
        `${name}: runtime import circle: ${circle.map((f) => path.relative(root, f)).join(' -> ')}`,
      );
  }
  const stack = [];
  const dfs = (node) => {
    state.set(node, 1);
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === 1)
        problems.push(`circle: ${[...stack.slice(stack.indexOf(next)), next].join(' -> ')}`);
      else if (!state.has(next)) dfs(next);
    }
    stack.pop();
    state.set(node, 2);
  };
  for (const node of edges.keys()) if (!state.has(node)) dfs(node);
  return problems;
}

/** Each circle of a directed graph once (as the path that closes it), found by depth-first search. */
function circlesOf(graph) {
  const out = [];
  const state = new Map();
  const stack = [];
  const dfs = (node) => {
    state.set(node, 1);
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 1) out.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) dfs(next);
    }
    stack.pop();
    state.set(node, 2);
  };
  for (const node of graph.keys()) if (!state.has(node)) dfs(node);
  return out;
}

function selfTest() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'aishell-imports-'));
  const file = (rel, text) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  };
  const cases = [
    [
      'cache importing sql',
      'packages/cache/src/index.ts',
      "import { analyze } from '@aishell/sql';\n",
      /cache may not import @aishell\/sql/,
    ],
    [
      'a package importing an app',
      'packages/engine/src/x.ts',
      "export * from '@aishell/cli';\n",
      /imports the app/,
    ],
    [
      'an app importing a package for values',
      'apps/cli/src/x.ts',
      "const m = await import('@aishell/pool');\n",
      /cli may not import @aishell\/pool/,
    ],
    [
      'atomic-file importing the vault',
      'packages/atomic-file/src/index.ts',
      "export { Vault } from '@aishell/vault';\n",
      /atomic-file may not import @aishell\/vault/,
    ],
    [
      'demo importing pool',
      'packages/demo/src/index.ts',
      "import { createPool } from '@aishell/pool';\n",
      /demo may not import @aishell\/pool/,
    ],
    ['a circle', 'packages/sql/src/index.ts', "import '@aishell/pool';\n", /may not import|circle/],
    [
      'a runtime circle inside a package',
      'packages/pool/src/b.ts',
      "import { a } from './a.js';\nexport const b = a;\n",
      /pool: runtime import circle: packages\/pool\/src\/a\.ts -> packages\/pool\/src\/b\.ts -> packages\/pool\/src\/a\.ts|runtime import circle/,
    ],
  ];
  let failed = 0;
  file('packages/pool/src/index.ts', "import { analyze } from '@aishell/sql';\n");
  // a.ts imports b.ts at run time; b.ts only as a type or lazily: no circle until a case adds one.
  file('packages/pool/src/a.ts', "import './b.js';\nexport const a = 1;\n");
  file(
    'packages/pool/src/c.ts',
    "import type { b } from './b.js';\nexport const c = () => import('./a.js');\n",
  );
  file(
    'apps/cli/src/ok.ts',
    "import type { Pool } from '@aishell/pool';\nimport { Session } from '@aishell/engine';\n",
  );
  const clean = check(root);
  if (clean.length) {
    console.error(`self-test: a clean workspace was flagged: ${clean.join('; ')}`);
    failed++;
  }
  for (const [what, rel, text, expected] of cases) {
    file(rel, text);
    const problems = check(root);
    if (!problems.some((p) => expected.test(p))) {
      console.error(`self-test: ${what} was not caught (got: ${problems.join('; ') || 'nothing'})`);
      failed++;
    }
    rmSync(path.join(root, rel));
  }
  rmSync(root, { recursive: true, force: true });
  console.log(`check-imports self-test: ${cases.length + 1 - failed} passed, ${failed} failed`);
  return failed === 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--self-test')) process.exit(selfTest() ? 0 : 1);
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const problems = check(root);
  if (problems.length) {
    console.error(
      `Forbidden imports (see ARCHITECTURE.md, "Which way imports run"):\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
    process.exit(1);
  }
  console.log('imports follow ARCHITECTURE.md');
}
