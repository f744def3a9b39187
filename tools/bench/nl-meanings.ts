// Cost of linking by meaning (WordNet): the first ask on a schema in a fresh process, later asks,
// and the memory WordNet takes, with meanings on and off (the baseline), each in its own process
// (the reader and its caches live for the process). `pnpm bench nl-meanings [--runs 5] [--json]`
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchemaIndex, buildValueIndex, translate } from '@aishell/nl';
import { openShop } from '@aishell/testing';
// internal: how long WordNet's first lookup (reading its index files) takes in a fresh process
import { relatedWords } from '../../packages/nl/src/wordnet.js';

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i === -1 ? undefined : argv[i + 1];
};
// Questions whose nouns name nothing of the shop schema directly: linked by meaning when it is on.
const FIRST = 'how many buyers are there';
const LATER = ['list all merchandise', 'clients in Paris', 'how many purchasers are there', 'show all users'];

const child = flag('--child');
if (child === 'load') {
  const started = performance.now();
  relatedWords('buyer');
  const loadMs = performance.now() - started;
  const rss = process.memoryUsage().rss;
  process.stdout.write(`${JSON.stringify({ loadMs, rssMb: rss / 1e6 })}\n`);
  process.exit(0);
}
if (child !== undefined) {
  const meanings = child === 'on';
  const shop = await openShop({
    buildValueIndex,
    buildSchemaIndex: (schema, options) => buildSchemaIndex(schema, { ...options, meanings }),
  });
  const now = new Date('2024-06-15T12:00:00Z');
  const ask = (q: string): number => {
    const started = performance.now();
    try {
      translate(q, shop.index, { dialect: 'sqlite', now });
    } catch {
      // a refusal costs the same work
    }
    return performance.now() - started;
  };
  const rss = process.memoryUsage().rss;
  const heap = process.memoryUsage().heapUsed;
  // The very first ask also warms the lexer and the date parser up, in both modes: measured apart.
  const warmMs = ask('how many customers are there');
  const firstMs = ask(FIRST);
  const laterMs = LATER.map(ask);
  const again = [FIRST, ...LATER].map(ask);
  const out = {
    warmMs,
    firstMs,
    laterMs: laterMs.reduce((a, b) => a + b, 0) / laterMs.length,
    repeatMs: again.reduce((a, b) => a + b, 0) / again.length,
    rssMb: (process.memoryUsage().rss - rss) / 1e6,
    heapMb: (process.memoryUsage().heapUsed - heap) / 1e6,
  };
  shop.close();
  process.stdout.write(`${JSON.stringify(out)}\n`);
  process.exit(0);
}

const runs = Number(flag('--runs') ?? 5);
const here = fileURLToPath(import.meta.url);
const tsx = path.resolve(path.dirname(here), '../../node_modules/.bin/tsx');
type Figures = {
  warmMs: number;
  firstMs: number;
  laterMs: number;
  repeatMs: number;
  rssMb: number;
  heapMb: number;
};
function measure(mode: 'on' | 'off'): Figures[] {
  const out: Figures[] = [];
  for (let r = 0; r < runs; r += 1) {
    const res = spawnSync(tsx, ['--conditions=@aishell/source', here, '--child', mode], { encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`child failed: ${res.stderr}`);
    out.push(JSON.parse(res.stdout.trim().split('\n').pop()!) as Figures);
  }
  return out;
}
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
};
const round = (x: number): number => Math.round(x * 100) / 100;
// Interleaved so that both see the same machine load.
const on: Figures[] = [];
const off: Figures[] = [];
for (let r = 0; r < runs; r += 1) {
  off.push(...measure('off').slice(0, 1));
  on.push(...measure('on').slice(0, 1));
}
const pick = (xs: Figures[], k: keyof Figures): number => round(median(xs.map((x) => x[k])));
const loads: number[] = [];
for (let r = 0; r < runs; r += 1) {
  const res = spawnSync(tsx, ['--conditions=@aishell/source', here, '--child', 'load'], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`child failed: ${res.stderr}`);
  loads.push((JSON.parse(res.stdout.trim().split('\n').pop()!) as { loadMs: number }).loadMs);
}
const figures = {
  runs,
  // the first WordNet lookup of a process: index.noun and index.verb read, two synsets read
  wordnetLoadMs: round(median(loads)),
  // the first ask of the process (no word linked by meaning), both modes
  warmUpMs: pick(on, 'warmMs'),
  warmUpBaselineMs: pick(off, 'warmMs'),
  // then the first ask that needs WordNet: reading its index files is the extra cost
  firstAskMs: pick(on, 'firstMs'),
  firstAskBaselineMs: pick(off, 'firstMs'),
  firstAskExtraMs: round(pick(on, 'firstMs') - pick(off, 'firstMs')),
  laterAskMs: pick(on, 'laterMs'),
  laterAskBaselineMs: pick(off, 'laterMs'),
  repeatAskMs: pick(on, 'repeatMs'),
  repeatAskBaselineMs: pick(off, 'repeatMs'),
  repeatRatio: round(pick(on, 'repeatMs') / Math.max(0.001, pick(off, 'repeatMs'))),
  rssExtraMb: round(pick(on, 'rssMb') - pick(off, 'rssMb')),
  heapExtraMb: round(pick(on, 'heapMb') - pick(off, 'heapMb')),
};
process.stdout.write(
  `WordNet's first lookup in a process: ${figures.wordnetLoadMs} ms\n` +
    `first ask of a process: ${figures.warmUpMs} ms with meanings, ${figures.warmUpBaselineMs} ms without\n` +
    `first ask needing meanings: ${figures.firstAskMs} ms, ${figures.firstAskBaselineMs} ms without (${figures.firstAskExtraMs} ms)\n` +
    `later asks: ${figures.laterAskMs} ms vs ${figures.laterAskBaselineMs} ms; repeated: ${figures.repeatAskMs} vs ${figures.repeatAskBaselineMs} ms (ratio ${figures.repeatRatio})\n` +
    `memory: +${figures.rssExtraMb} MB rss, +${figures.heapExtraMb} MB heap\n`,
);
process.stdout.write(`${JSON.stringify(figures)}\n`);
