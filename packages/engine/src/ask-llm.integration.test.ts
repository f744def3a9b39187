import { anthropicMessage, type LlmServer, openAiCompletion, startLlmServer } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask } from './ask.js';
import { EMPTY_CONFIG } from './config.js';
import { Session } from './session.js';

// `ask` with an LLM provider on a real PostgreSQL database (embedded, so no other test's tables come and go); the provider is a local server that
// speaks the OpenAI / Anthropic wire formats (no LLM is reachable from the test machines).
const suffix = Math.random().toString(36).slice(2, 8);
const fruit = `llm_fruit_${suffix}`;
const writer = `llm_writer_${suffix}`;
const KEY = 'sk-engine-test-key-9d1e';
let server: LlmServer;
let session: Session;
let openaiEnv: NodeJS.ProcessEnv;

const answer = (sql: string, params: unknown[] = []) => ({
  sql,
  params,
  explanation: 'Fruit that is red.',
  confidence: 0.9,
});

beforeAll(async () => {
  server = await startLlmServer();
  openaiEnv = { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `${server.url}/v1` };
  session = await Session.open({ connection: 'pglite::memory:', config: EMPTY_CONFIG, env: {} });
  await session.run(
    `create table ${fruit} (id integer primary key, name text not null, colour text not null)`,
  );
  await session.run(
    `insert into ${fruit} values (1, 'apple', 'red'), (2, 'pear', 'green'), (3, 'cherry', 'red')`,
  );
  // A function that writes: @aishell/sql cannot see inside it, the READ ONLY transaction can.
  await session.run(
    `create function ${writer}() returns integer language sql as $$ insert into ${fruit} values (99, 'x', 'y') returning id $$`,
  );
});
afterAll(async () => {
  await session?.run(`drop function if exists ${writer}()`, { confirmed: true }).catch(() => {});
  await session?.run(`drop table if exists ${fruit}`, { confirmed: true }).catch(() => {});
  await session?.close();
  await server?.close();
});

async function count(): Promise<unknown> {
  return (await session.run(`select count(*)::int as n from ${fruit}`)).results[0]!.rows[0]!.n;
}

describe('ask with an LLM provider', () => {
  it('takes the provider and model from the environment and runs the SQL with its parameters', async () => {
    server.reply(
      openAiCompletion(answer(`SELECT name FROM ${fruit} WHERE colour = $1 ORDER BY id`, ['red'])),
    );
    // A question the offline translator cannot answer (it would answer first otherwise).
    const a = await ask(session, 'the ones a painter of cherries would pick', {
      env: { ...openaiEnv, AISHELL_NL_PROVIDER: 'openai', AISHELL_NL_MODEL: 'qwen2.5-coder' },
    });
    expect(a).toMatchObject({ engine: 'openai', model: 'qwen2.5-coder', params: ['red'], tables: [fruit] });
    expect(a.result!.rows).toEqual([{ name: 'apple' }, { name: 'cherry' }]);
    const body = server.requests[0]!.body;
    expect(body.model).toBe('qwen2.5-coder');
    expect(JSON.stringify(body.messages)).toContain(`TABLE ${fruit}\\n`);
    expect(JSON.stringify(body.messages)).toContain('PostgreSQL');
  });

  it('prefers the explicit provider and model to the environment', async () => {
    server.reply(anthropicMessage(answer(`SELECT count(*) AS n FROM ${fruit}`)));
    const a = await ask(session, 'how many fruit', {
      provider: 'anthropic',
      model: 'claude-opus-4-7',
      env: {
        AISHELL_NL_PROVIDER: 'openai',
        AISHELL_NL_MODEL: 'other',
        ANTHROPIC_API_KEY: KEY,
        ANTHROPIC_BASE_URL: server.url,
      },
    });
    expect(a).toMatchObject({ engine: 'anthropic', model: 'claude-opus-4-7' });
    expect(server.requests[0]!.path).toBe('/v1/messages');
  });

  it('returns the SQL without running it on a dry run', async () => {
    server.reply(openAiCompletion(answer(`SELECT * FROM ${fruit}`)));
    const a = await ask(session, 'all fruit', { provider: 'openai', env: openaiEnv, dryRun: true });
    expect(a.sql).toBe(`SELECT * FROM ${fruit}`);
    expect(a).not.toHaveProperty('result');
  });

  it('refuses a DELETE the model proposes without confirmation (exit 5), and sends nothing to the database', async () => {
    server.reply(openAiCompletion(answer(`DELETE FROM ${fruit}`)));
    await expect(
      ask(session, 'delete all fruit', { provider: 'openai', env: openaiEnv }),
    ).rejects.toMatchObject({
      code: 'SAFETY_REFUSED',
      risk: 'critical',
      reasons: [expect.stringMatching(/without WHERE/)],
    });
    expect(await count()).toBe(3);
  });

  it('shows a proposed write to the confirmation with its risk and reasons; a no refuses it', async () => {
    server.reply(openAiCompletion(answer(`DELETE FROM ${fruit}`)));
    const asked: unknown[] = [];
    await expect(
      ask(session, 'delete all fruit', {
        provider: 'openai',
        env: openaiEnv,
        confirm: async (risk, reasons) => {
          asked.push({ risk, reasons });
          return false;
        },
      }),
    ).rejects.toMatchObject({ code: 'SAFETY_REFUSED' });
    expect(asked).toEqual([{ risk: 'critical', reasons: [expect.stringMatching(/without WHERE/)] }]);
    expect(await count()).toBe(3);
  });

  it('runs a confirmed write (--yes) and says what it was', async () => {
    server.reply(openAiCompletion(answer(`DELETE FROM ${fruit} WHERE colour = $1`, ['blue'])));
    const a = await ask(session, 'delete the blue fruit', {
      provider: 'openai',
      env: openaiEnv,
      confirmed: true,
    });
    expect(a.write).toMatchObject({ kind: 'delete' });
    expect(a.result).toMatchObject({ command: 'DELETE', rowCount: 0 });
    expect(await count()).toBe(3);
  });

  it('runs the model’s SQL inside a READ ONLY transaction, so a hidden write fails', async () => {
    server.reply(openAiCompletion(answer(`SELECT ${writer}() AS id`)));
    await expect(ask(session, 'red fruit', { provider: 'openai', env: openaiEnv })).rejects.toMatchObject({
      code: 'POOL_QUERY',
      message: expect.stringMatching(/read-only transaction/),
    });
    expect(await count()).toBe(3);
  });

  it('asks for the key of the chosen provider', async () => {
    await expect(ask(session, 'red fruit', { provider: 'anthropic', env: {} })).rejects.toMatchObject({
      code: 'NL_PROVIDER_NO_KEY',
      hint: expect.stringContaining('ANTHROPIC_API_KEY'),
    });
  });

  it('rejects an unknown AISHELL_NL_PROVIDER as a usage error', async () => {
    await expect(ask(session, 'red fruit', { env: { AISHELL_NL_PROVIDER: 'gemini' } })).rejects.toMatchObject(
      {
        code: 'ENGINE_USAGE',
        message: expect.stringContaining('AISHELL_NL_PROVIDER'),
      },
    );
  });

  it('stays offline without a provider', async () => {
    server.reply();
    const a = await ask(session, `${fruit} that are red`, { env: openaiEnv, dryRun: true });
    expect(a.engine).toBe('offline');
    expect(server.requests).toHaveLength(0);
  });
});
