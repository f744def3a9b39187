import {
  anthropicMessage,
  type LlmReply,
  type LlmRequest,
  type LlmServer,
  llmError,
  openAiCompletion,
  openShop,
  type SqliteFixture,
  sqliteSchema,
  startLlmServer,
} from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLlmProvider } from './create-llm-provider.js';
import { type LlmProviderName, NlError } from './errors.js';
import type { LlmContextLevel } from './llm-context.js';
import { buildLlmPrompt, type LlmTurn } from './llm-prompt.js';
import type { LlmProviderOptions } from './llm-provider.js';
import type { NlSchema } from './nl-schema.js';
import { buildSchemaIndex, type SchemaIndex } from './schema-index.js';
import { type TranslateWithLlmOptions, translateWithLlm } from './translate-with-llm.js';
import { buildValueIndex } from './value-index.js';

// The repair loop, the context sent and the provider behaviour, against the local stand-in server that
// speaks both wire formats (recorded answers replayed in order; every request recorded).
const KEY = 'sk-repair-test-77aa0c';
let server: LlmServer;
let shop: SqliteFixture<SchemaIndex>;
let schema: NlSchema;

beforeAll(async () => {
  server = await startLlmServer();
  shop = await openShop({ buildSchemaIndex, buildValueIndex });
  schema = sqliteSchema(shop.db);
});
afterAll(async () => {
  await server.close();
  shop.close();
});

const answerOf = (name: LlmProviderName, value: unknown): LlmReply =>
  name === 'openai' ? openAiCompletion(value) : anthropicMessage(value);

/** Everything a request sent as text: system prompt and every message. */
function sent(request: LlmRequest): string {
  const body = request.body as { system?: string; messages: { role: string; content: string }[] };
  return [body.system ?? '', ...body.messages.map((m) => `${m.role}: ${m.content}`)].join('\n');
}

/** The conversation of a request without OpenAI's system message. */
function turns(request: LlmRequest): { role: string; content: string }[] {
  return (request.body.messages as { role: string; content: string }[]).filter((m) => m.role !== 'system');
}

/** The SQLite database checks the SQL as the engine's EXPLAIN would: prepare without running. */
const explain: NonNullable<TranslateWithLlmOptions['explain']> = async (sql) => {
  shop.db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
};

async function translate(
  name: LlmProviderName,
  question: string,
  options: Partial<TranslateWithLlmOptions> = {},
  provider: LlmProviderOptions = {},
) {
  const llm = createLlmProvider(name, {
    apiKey: KEY,
    baseURL: name === 'openai' ? `${server.url}/v1` : server.url,
    maxRetries: 0,
    ...provider,
  });
  return translateWithLlm(question, schema, shop.index, llm, {
    ...options,
    dialect: 'sqlite',
    explain: options.explain ?? explain,
  });
}

async function failure(promise: Promise<unknown>): Promise<NlError & Record<string, unknown>> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NlError);
  return error as NlError & Record<string, unknown>;
}

const GOOD = {
  sql: "SELECT count(*) AS n FROM orders WHERE status = 'shipped'",
  params: [],
  explanation: 'The number of shipped orders.',
  confidence: 0.9,
};

describe.each(['openai', 'anthropic'] as LlmProviderName[])('the repair loop (%s)', (name) => {
  it('takes a correct first answer in one attempt', async () => {
    server.reply(answerOf(name, GOOD));
    const t = await translate(name, 'how many orders were shipped');
    expect(t).toMatchObject({ sql: GOOD.sql, attempts: 1, repairs: [], kind: 'select', readOnly: true });
    expect(shop.rows(t.sql, t.params)).toEqual([[3]]);
  });

  it('repairs broken SQL on the second try, sending the parse error back in the same conversation', async () => {
    server.reply(answerOf(name, { ...GOOD, sql: 'SELEC count(*) FROM orders' }), answerOf(name, GOOD));
    const t = await translate(name, 'how many orders were shipped');
    expect(t.attempts).toBe(2);
    expect(t.repairs).toHaveLength(1);
    expect(t.repairs[0]).toMatchObject({ attempt: 1, sql: 'SELEC count(*) FROM orders' });
    expect(t.repairs[0]!.error).toMatch(/^syntax error: /);
    expect(server.requests).toHaveLength(2);
    const second = turns(server.requests[1]!);
    expect(second.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(second[0]!.content).toBe('Question: how many orders were shipped');
    expect(second[1]!.content).toContain('SELEC count(*) FROM orders');
    expect(second[2]!.content).toContain(`That answer failed: ${t.repairs[0]!.error}`);
  });

  it('repairs an answer naming a column the table does not have (caught before the database)', async () => {
    server.reply(
      answerOf(name, { ...GOOD, sql: 'SELECT c.nickname FROM customers c' }),
      answerOf(name, { ...GOOD, sql: 'SELECT c.name FROM customers c' }),
    );
    const t = await translate(name, 'customer names');
    expect(t.sql).toBe('SELECT c.name FROM customers c');
    expect(t.repairs[0]!.error).toBe('unknown column c.nickname; use only the columns listed in the schema');
    expect(sent(server.requests[1]!)).toContain('unknown column c.nickname');
  });

  it('repairs an unqualified unknown column from the database’s EXPLAIN error, word for word', async () => {
    server.reply(
      answerOf(name, { ...GOOD, sql: 'SELECT nickname FROM customers' }),
      answerOf(name, { ...GOOD, sql: 'SELECT name FROM customers' }),
    );
    const t = await translate(name, 'customer names');
    expect(t.repairs[0]!.error).toBe('EXPLAIN failed: no such column: nickname');
    expect(sent(server.requests[1]!)).toContain('EXPLAIN failed: no such column: nickname');
  });

  it('ends three bad answers in a row with NL_NO_TRANSLATION, each failure and the last SQL', async () => {
    server.reply(
      answerOf(name, { ...GOOD, sql: 'SELECT * FROM clients' }),
      answerOf(name, { ...GOOD, sql: 'SELECT nickname FROM customers' }),
      answerOf(name, { ...GOOD, sql: 'SELECT c.nick FROM customers c' }),
      answerOf(name, GOOD), // never asked for: two repairs at most
    );
    const error = await failure(translate(name, 'customer nicknames'));
    expect(error.code).toBe('NL_NO_TRANSLATION');
    expect(server.requests).toHaveLength(3);
    expect(error.message).toBe(
      `the ${name} model's answer failed its checks 3 times in a row, nothing ran; last: unknown column c.nick; use only the columns listed in the schema; last SQL: SELECT c.nick FROM customers c`,
    );
    expect(error.sql).toBe('SELECT c.nick FROM customers c');
    expect((error.repairs as { error: string }[]).map((r) => r.error)).toEqual([
      'unknown table clients; use only the tables listed in the schema',
      'EXPLAIN failed: no such column: nickname',
      'unknown column c.nick; use only the columns listed in the schema',
    ]);
  });

  it('takes the number of repairs from the options', async () => {
    server.reply(answerOf(name, { ...GOOD, sql: 'SELECT * FROM clients' }));
    const error = await failure(translate(name, 'customers', { maxRepairs: 0 }));
    expect(server.requests).toHaveLength(1);
    expect(error.message).toMatch(/failed its checks once/);
  });

  it('waits what a 429 asks (retry-after) and retries within the time limit', async () => {
    server.reply(
      { ...llmError(name, 429, 'slow down'), headers: { 'retry-after': '1' } },
      answerOf(name, GOOD),
    );
    const t = await translate(name, 'how many orders were shipped', {}, { maxRetries: 2 });
    expect(server.requests).toHaveLength(2);
    expect(t.sql).toBe(GOOD.sql);
  });

  it('does not wait for a retry-after beyond the time limit', async () => {
    server.reply({ ...llmError(name, 429, 'slow down'), headers: { 'retry-after': '30' } });
    const error = await failure(translate(name, 'orders', {}, { maxRetries: 2, timeoutMillis: 5000 }));
    expect(error.code).toBe('NL_PROVIDER_RATE_LIMITED');
    expect(error.message).toMatch(/asked to wait 30 s, more than the \d+ ms left/);
    expect(server.requests).toHaveLength(1);
  });

  it('says which variable or vault entry holds a refused key', async () => {
    server.reply(llmError(name, 401, `bad key ${KEY}`));
    const env = name === 'openai' ? 'OPENAI_API_KEY' : 'ANTHROPIC_API_KEY';
    const error = await failure(translate(name, 'orders'));
    expect(error.code).toBe('NL_PROVIDER_AUTH');
    expect(error.message).toBe(`the ${name} API refused the API key from ${env} (HTTP 401)`);
    const vaulted = await failure(
      translate(name, 'orders', {}, { keySource: `vault entry ${name}-api-key` }),
    );
    expect(vaulted.message).toContain(`from vault entry ${name}-api-key`);
    expect(JSON.stringify(vaulted) + vaulted.message + String(vaulted.hint)).not.toContain(KEY);
  });

  it('sends the maximum answer length it is given', async () => {
    server.reply(answerOf(name, GOOD));
    await translate(name, 'orders', {}, { maxOutputTokens: 321 });
    const body = server.requests[0]!.body;
    expect(name === 'openai' ? body.max_completion_tokens : body.max_tokens).toBe(321);
  });
});

describe('provider settings', () => {
  it('sends a temperature of 0 as 0 (openai)', async () => {
    server.reply(openAiCompletion(GOOD));
    await translate('openai', 'orders');
    expect(server.requests[0]!.body.temperature).toBe(0);
    server.reply(openAiCompletion(GOOD));
    await translate('openai', 'orders', {}, { temperature: 0.4 });
    expect(server.requests[0]!.body.temperature).toBe(0.4);
    server.reply(openAiCompletion(GOOD));
    await translate('openai', 'orders', {}, { temperature: null });
    expect(server.requests[0]!.body).not.toHaveProperty('temperature');
  });

  it('sends the Anthropic key in x-api-key, as its API documents, and no bearer header', async () => {
    server.reply(anthropicMessage(GOOD));
    await translate('anthropic', 'orders');
    expect(server.requests[0]!.headers['x-api-key']).toBe(KEY);
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
  });
});

describe('the context sent', () => {
  it('sends no table unrelated to a question about orders', async () => {
    server.reply(openAiCompletion(GOOD));
    await translate('openai', 'how many orders were shipped');
    const text = sent(server.requests[0]!);
    expect(text).toContain('TABLE orders');
    for (const other of ['products', 'categories', 'reviews', 'order_items'])
      expect(text).not.toContain(`TABLE ${other}`);
  });

  it('widens the linked tables along foreign keys to connect them (the bridge table comes along)', () => {
    const prompt = buildLlmPrompt('customers and the products they ordered', schema, shop.index, 'sqlite');
    expect(prompt.tables).toEqual(expect.arrayContaining(['customers', 'products', 'orders', 'order_items']));
    expect(prompt.tables).not.toContain('categories');
  });

  it('sends sample values only at the samples level', async () => {
    const byLevel = new Map<LlmContextLevel, string>();
    for (const level of ['names', 'types', 'comments', 'samples'] as const) {
      server.reply(openAiCompletion(GOOD));
      await translate('openai', 'how many orders were shipped', { context: level });
      byLevel.set(level, sent(server.requests[0]!));
    }
    expect(byLevel.get('samples')).toMatch(/status TEXT NOT NULL -- e\.g\. '\w+', '\w+', '\w+'/);
    for (const level of ['names', 'types', 'comments'] as const)
      expect(byLevel.get(level)).not.toMatch(/e\.g\. '/);
    expect(byLevel.get('names')).toContain('TABLE orders (id, customer_id, ordered_at, status, total)');
    expect(byLevel.get('names')).not.toContain('INTEGER');
    expect(byLevel.get('types')).toContain('customer_id INTEGER NOT NULL REFERENCES customers(id)');
  });

  it('leaves the least relevant tables out of a small token budget and says so', () => {
    const prompt = buildLlmPrompt('customers and the products they ordered', schema, shop.index, 'sqlite', {
      tokenBudget: 60,
    });
    expect(prompt.omitted.length).toBeGreaterThan(0);
    expect(prompt.tables.length).toBeGreaterThan(0);
    expect(prompt.context.tokens).toBeLessThanOrEqual(60);
    expect(prompt.system).toContain(`left out to fit the prompt: ${prompt.omitted.join(', ')}`);
  });
});

describe('conversations', () => {
  const first: LlmTurn = {
    question: 'customers in Paris',
    sql: 'SELECT * FROM customers WHERE city = ?',
    params: ['Paris'],
    tables: ['customers'],
    rows: [{ id: 1, name: 'Alice Martin', email: 'alice@example.com' }],
  };

  it('sends the first turn (question and SQL, no rows) with the second', async () => {
    server.reply(
      openAiCompletion({ ...GOOD, sql: 'SELECT * FROM customers WHERE city = ? AND country = ?' }),
    );
    await translate('openai', 'only the ones in France', { conversation: [first] });
    const messages = turns(server.requests[0]!);
    expect(messages).toEqual([
      { role: 'user', content: 'Question: customers in Paris' },
      { role: 'assistant', content: '{"sql":"SELECT * FROM customers WHERE city = ?","params":["Paris"]}' },
      { role: 'user', content: 'Question: only the ones in France' },
    ]);
    // The earlier turn's table stays in the context though the follow-up does not name it.
    expect(sent(server.requests[0]!)).toContain('TABLE customers');
    expect(sent(server.requests[0]!)).not.toContain('alice@example.com');
  });

  it('sends an earlier turn’s error, and its first rows only at the samples level', async () => {
    const failed: LlmTurn = {
      question: 'customer nicknames',
      sql: 'SELECT nickname FROM customers',
      error: 'no such column: nickname',
    };
    server.reply(openAiCompletion(GOOD));
    await translate('openai', 'and their emails', { conversation: [failed, first], context: 'samples' });
    const text = sent(server.requests[0]!);
    expect(text).toContain('It failed: no such column: nickname');
    expect(text).toContain('First rows: [{"id":1,"name":"Alice Martin","email":"alice@example.com"}]');
  });

  it('keeps the conversation bounded: old turns are dropped first', () => {
    const many: LlmTurn[] = Array.from({ length: 20 }, (_, i) => ({
      question: `question ${i}`,
      sql: 'SELECT 1',
    }));
    const prompt = buildLlmPrompt('customers', schema, shop.index, 'sqlite', { conversation: many });
    const questions = prompt.messages.filter((m) => m.role === 'user').map((m) => m.content);
    expect(questions[0]).toBe('Question: question 14');
    expect(questions.at(-1)).toBe('Question: customers');
    expect(questions).toHaveLength(7);
  });
});
