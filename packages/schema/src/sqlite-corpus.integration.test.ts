// The SQLite corpus (corpus/sqlite-pairs.ts) on SQLite files: every pair planned, its hazards asserted,
// applied to a scratch copy, converged, and planned back.
import { describe, it } from 'vitest';
import { SQLITE_PAIRS } from './corpus/sqlite-pairs.js';
import { runPair } from './test-support/run-pair.js';
import { sqliteScratch } from './test-support/scratch.js';

describe('the SQLite corpus', () => {
  for (const pair of SQLITE_PAIRS) it(pair.name, () => runPair(pair, 'sqlite', async () => sqliteScratch()));
});
