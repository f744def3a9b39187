// The CLI's smoke tests, which CI also runs on Node 24 (.ci/run): a query on PostgreSQL and one on the
// embedded demo, through the built binary, on whatever Node runs vitest.
import { pgUrl } from '@aishell/testing';
import { describe, expect, it } from 'vitest';
import { runCli, tempHome } from './run-cli.js';

describe(`aishell on Node ${process.versions.node}`, () => {
  it('queries PostgreSQL', async () => {
    const r = await runCli([
      'query',
      'select 6 * 7 as answer, current_database() as db',
      '-c',
      await pgUrl(),
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).rows[0].answer).toBe(42);
  });

  it('creates and queries the embedded demo', async () => {
    const r = await runCli(['query', 'select count(*) as n from customers', '--json'], {
      env: tempHome(),
      timeoutMs: 180_000,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).rows).toEqual([{ n: 1200 }]);
  }, 200_000);
});
