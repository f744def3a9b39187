import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type LlmServer, llmError, openAiCompletion, startLlmServer } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, askContext } from './ask.js';
import { EMPTY_CONFIG } from './config.js';
import { Session } from './session.js';

// The repair loop, offline-first, vault keys and follow-ups of `ask` on a real (embedded) PostgreSQL;
// the model is the local stand-in server speaking the OpenAI wire format.
// A database of its own (a fresh PGlite folder), so the tables can have plain names.
const shop = 'orders';
const buyer = 'buyers';
const note = 'notes';
const KEY = 'sk-repair-engine-5e61';
let server: LlmServer;
let session: Session;
let env: NodeJS.ProcessEnv;

const answer = (sql: string, params: unknown[] = []) => ({ sql, params, explanation: 'x', confidence: 0.9 });

beforeAll(async () => {
  server = await startLlmServer();
  env = { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `${server.url}/v1` };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aishell-ask-repair-'));
  session = await Session.open({ connection: `pglite://${dir}`, config: EMPTY_CONFIG, env: {} });
  await session.run(
    `create table ${buyer} (id integer primary key, name text not null, country text not null)`,
  );
  await session.run(
    `create table ${shop} (id integer primary key, buyer_id integer not null references ${buyer}(id), total numeric not null, status text not null)`,
  );
  await session.run(`create table ${note} (id integer primary key, body text not null)`);
  await session.run(`insert into ${buyer} values (1, 'Ann', 'France'), (2, 'Bo', 'Spain')`);
  await session.run(
    `insert into ${shop} values (1, 1, 10, 'shipped'), (2, 2, 20, 'open'), (3, 1, 5, 'open')`,
  );
}, 120_000);
afterAll(async () => {
  await session?.close();
  await server?.close();
});

describe('ask repairs a model’s SQL', () => {
  it('sends the database’s EXPLAIN error back and runs the repaired SQL; JSON says attempts and repairs', async () => {
    server.reply(
      openAiCompletion(answer(`SELECT nickname FROM ${buyer}`)),
      openAiCompletion(answer(`SELECT name FROM ${buyer} ORDER BY id`)),
    );
    const a = await ask(session, `${buyer} names`, { provider: 'openai', env });
    expect(a.attempts).toBe(2);
    expect(a.repairs).toEqual([
      {
        attempt: 1,
        sql: `SELECT nickname FROM ${buyer}`,
        error: 'EXPLAIN failed: column "nickname" does not exist',
      },
    ]);
    expect(a.result!.rows).toEqual([{ name: 'Ann' }, { name: 'Bo' }]);
    expect(JSON.stringify(server.requests[1]!.body.messages)).toContain(
      'column \\"nickname\\" does not exist',
    );
  });

  it('stops after the configured number of repairs', async () => {
    server.reply(openAiCompletion(answer(`SELECT nickname FROM ${buyer}`)));
    await expect(
      ask(session, `${buyer} names`, { provider: 'openai', env, nlConfig: { maxRepairs: 1 } }),
    ).rejects.toMatchObject({ code: 'NL_NO_TRANSLATION', attempts: 2, sql: `SELECT nickname FROM ${buyer}` });
    expect(server.requests).toHaveLength(2);
  });

  it('sends only the tables the question needs: no unrelated table', async () => {
    server.reply(openAiCompletion(answer(`SELECT count(*) AS n FROM ${shop}`)));
    await ask(session, `how many ${shop} are there`, { provider: 'openai', env, dryRun: true });
    const text = JSON.stringify(server.requests[0]!.body.messages);
    expect(text).toContain(`TABLE ${shop}`);
    expect(text).not.toContain(`TABLE ${note}`);
  });
});

describe('ask with a provider configured but not forced', () => {
  it('lets the offline translator answer when it is sure, sending nothing', async () => {
    server.reply(openAiCompletion(answer('SELECT 1')));
    const a = await ask(session, `${buyer} in France`, { env: { ...env, AISHELL_NL_PROVIDER: 'openai' } });
    expect(a.engine).toBe('offline');
    expect(a.result!.rows).toEqual([{ id: 1, name: 'Ann', country: 'France' }]);
    expect(server.requests).toHaveLength(0);
  });

  it('needs no key for a question the offline translator answers', async () => {
    const a = await ask(session, `${buyer} in France`, {
      env: { AISHELL_NL_PROVIDER: 'openai' },
      dryRun: true,
    });
    expect(a.engine).toBe('offline');
  });

  it('asks the model when the offline translator cannot answer', async () => {
    server.reply(openAiCompletion(answer(`SELECT name FROM ${buyer} WHERE id = $1`, [2])));
    const a = await ask(session, 'who is the second one, in the language of poets', {
      env: { ...env, AISHELL_NL_PROVIDER: 'openai' },
    });
    expect(a.engine).toBe('openai');
    expect(server.requests).toHaveLength(1);
  });

  it('asks the model when --provider forces it, even for a question the offline translator knows', async () => {
    server.reply(openAiCompletion(answer(`SELECT * FROM ${buyer} WHERE country = $1`, ['France'])));
    const a = await ask(session, `${buyer} in France`, { provider: 'openai', env });
    expect(a.engine).toBe('openai');
    expect(server.requests).toHaveLength(1);
  });
});

describe('--provider offline', () => {
  it('never sends anything, even with a provider configured and a question it cannot answer', async () => {
    server.reply(openAiCompletion(answer('SELECT 1')));
    await expect(
      ask(session, 'who is the second one, in the language of poets', {
        provider: 'offline',
        env: { ...env, AISHELL_NL_PROVIDER: 'openai' },
      }),
    ).rejects.toMatchObject({ code: 'NL_NO_TRANSLATION' });
    expect(server.requests).toHaveLength(0);
  });
});

describe('keys and context', () => {
  it('takes the key from the vault when the variable is unset, and names the vault entry when it is refused', async () => {
    server.reply(llmError('openai', 401, 'no'));
    const asked: string[] = [];
    const error = await ask(session, `${buyer} names`, {
      provider: 'openai',
      env: { OPENAI_BASE_URL: `${server.url}/v1`, OPENAI_API_KEY: '' },
      secret: async (entry) => {
        asked.push(entry);
        return 'sk-from-vault-1234';
      },
    }).catch((e: unknown) => e);
    expect(asked).toEqual(['openai-api-key']);
    expect(server.requests[0]!.headers.authorization).toBe('Bearer sk-from-vault-1234');
    expect(error).toMatchObject({
      code: 'NL_PROVIDER_AUTH',
      message: 'the openai API refused the API key from vault entry openai-api-key (HTTP 401)',
    });
  });

  it('builds the context without sending anything and without a key', async () => {
    server.reply(openAiCompletion(answer('SELECT 1')));
    const doc = await askContext(session, `how many ${shop} were shipped`, {
      provider: 'openai',
      env: {},
      context: 'samples',
    });
    expect(server.requests).toHaveLength(0);
    expect(doc).toMatchObject({ provider: 'openai', model: 'gpt-4.1-mini', level: 'samples', omitted: [] });
    expect(doc.tables).toContain(shop);
    expect(doc.tables).not.toContain(note);
    expect(doc.system).toMatch(/status text NOT NULL -- e\.g\. 'open', 'shipped'/);
    expect(doc.messages.at(-1)).toEqual({ role: 'user', content: `Question: how many ${shop} were shipped` });
  });
});

describe('offline follow-ups', () => {
  it('keeps the previous question’s tables and filters for a follow-up starting with "only"', async () => {
    const first = await ask(session, `${buyer} in France`, { dryRun: true });
    const second = await ask(session, 'only the ones named Ann', {
      dryRun: true,
      conversation: [{ question: first.question, sql: first.sql, tables: first.tables }],
    });
    expect(second.understoodAs).toBe(`${buyer} in France named Ann`);
    expect(second.tables).toEqual([buyer]);
    expect(second.params).toEqual(expect.arrayContaining(['France']));
  });
});
