import {
  anthropicMessage,
  type LlmReply,
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
import { buildLlmPrompt } from './llm-prompt.js';
import type { LlmProviderOptions } from './llm-provider.js';
import type { NlSchema } from './nl-schema.js';
import { buildSchemaIndex, type SchemaIndex } from './schema-index.js';
import { translateWithLlm } from './translate-with-llm.js';
import { buildValueIndex } from './value-index.js';

// The providers talk to a local server that speaks each API's wire format; the SDKs, the prompt,
// the answer check and the SQLite database they run on are real.
const KEY = 'sk-test-4f9c2a7e1b-secret';
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

interface Api {
  /** Base URL of the local server as this SDK expects it. */
  baseURL(): string;
  path: string;
  answer(value: unknown): LlmReply;
  /** The prompt text the request carried. */
  promptOf(body: Record<string, unknown>): string;
  keyOf(headers: Record<string, unknown>): unknown;
  /** What the key header may hold. */
  keyHeaders: unknown[];
}

const APIS: Record<LlmProviderName, Api> = {
  openai: {
    baseURL: () => `${server.url}/v1`,
    path: '/v1/chat/completions',
    answer: (value) => openAiCompletion(value),
    promptOf: (body) => (body.messages as { content: string }[]).map((m) => m.content).join('\n'),
    keyOf: (headers) => headers.authorization,
    keyHeaders: [`Bearer ${KEY}`],
  },
  anthropic: {
    baseURL: () => server.url,
    path: '/v1/messages',
    answer: (value) => anthropicMessage(value),
    promptOf: (body) =>
      `${body.system as string}\n${(body.messages as { content: string }[]).map((m) => m.content).join('\n')}`,
    // The API documents x-api-key; this SDK version would send a bearer token unless told otherwise.
    keyOf: (headers) => (headers.authorization === undefined ? headers['x-api-key'] : 'both sent'),
    keyHeaders: [KEY],
  },
};

const PARIS = {
  sql: 'SELECT name, email FROM customers WHERE city = ? ORDER BY name',
  params: ['Paris'],
  explanation: 'Names and emails of customers in Paris.',
  confidence: 0.93,
};

async function ask(name: LlmProviderName, question: string, options: LlmProviderOptions = {}) {
  const provider = createLlmProvider(name, {
    apiKey: KEY,
    baseURL: APIS[name].baseURL(),
    maxRetries: 0,
    ...options,
  });
  return translateWithLlm(question, schema, shop.index, provider, { dialect: 'sqlite' });
}

async function failure(promise: Promise<unknown>): Promise<NlError & Record<string, unknown>> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NlError);
  return error as NlError & Record<string, unknown>;
}

/** Everything of an error that could be printed: message, hint, stack, fields, the cause chain. */
function printable(error: unknown): string {
  const parts: string[] = [];
  let e: unknown = error;
  for (let depth = 0; e && depth < 5; depth++) {
    const x = e as Error & { hint?: unknown };
    parts.push(String(x.message), String(x.hint), String(x.stack), JSON.stringify(x));
    e = x.cause;
  }
  return parts.join('\n');
}

describe.each(Object.keys(APIS) as LlmProviderName[])('the %s provider', (name) => {
  const api = APIS[name];

  it('sends the schema and the question with the key in the API header, and returns checked SQL that runs', async () => {
    server.reply(api.answer(PARIS));
    const t = await ask(name, 'names and emails of customers in Paris');
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe(api.path);
    expect(api.keyHeaders).toContain(api.keyOf(request!.headers));
    const prompt = api.promptOf(request!.body);
    expect(prompt).toContain('Question: names and emails of customers in Paris');
    expect(prompt).toContain('TABLE customers');
    expect(prompt).toMatch(/email TEXT NOT NULL/);
    expect(prompt).toContain('SQLite');
    // Schema only: no row of the database is sent.
    expect(prompt).not.toContain('alice@example.com');
    expect(t).toMatchObject({
      sql: PARIS.sql,
      params: ['Paris'],
      confidence: 0.93,
      tables: ['customers'],
      provider: name,
    });
    expect(shop.rows(t.sql, t.params)).toEqual([
      ['Alice Martin', 'alice@example.com'],
      ['Emma Rossi', 'emma@example.com'],
    ]);
  });

  it('gives a write from the model back as a proposal with its risk and reasons, not as a read', async () => {
    server.reply(api.answer({ ...PARIS, sql: 'DELETE FROM customers', params: [] }));
    const t = await ask(name, 'delete all customers');
    expect(t).toMatchObject({ kind: 'delete', readOnly: false, risk: 'critical', tables: ['customers'] });
    expect(t.reasons.join()).toMatch(/without WHERE/);
  });

  it('refuses two statements from the model after the repairs, naming the last SQL', async () => {
    server.reply(api.answer({ ...PARIS, sql: 'SELECT * FROM customers; DROP TABLE orders' }));
    const error = await failure(ask(name, 'customers'));
    expect(error.code).toBe('NL_NO_TRANSLATION');
    expect(error.message).toMatch(/2 statements/);
    expect(error.message).toContain('last SQL: SELECT * FROM customers; DROP TABLE orders');
    expect(server.requests).toHaveLength(3);
  });

  it('refuses SQL that reads a table outside the schema', async () => {
    server.reply(api.answer({ ...PARIS, sql: 'SELECT * FROM sqlite_master', params: [] }));
    const error = await failure(ask(name, 'customers'));
    expect(error.message).toMatch(/unknown table sqlite_master/);
  });

  it('turns a declined question (empty SQL) into NL_NO_TRANSLATION with the model’s reason', async () => {
    server.reply(
      api.answer({ sql: '', params: [], explanation: 'there is no salary column', confidence: 0 }),
    );
    const error = await failure(ask(name, 'average salary'));
    expect(error.code).toBe('NL_NO_TRANSLATION');
    expect(error.message).toContain('there is no salary column');
  });

  it('reads a JSON answer wrapped in prose and a code fence, clamping the confidence', async () => {
    const text = `Here you go:\n\`\`\`json\n${JSON.stringify({ ...PARIS, confidence: 7 })}\n\`\`\``;
    server.reply(api.answer(text));
    const t = await ask(name, 'customers in Paris');
    expect(t.sql).toBe(PARIS.sql);
    expect(t.confidence).toBe(1);
  });

  it('gives the documented confidence when the model gives none', async () => {
    server.reply(api.answer(`{"sql": "SELECT count(*) AS n FROM orders", "params": []}`));
    const t = await ask(name, 'how many orders');
    expect(t.confidence).toBe(0.7);
    expect(shop.rows(t.sql, t.params)).toEqual([[8]]);
  });

  it('says NL_NO_TRANSLATION when the answer is not JSON', async () => {
    server.reply(api.answer('I think you want the customers table.'));
    const error = await failure(ask(name, 'customers'));
    expect(error.code).toBe('NL_NO_TRANSLATION');
    expect(error.message).toMatch(/the answer is not JSON/);
  });

  it('reports a refused key as NL_PROVIDER_AUTH without the key anywhere in the error', async () => {
    // Real APIs echo (part of) the key in their error text; it must not reach the person.
    server.reply(llmError(name, 401, `Incorrect API key provided: ${KEY}`));
    const error = await failure(ask(name, 'customers'));
    expect(error.code).toBe('NL_PROVIDER_AUTH');
    expect(error.status).toBe(401);
    expect(printable(error)).not.toContain(KEY);
    expect(printable(error)).not.toContain(KEY.slice(-8));
  });

  it('retries a 429 and succeeds', async () => {
    server.reply(llmError(name, 429, 'slow down'), api.answer(PARIS));
    const t = await ask(name, 'customers in Paris', { maxRetries: 2 });
    expect(server.requests).toHaveLength(2);
    expect(t.sql).toBe(PARIS.sql);
  });

  it('gives up with NL_PROVIDER_RATE_LIMITED after the retries', async () => {
    server.reply(llmError(name, 429, 'slow down'));
    const error = await failure(ask(name, 'customers in Paris', { maxRetries: 1 }));
    expect(error.code).toBe('NL_PROVIDER_RATE_LIMITED');
    expect(server.requests).toHaveLength(2);
  });

  it('retries a 5xx', async () => {
    server.reply(llmError(name, 503, 'overloaded'), api.answer(PARIS));
    await ask(name, 'customers in Paris', { maxRetries: 1 });
    expect(server.requests).toHaveLength(2);
  });

  it('reports an unknown model (another 4xx) as NL_PROVIDER_REJECTED, and a lasting 5xx as NL_PROVIDER_FAILED', async () => {
    server.reply(llmError(name, 404, 'model not found'));
    expect((await failure(ask(name, 'customers'))).code).toBe('NL_PROVIDER_REJECTED');
    server.reply(llmError(name, 500, 'boom'));
    expect((await failure(ask(name, 'customers'))).code).toBe('NL_PROVIDER_FAILED');
  });

  it('stops a hung server with NL_PROVIDER_TIMEOUT within the bound', async () => {
    server.reply({ hang: true });
    const started = Date.now();
    const error = await failure(ask(name, 'customers', { timeoutMillis: 300 }));
    expect(error.code).toBe('NL_PROVIDER_TIMEOUT');
    expect(error.message).toMatch(/within 300 ms/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('reports a server that is not there as NL_PROVIDER_UNREACHABLE', async () => {
    const gone = await startLlmServer();
    await gone.close();
    const error = await failure(
      ask(name, 'customers', { baseURL: name === 'openai' ? `${gone.url}/v1` : gone.url }),
    );
    expect(error.code).toBe('NL_PROVIDER_UNREACHABLE');
  });

  it('stops on an aborted signal with NL_ABORTED', async () => {
    server.reply({ hang: true });
    const provider = createLlmProvider(name, { apiKey: KEY, baseURL: api.baseURL(), maxRetries: 0 });
    const controller = new AbortController();
    const pending = translateWithLlm('customers', schema, shop.index, provider, {
      dialect: 'sqlite',
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    expect((await failure(pending)).code).toBe('NL_ABORTED');
  });

  it('asks for an API key, naming the environment variable', () => {
    let error: unknown;
    try {
      createLlmProvider(name, { baseURL: name === 'anthropic' ? api.baseURL() : undefined });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      code: 'NL_PROVIDER_NO_KEY',
      hint: expect.stringContaining(name === 'openai' ? 'OPENAI_API_KEY' : 'ANTHROPIC_API_KEY'),
    });
  });
});

describe('the openai provider on an OpenAI-compatible server', () => {
  it('asks for a JSON-schema answer and the model chosen', async () => {
    server.reply(openAiCompletion(PARIS));
    await ask('openai', 'customers in Paris', { model: 'llama3.1' });
    const body = server.requests[0]!.body;
    expect(body.model).toBe('llama3.1');
    expect(body.response_format).toMatchObject({ type: 'json_schema', json_schema: { strict: true } });
    expect(body.response_format.json_schema.schema.required).toEqual([
      'sql',
      'params',
      'explanation',
      'confidence',
    ]);
  });

  it('needs no API key for a server other than OpenAI’s (Ollama, vLLM)', async () => {
    server.reply(openAiCompletion(PARIS));
    const t = await ask('openai', 'customers in Paris', { apiKey: undefined });
    expect(t.sql).toBe(PARIS.sql);
  });
});

describe('the anthropic provider', () => {
  it('forces the answer tool and sends the API version header', async () => {
    server.reply(anthropicMessage(PARIS));
    await ask('anthropic', 'customers in Paris');
    const request = server.requests[0]!;
    expect(request.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(request.body.tool_choice).toEqual({ type: 'tool', name: 'answer_with_sql' });
    expect(request.body.tools[0].input_schema.required).toContain('sql');
    expect(request.body.model).toBe('claude-sonnet-4-6');
  });
});

describe('buildLlmPrompt', () => {
  it('writes $n placeholders for PostgreSQL and ? for MySQL', () => {
    expect(buildLlmPrompt('customers', schema, shop.index, 'postgres').system).toContain('$1, $2');
    expect(buildLlmPrompt('customers', schema, shop.index, 'mysql').system).toMatch(/placeholders \(\?\)/);
  });

  it('sends only the tables the question speaks about', () => {
    const prompt = buildLlmPrompt('reviews of products', schema, shop.index, 'sqlite');
    expect(prompt.tables).toContain('reviews');
    expect(prompt.tables).toContain('products');
    expect(prompt.system).not.toContain('TABLE orders');
    expect(prompt.messages).toEqual([{ role: 'user', content: 'Question: reviews of products' }]);
  });
});
