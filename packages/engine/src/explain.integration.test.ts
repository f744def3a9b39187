import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mysqlUrl, pgUrl } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SafetyError } from './errors.js';
import { explain } from './explain.js';
import { health } from './health.js';
import { Session } from './session.js';

type Engine = 'postgres' | 'mysql' | 'sqlite';
const suffix = Math.random().toString(36).slice(2, 8);
const t = `explain_t_${suffix}`;
const sessions = {} as Record<Engine, Session>;

beforeAll(async () => {
  const sqlite = `sqlite://${path.join(mkdtempSync(path.join(os.tmpdir(), 'aishell-explain-')), 'e.db')}`;
  const urls: Record<Engine, string> = { postgres: await pgUrl(), mysql: await mysqlUrl(), sqlite };
  for (const engine of Object.keys(urls) as Engine[]) {
    const s = await Session.open({
      connection: urls[engine],
      config: { connections: {} },
      env: {},
      history: false,
    });
    sessions[engine] = s;
    await s.run(`create table ${t} (id integer primary key, v integer)`);
    for (let i = 0; i < 5; i++) await s.run(`insert into ${t} (id, v) values (${i + 1}, ${i})`);
  }
});
afterAll(async () => {
  for (const s of Object.values(sessions)) {
    await s.run(`drop table if exists ${t}`, { confirmed: true });
    await s.close();
  }
});

describe.each(['postgres', 'mysql', 'sqlite'] as const)('explain on %s', (engine) => {
  it("reads the engine's own plan into a tree", async () => {
    const plan = await explain(sessions[engine], `select * from ${t} where v = 3`);
    expect(plan.dialect).toBe(engine === 'mysql' ? 'mysql' : engine);
    expect(plan.root.nodeType).toBeTruthy();
    expect(JSON.stringify(plan.root)).toContain(t);
  });

  it('executes a write under analyze only when confirmed, and rolls it back', async () => {
    const s = sessions[engine];
    await expect(explain(s, `delete from ${t} where id > 2`, { analyze: true })).rejects.toBeInstanceOf(
      SafetyError,
    );
    const asked: string[][] = [];
    await expect(
      explain(s, `delete from ${t} where id > 2`, {
        analyze: true,
        confirm: async (_risk, reasons) => {
          asked.push([...reasons]);
          return false;
        },
      }),
    ).rejects.toBeInstanceOf(SafetyError);
    expect(asked[0]?.join(' ')).toMatch(/executes the statement/);
    await explain(s, `delete from ${t} where id > 2`, { analyze: true, confirmed: true });
    const { results } = await s.run(`select count(*) as n from ${t}`);
    expect(Number(results[0]?.rows[0]?.n)).toBe(5);
  });

  it('runs the health checks of its dialect through the session', async () => {
    const report = await health(sessions[engine]);
    expect(report.dialect).toBe(engine);
    expect(report.checks.length).toBeGreaterThan(2);
    for (const c of report.checks) expect(['ok', 'warn', 'crit', 'skipped']).toContain(c.status);
  });
});
