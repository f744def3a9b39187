// The PostgreSQL corpus (corpus/postgres-pairs.ts) on the real server and on PGlite: every pair planned,
// its hazards asserted, applied to a scratch copy, converged, and planned back.
import { afterAll, describe, it } from 'vitest';
import { POSTGRES_PAIRS } from './corpus/postgres-pairs.js';
import { runPair } from './test-support/run-pair.js';
import { PgliteScratches, type PostgresEngine, pgScratch } from './test-support/scratch.js';

const pglite = new PgliteScratches();
afterAll(() => pglite.close());

const ENGINES: Record<PostgresEngine, () => Promise<import('./test-support/scratch.js').Scratch>> = {
  server: pgScratch,
  pglite: () => pglite.get(),
};

describe.each(Object.keys(ENGINES) as PostgresEngine[])('the PostgreSQL corpus on %s', (engine) => {
  for (const pair of POSTGRES_PAIRS) {
    // A pair written for one engine only (an extension PGlite lacks, ...) is not a test of the other.
    if (pair.engines && !pair.engines.includes(engine)) continue;
    it(pair.name, () => runPair(pair, 'postgres', ENGINES[engine]));
  }
});
