import { type LlmServer, mysqlUrl, openAiCompletion, pgUrl, startLlmServer } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask } from './ask.js';
import { Session } from './session.js';

// The repair loop's EXPLAIN on the server databases: a model's SQL is planned, never run, with its
// parameters bound, in a READ ONLY transaction (writes included), and the database's own error goes back.
type Engine = 'postgres' | 'mysql';
const t = `llm_items_${Math.random().toString(36).slice(2, 8)}`;
const sessions = {} as Record<Engine, Session>;
let server: LlmServer;
let env: NodeJS.ProcessEnv;

const answer = (sql: string, params: unknown[] = []) => ({ sql, params, explanation: 'x', confidence: 0.9 });

beforeAll(async () => {
  server = await startLlmServer();
  env = { OPENAI_API_KEY: 'sk-servers-test', OPENAI_BASE_URL: `${server.url}/v1` };
  const urls: Record<Engine, string> = { postgres: await pgUrl(), mysql: await mysqlUrl() };
  for (const engine of Object.keys(urls) as Engine[]) {
    const s = await Session.open({
      connection: urls[engine],
      config: { connections: {} },
      env: {},
      history: false,
    });
    sessions[engine] = s;
    await s.run(`create table ${t} (id integer primary key, name varchar(20) not null)`);
    await s.run(`insert into ${t} (id, name) values (1, 'apple'), (2, 'pear'), (3, 'plum')`);
  }
});
afterAll(async () => {
  for (const s of Object.values(sessions)) {
    await s.run(`drop table if exists ${t}`, { confirmed: true });
    await s.close();
  }
  await server?.close();
});

const MISSING: Record<Engine, RegExp> = {
  postgres: /^EXPLAIN failed: column "nickname" does not exist/,
  mysql: /^EXPLAIN failed: Unknown column 'nickname'/,
};

describe.each(['postgres', 'mysql'] as const)('ask with a model on %s', (engine) => {
  const p = (n: number) => (engine === 'postgres' ? `$${n}` : '?');

  it('sends the database’s EXPLAIN error back and runs the repaired SQL with its parameters', async () => {
    server.reply(
      openAiCompletion(answer(`SELECT nickname FROM ${t} WHERE id = ${p(1)}`, [2])),
      openAiCompletion(answer(`SELECT name FROM ${t} WHERE id = ${p(1)}`, [2])),
    );
    const a = await ask(sessions[engine], `${t} number 2`, { provider: 'openai', env });
    expect(a.attempts).toBe(2);
    expect(a.repairs![0]!.error).toMatch(MISSING[engine]);
    expect(a.result!.rows).toEqual([{ name: 'pear' }]);
  });

  it('EXPLAINs a proposed write without running it, and runs it once confirmed', async () => {
    server.reply(openAiCompletion(answer(`DELETE FROM ${t} WHERE id = ${p(1)}`, [3])));
    const refused = await ask(sessions[engine], `delete ${t} 3`, { provider: 'openai', env }).catch(
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({ code: 'SAFETY_REFUSED' });
    const count = async () =>
      Number((await sessions[engine].run(`select count(*) as n from ${t}`)).results[0]!.rows[0]!.n);
    expect(await count()).toBe(3);
    server.reply(openAiCompletion(answer(`DELETE FROM ${t} WHERE id = ${p(1)}`, [3])));
    const done = await ask(sessions[engine], `delete ${t} 3`, { provider: 'openai', env, confirmed: true });
    expect(done).toMatchObject({ attempts: 1, write: { kind: 'delete' } });
    expect(await count()).toBe(2);
  });
});
