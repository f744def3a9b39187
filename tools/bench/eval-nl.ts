// Execution accuracy of the offline translator on Spider-format examples (see ../shared/nl-bench).
// `pnpm eval:nl [--data <examples.jsonl>] [--json] [--db <db_id>] [--verbose] [--fail-log <file>]
//   [--dump <file>] [--meanings off]` (--dump writes one JSON line per question: id, sql, params, result,
//   to compare runs; --fail-log <file> also writes <file>.<set>: the failures of each own set's dev half; --meanings off builds the schema index without WordNet).
// With the default data, the sets under tools/bench/nl/sets/ (our own questions: Spider questions
// reworded with other words, databases with other naming habits) are measured too and reported
// under `sets` in the JSON line, each with its dev and held-out halves.
// Schema and value index are built once per database, outside the timing; the timing covers the
// translate() call only. Gold and predicted SQL run with their parameters bound on a read-only
// database. better-sqlite3 cannot interrupt a statement, so there is no per-query time limit:
// the translator joins only along foreign keys and never cross-joins, which keeps every query small.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEMO_TABLES } from '@aishell/demo';
import {
  buildSchemaIndex,
  buildValueIndex,
  linkSchema,
  NlNoTranslationError,
  type NlSchema,
  type SchemaIndex,
  translate,
} from '@aishell/nl';
import { sqliteProbe, sqliteSchema } from '@aishell/testing';
import Database from 'better-sqlite3';
import { sameResult } from './nl/compare-results.js';

interface Example {
  id: string;
  db_id: string;
  question: string;
  gold_sql: string;
  difficulty: 'easy' | 'medium' | 'hard' | 'extra';
  category: string;
  order_matters: boolean;
  db_path: string;
  /** Our own sets: "dev" (may be looked at while building) or "held-out" (only measured). */
  split?: 'dev' | 'held-out';
  /** Reworded sets: the Spider example this one rewords. */
  source_id?: string;
}

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i === -1 ? undefined : argv[i + 1];
};
// --json is accepted for symmetry with other benchmarks: the JSON line is always printed last.
const verbose = argv.includes('--verbose');
const onlyDb = flag('--db');
const failLog = flag('--fail-log');
const dumpPath = flag('--dump');
const meanings = flag('--meanings') !== 'off';
const dataPath = path.resolve(
  flag('--data') ?? path.resolve('..', 'shared', 'nl-bench', 'spider_dev', 'examples.jsonl'),
);
if (!existsSync(dataPath)) {
  process.stderr.write(`no data at ${dataPath}\n`);
  process.exit(2);
}
const defaultData = flag('--data') === undefined;
const nlBench = path.resolve('..', 'shared', 'nl-bench');
function readExamples(file: string): Example[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Example)
    .filter((e) => onlyDb === undefined || e.db_id === onlyDb);
}
const examples = readExamples(dataPath);

const now = new Date();
const dbs = new Map<string, { db: Database.Database; index: SchemaIndex }>();
/**
 * Opens an example's database: a SQLite file (relative to the nl-bench folder, the parent of the
 * folder that holds examples.jsonl, or to that folder), or a `.sql` script run into a database in
 * memory, with the comments of `<name>.comments.json` beside it (SQLite keeps no comments).
 */
async function open(e: Example, dir: string): Promise<{ db: Database.Database; index: SchemaIndex }> {
  const key = `${dir}:${e.db_id}`;
  const cached = dbs.get(key);
  if (cached) return cached;
  const candidates = [
    path.resolve(path.dirname(dir), e.db_path),
    path.resolve(dir, e.db_path),
    path.resolve(nlBench, e.db_path),
  ];
  const file = candidates.find((f) => existsSync(f)) ?? candidates[0]!;
  let db: Database.Database;
  let comments: Record<string, Record<string, string>> = {};
  if (file.endsWith('.sql')) {
    db = new Database(':memory:');
    db.exec(readFileSync(file, 'utf8'));
    const side = file.replace(/\.sql$/, '.comments.json');
    if (existsSync(side)) comments = JSON.parse(readFileSync(side, 'utf8')) as typeof comments;
  } else db = new Database(file, { readonly: true, fileMustExist: true });
  const schema = withComments(sqliteSchema(db), comments);
  const values = await buildValueIndex(schema, sqliteProbe(db));
  const entry = { db, index: buildSchemaIndex(schema, { values, meanings }) };
  dbs.set(key, entry);
  return entry;
}

function withComments(
  schema: ReturnType<typeof sqliteSchema>,
  comments: Record<string, Record<string, string>>,
): NlSchema {
  return {
    ...schema,
    tables: schema.tables.map((t) => ({
      ...t,
      comment: comments[t.name]?.[''] ?? null,
      columns: t.columns.map((c) => ({ ...c, comment: comments[t.name]?.[c.name] ?? null })),
    })),
  };
}

function run(db: Database.Database, sql: string, params: unknown[]): unknown[][] {
  const stmt = db.prepare(sql);
  stmt.raw(true);
  return stmt.all(...params) as unknown[][];
}

// Spider's gold SQL writes strings in double quotes, which better-sqlite3 (built with SQLITE_DQS=0)
// reads as identifiers: turn those that name no table or column into string literals.
function fixGoldQuotes(sql: string, index: SchemaIndex): string {
  const names = new Set(
    index.tables.flatMap((t) => [t.name, ...t.columns.map((c) => c.name)]).map((n) => n.toLowerCase()),
  );
  return sql.replace(/"([^"]*)"/g, (whole, inner: string) =>
    names.has(inner.toLowerCase()) ? whole : `'${inner.replace(/'/g, "''")}'`,
  );
}

function goldTables(sql: string, index: SchemaIndex): string[] {
  const out: string[] = [];
  for (const t of index.tables) {
    const re = new RegExp(
      `\\b(from|join)\\s+["\`]?${t.name.replace(/[^\w]/g, '\\$&')}["\`]?(\\s|$|\\)|;)`,
      'i',
    );
    if (re.test(sql)) out.push(t.name.toLowerCase());
  }
  return out;
}

type Bucket = { n: number; ok: number };
const bucket = (): Bucket => ({ n: 0, ok: 0 });
const pct = (b: Bucket | undefined): number => (b && b.n > 0 ? Math.round((1000 * b.ok) / b.n) / 10 : 0);

/** Runs the examples of one set; `log`: this is the main set (--dump, --fail-log, --verbose). */
async function evaluate(examples: readonly Example[], dir: string, log: boolean) {
  const byDifficulty: Record<string, Bucket> = {
    easy: bucket(),
    medium: bucket(),
    hard: bucket(),
    extra: bucket(),
  };
  const byCategory: Record<string, Bucket> = {};
  const times: number[] = [];
  let total = 0;
  let correct = 0;
  let refused = 0;
  let errors = 0;
  let goldTableCount = 0;
  let linkedGoldTables = 0;
  let linkedTableCount = 0;
  let schemaTableCount = 0;
  const failures: string[] = [];
  /** Failures of the dev half only: the held-out half is measured, never looked at. */
  const devFailures: string[] = [];
  const dump: string[] = [];
  const bySplit: Record<string, Bucket> = {};
  const okIds = new Set<string>();

  for (const e of examples) {
    const { db, index } = await open(e, dir);
    bySplit[e.split ?? 'all'] ??= bucket();
    const s = bySplit[e.split ?? 'all']!;
    s.n += 1;
    total += 1;
    byDifficulty[e.difficulty] ??= bucket();
    byCategory[e.category] ??= bucket();
    const d = byDifficulty[e.difficulty]!;
    const c = byCategory[e.category]!;
    d.n += 1;
    c.n += 1;

    const gt = goldTables(e.gold_sql, index);
    const linked = new Set(linkSchema(e.question, index, { now }).tables.map((t) => t.table.toLowerCase()));
    goldTableCount += gt.length;
    linkedGoldTables += gt.filter((t) => linked.has(t)).length;
    linkedTableCount += linked.size;
    schemaTableCount += index.tables.length;

    let sql: string | null = null;
    let params: unknown[] = [];
    const started = performance.now();
    try {
      const t = translate(e.question, index, { dialect: 'sqlite', now });
      sql = t.sql;
      params = t.params;
    } catch {
      refused += 1;
    }
    times.push(performance.now() - started);

    let ok = false;
    let why = 'refused';
    if (sql !== null) {
      try {
        const gold = run(db, fixGoldQuotes(e.gold_sql, index), []);
        const pred = run(db, sql, params);
        ok = sameResult(gold, pred, e.order_matters);
        why = ok ? 'ok' : `wrong (${pred.length} rows vs ${gold.length})`;
      } catch (error) {
        errors += 1;
        why = `error: ${(error as Error).message}`;
      }
    }
    if (log && dumpPath)
      dump.push(JSON.stringify({ id: e.id, sql, params, why, missed: gt.filter((t) => !linked.has(t)) }));
    if (ok) {
      okIds.add(e.source_id ?? e.id);
      s.ok += 1;
      correct += 1;
      d.ok += 1;
      c.ok += 1;
    } else {
      const line = `[${e.difficulty}/${e.category}] ${e.db_id}: ${e.question}\n  gold: ${e.gold_sql}\n  pred: ${sql ?? '-'} ${JSON.stringify(params)}\n  ${why}`;
      failures.push(line);
      if (e.split === 'dev') devFailures.push(line);
      if (log && verbose) process.stdout.write(`${line}\n`);
    }
  }
  if (log && failLog) writeFileSync(failLog, failures.join('\n') + '\n');
  if (log && dumpPath) writeFileSync(dumpPath, dump.join('\n') + '\n');
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted.length === 0 ? 0 : sorted[Math.floor((sorted.length - 1) / 2)]!;
  const p95 = sorted.length === 0 ? 0 : sorted[Math.floor(0.95 * (sorted.length - 1))]!;
  const figures = {
    examples: total,
    accuracy: total === 0 ? 0 : Math.round((1000 * correct) / total) / 10,
    easy: pct(byDifficulty.easy),
    medium: pct(byDifficulty.medium),
    hard: pct(byDifficulty.hard),
    extra: pct(byDifficulty.extra),
    byCategory: Object.fromEntries(Object.entries(byCategory).map(([k, b]) => [k, pct(b)])),
    linkingRecall: goldTableCount === 0 ? 0 : Math.round((1000 * linkedGoldTables) / goldTableCount) / 10,
    // How selective linking is: tables linked per question, as a share of the schema's tables.
    linkedTableShare:
      schemaTableCount === 0 ? 0 : Math.round((1000 * linkedTableCount) / schemaTableCount) / 10,
    medianMs: Math.round(median * 100) / 100,
    p95Ms: Math.round(p95 * 100) / 100,
    refused,
    errors,
  };
  return { figures, okIds, byCategory, bySplit, devFailures };
}

const main = await evaluate(examples, path.dirname(dataPath), true);
const { figures, byCategory } = main;
// Our own sets, with the Spider questions they reword measured in their own words beside them.
const sets: Record<string, unknown> = {};
const setsDir = path.resolve('tools', 'bench', 'nl', 'sets');
if (defaultData && existsSync(setsDir)) {
  for (const name of readdirSync(setsDir).sort()) {
    const file = path.join(setsDir, name, 'examples.jsonl');
    if (!existsSync(file)) continue;
    const set = readExamples(file);
    const r = await evaluate(set, path.dirname(file), false);
    // --fail-log also writes each set's dev-half failures beside it (<file>.<set>).
    if (failLog) writeFileSync(`${failLog}.${name}`, r.devFailures.join('\n') + '\n');
    const sources = set.map((e) => e.source_id).filter((x): x is string => x !== undefined);
    const original =
      sources.length === 0
        ? undefined
        : Math.round((1000 * sources.filter((id) => main.okIds.has(id)).length) / sources.length) / 10;
    sets[name] = {
      examples: r.figures.examples,
      accuracy: r.figures.accuracy,
      ...(original === undefined ? {} : { originalWording: original }),
      dev: pct(r.bySplit.dev),
      heldOut: pct(r.bySplit['held-out']),
      linkingRecall: r.figures.linkingRecall,
      refused: r.figures.refused,
      errors: r.figures.errors,
    };
  }
}
for (const { db } of dbs.values()) db.close();

// Honest refusals: questions on the demo shop whose words name nothing in it must be refused
// (NL_NO_TRANSLATION with suggestions), never answered over an unrelated table.
const refusalsFile = path.resolve('tools', 'bench', 'nl', 'refusals', 'questions.txt');
let refusals: { questions: number; honest: number; answered: string[] } | undefined;
if (defaultData && existsSync(refusalsFile)) {
  const demo = buildSchemaIndex(demoSchema(), { meanings });
  const questions = readFileSync(refusalsFile, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const answered: string[] = [];
  for (const q of questions) {
    try {
      const t = translate(q, demo, { dialect: 'postgres', now });
      answered.push(`${q} -> ${t.sql}`);
    } catch (error) {
      const honest =
        error instanceof NlNoTranslationError &&
        error.code === 'NL_NO_TRANSLATION' &&
        (error.suggestions?.length ?? 0) > 0;
      if (!honest) answered.push(`${q} -> ${(error as Error).message}`);
    }
  }
  refusals = { questions: questions.length, honest: questions.length - answered.length, answered };
}

/** The demo shop's schema from @aishell/demo's table list (types, keys, comments; no rows). */
function demoSchema(): NlSchema {
  return {
    dialect: 'postgres',
    tables: DEMO_TABLES.map((t) => ({
      schema: 'public',
      name: t.name,
      comment: t.comment,
      columns: t.columns.map((c) => ({
        name: c.name,
        type: c.definition.split(' ')[0]!,
        nullable: !/not null|primary key|identity/i.test(c.definition),
        comment: c.comment,
      })),
      primaryKey: t.columns.filter((c) => /primary key/i.test(c.definition)).map((c) => c.name),
      foreignKeys: t.columns
        .filter((c) => c.references !== undefined)
        .map((c) => ({
          columns: [c.name],
          referencedSchema: 'public',
          referencedTable: c.references!,
          referencedColumns: ['id'],
        })),
    })),
  };
}
process.stdout.write(`data: ${dataPath} (${figures.examples} examples)\n`);
process.stdout.write(
  `execution accuracy: ${figures.accuracy}% (easy ${figures.easy}%, medium ${figures.medium}%, hard ${figures.hard}%, extra ${figures.extra}%)\n`,
);
for (const [k, v] of Object.entries(figures.byCategory))
  process.stdout.write(`  ${k}: ${v}% of ${byCategory[k]!.n}\n`);
process.stdout.write(
  `schema-linking recall: ${figures.linkingRecall}% (linking keeps ${figures.linkedTableShare}% of the schema's tables)\n`,
);
process.stdout.write(`translate time: median ${figures.medianMs} ms, p95 ${figures.p95Ms} ms\n`);
process.stdout.write(`refused: ${figures.refused}, SQL errors: ${figures.errors}\n`);
for (const [name, s] of Object.entries(sets)) process.stdout.write(`set ${name}: ${JSON.stringify(s)}\n`);
if (refusals) {
  process.stdout.write(`honest refusals on the demo: ${refusals.honest} of ${refusals.questions}\n`);
  for (const a of refusals.answered) process.stdout.write(`  answered: ${a}\n`);
}
const extra = { ...(Object.keys(sets).length > 0 ? { sets } : {}), ...(refusals ? { refusals } : {}) };
process.stdout.write(`${JSON.stringify({ ...figures, ...extra })}\n`);
