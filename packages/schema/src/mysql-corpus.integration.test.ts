// The MySQL/MariaDB corpus (corpus/mysql-pairs.ts) on the real server: every pair planned, its hazards
// asserted, applied to a scratch database, converged, and planned back.
import { describe, it } from 'vitest';
import { MYSQL_PAIRS } from './corpus/mysql-pairs.js';
import { runPair } from './test-support/run-pair.js';
import { mysqlScratch } from './test-support/scratch.js';

describe('the MySQL corpus on MariaDB', () => {
  for (const pair of MYSQL_PAIRS) it(pair.name, () => runPair(pair, 'mysql', mysqlScratch));
});
