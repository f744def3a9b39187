import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type LlmServer, llmError, openAiCompletion, startLlmServer } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempHome } from './run-cli.js';
import { KEY as KEYS, ShellTerminal } from './shell-terminal.js';

// `aishell ask` and the shell with an LLM provider, the built binary against the local stand-in server
// (OpenAI wire format) on a SQLite file of its own.
const KEY = 'sk-cli-llm-test-0b7f3e91';
const env = tempHome();
const db = `sqlite://${path.join(mkdtempSync(path.join(os.tmpdir(), 'aishell-ask-llm-')), 'shop.db')}`;
let server: LlmServer;
let llmEnv: Record<string, string>;

const answer = (sql: string, params: unknown[] = []) => ({ sql, params, explanation: 'x', confidence: 0.9 });

beforeAll(async () => {
  server = await startLlmServer();
  llmEnv = { ...env, OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `${server.url}/v1` };
  for (const sql of [
    'create table customers (id integer primary key, name text not null, country text not null)',
    'create table orders (id integer primary key, customer_id integer not null references customers(id), status text not null, total real not null)',
    'create table notes (id integer primary key, body text not null)',
    `create table suppliers (id integer primary key, ${Array.from({ length: 30 }, (_, i) => `contact_field_${i} text`).join(', ')})`,
    "insert into customers values (1, 'Ann', 'France'), (2, 'Bo', 'Spain')",
    "insert into orders values (1, 1, 'shipped', 10), (2, 2, 'open', 20)",
  ]) {
    const r = await runCli(['query', sql, '-c', db, '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
  }
}, 120_000);
afterAll(async () => {
  await server?.close();
});

describe('aishell ask --provider openai', () => {
  it('--show-context prints what would be sent and sends nothing (text and --json)', async () => {
    server.reply(openAiCompletion(answer('SELECT 1')));
    const text = await runCli(
      ['ask', 'how many orders were shipped', '-c', db, '--provider', 'openai', '--show-context'],
      { env: llmEnv },
    );
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('-- nothing was sent');
    expect(text.stdout).toContain('TABLE orders');
    expect(text.stdout).not.toContain('TABLE notes');
    expect(text.stdout).toContain('=== user\nQuestion: how many orders were shipped');
    const json = await runCli(
      [
        'ask',
        'how many orders were shipped',
        '-c',
        db,
        '--provider',
        'openai',
        '--show-context',
        '--json',
        '--context',
        'samples',
      ],
      { env: { ...env } }, // no key needed: nothing is sent
    );
    expect(json.code, json.stderr).toBe(0);
    const doc = JSON.parse(json.stdout);
    expect(doc).toMatchObject({ provider: 'openai', level: 'samples', tables: ['orders'], omitted: [] });
    expect(doc.system).toMatch(/status TEXT NOT NULL -- e\.g\. 'open', 'shipped'/);
    expect(doc.messages).toEqual([{ role: 'user', content: 'Question: how many orders were shipped' }]);
    expect(server.requests).toHaveLength(0);
  });

  it('says on stderr which tables were left out to fit the token budget', async () => {
    server.reply(openAiCompletion(answer('SELECT name FROM customers')));
    const r = await runCli(
      [
        'ask',
        'customers and suppliers',
        '-c',
        db,
        '--provider',
        'openai',
        '--token-budget',
        '100',
        '--dry-run',
      ],
      { env: llmEnv },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /aishell: 1 table left out of the prompt to fit its budget \(--token-budget\): (customers|suppliers)/,
    );
    const system = server.requests[0]!.body.messages[0].content as string;
    expect(system).toMatch(/\(1 more related table left out to fit the prompt: (customers|suppliers)\)/);
  });

  it('answers with attempts and repairs in the JSON after a repair', async () => {
    server.reply(
      openAiCompletion(answer('SELECT nickname FROM customers')),
      openAiCompletion(answer('SELECT name FROM customers ORDER BY id')),
    );
    const r = await runCli(['ask', 'customer names', '-c', db, '--provider', 'openai', '--json'], {
      env: llmEnv,
    });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      engine: 'openai',
      attempts: 2,
      repairs: [{ attempt: 1, sql: 'SELECT nickname FROM customers' }],
    });
    expect(doc.repairs[0].error).toMatch(/no such column: nickname/);
    expect(doc.result.rows).toEqual([{ name: 'Ann' }, { name: 'Bo' }]);
  });

  it('refuses a proposed DELETE under --json without --yes: exit 5, nothing deleted', async () => {
    server.reply(openAiCompletion(answer('DELETE FROM orders')));
    const r = await runCli(['ask', 'delete all orders', '-c', db, '--provider', 'openai', '--json'], {
      env: llmEnv,
    });
    expect(r.code).toBe(5);
    expect(JSON.parse(r.stdout).error).toMatchObject({
      code: 'SAFETY_REFUSED',
      message: expect.stringMatching(/critical risk/),
    });
    const count = await runCli(['query', 'select count(*) as n from orders', '-c', db, '--json'], { env });
    expect(JSON.parse(count.stdout).rows).toEqual([{ n: 2 }]);
  });

  it('ends three failed answers with exit 4, the last SQL and every failure in the JSON error', async () => {
    server.reply(openAiCompletion(answer('SELECT * FROM clients')));
    const r = await runCli(['ask', 'clients', '-c', db, '--provider', 'openai', '--json'], { env: llmEnv });
    expect(r.code).toBe(4);
    const { error } = JSON.parse(r.stdout);
    expect(error).toMatchObject({ code: 'NL_NO_TRANSLATION', sql: 'SELECT * FROM clients', attempts: 3 });
    expect(error.repairs).toHaveLength(3);
    expect(error.message).toContain('last SQL: SELECT * FROM clients');
  });

  it('says which variable holds a refused key (401), without the key', async () => {
    server.reply(llmError('openai', 401, `Incorrect API key provided: ${KEY}`));
    const r = await runCli(['ask', 'customer names', '-c', db, '--provider', 'openai'], { env: llmEnv });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('the openai API refused the API key from OPENAI_API_KEY (HTTP 401)');
    expect(r.stderr + r.stdout).not.toContain(KEY);
    expect(r.stderr + r.stdout).not.toContain(KEY.slice(-8));
  });
});

describe('a key from the vault', () => {
  it('is sent when the variable is unset, named when refused, and never printed', async () => {
    const VAULTED = 'sk-vaulted-key-c0ffee42';
    const home = { ...tempHome(), AISHELL_VAULT_PASSWORD: 'master-pw-for-the-test' };
    expect((await runCli(['vault', 'init'], { env: home })).code).toBe(0);
    const add = await runCli(['vault', 'add', 'openai-api-key'], { env: home, input: `${VAULTED}\n` });
    expect(add.code, add.stderr).toBe(0);
    server.reply(llmError('openai', 401, `Incorrect API key provided: ${VAULTED}`));
    const r = await runCli(['ask', 'customer names', '-c', db, '--provider', 'openai', '--verbose'], {
      env: { ...home, OPENAI_BASE_URL: `${server.url}/v1` },
    });
    expect(r.code).toBe(3);
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${VAULTED}`);
    expect(r.stderr).toContain('refused the API key from vault entry openai-api-key (HTTP 401)');
    expect(r.stdout + r.stderr).not.toContain(VAULTED);
  });

  it('is asked for with the variable and the vault entry named when there is neither', async () => {
    const r = await runCli(['ask', 'customer names', '-c', db, '--provider', 'openai', '--json'], {
      env: { ...tempHome() },
    });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error).toMatchObject({
      code: 'NL_PROVIDER_NO_KEY',
      hint: 'set OPENAI_API_KEY or store it with `aishell vault add openai-api-key`, or use --provider offline',
    });
  });
});

describe('the shell with a provider', () => {
  it('sends the first question and its SQL with a follow-up, and \\reset starts over', async () => {
    server.reply(
      openAiCompletion(answer('SELECT name FROM customers ORDER BY id')),
      openAiCompletion(answer('SELECT name FROM customers WHERE country = ? ORDER BY id', ['France'])),
      openAiCompletion(answer('SELECT count(*) AS n FROM orders')),
    );
    const input = [
      'who are the people who buy from us, please tell me',
      'only the ones who live in France',
      '\\reset',
      'how many of them placed orders with us, please tell me',
    ].join('\n');
    // The model answers every question (the offline translator would answer these first).
    const home = tempHome();
    mkdirSync(path.join(home.XDG_CONFIG_HOME!, 'aishell'), { recursive: true });
    writeFileSync(
      path.join(home.XDG_CONFIG_HOME!, 'aishell', 'config.json'),
      JSON.stringify({ nl: { offlineFirst: false } }),
    );
    const r = await runCli(['shell', '-c', db], {
      env: { ...llmEnv, ...home, AISHELL_NL_PROVIDER: 'openai' },
      input: `${input}\n`,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(server.requests).toHaveLength(3);
    const messages = (i: number) =>
      (server.requests[i]!.body.messages as { role: string; content: string }[]).filter(
        (m) => m.role !== 'system',
      );
    expect(messages(1)).toEqual([
      { role: 'user', content: 'Question: who are the people who buy from us, please tell me' },
      { role: 'assistant', content: '{"sql":"SELECT name FROM customers ORDER BY id","params":[]}' },
      { role: 'user', content: 'Question: only the ones who live in France' },
    ]);
    expect(r.stdout).toMatch(/Conversation forgotten \(2 questions\)/);
    expect(messages(2)).toEqual([
      { role: 'user', content: 'Question: how many of them placed orders with us, please tell me' },
    ]);
    // No rows of the first answer went to the model (context level comments).
    expect(JSON.stringify(server.requests[1]!.body)).not.toContain('Ann');
  });
});

describe('the shell offline', () => {
  it('reads a follow-up starting with "only" with the previous question, and not after \\reset', async () => {
    server.reply(openAiCompletion(answer('SELECT 1')));
    const input = [
      'customers with orders',
      'only the ones in France',
      '\\reset',
      'only the ones in France',
    ].join('\n');
    const r = await runCli(['shell', '-c', db], { env, input: `${input}\n` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('-- read as: customers with orders in France');
    expect(r.stdout).toMatch(/WHERE "country" = \? AND EXISTS/);
    expect(r.stdout.match(/-- read as:/g)).toHaveLength(1);
    expect(server.requests).toHaveLength(0);
  });
});

describe('the shell on a terminal', () => {
  it('shows a DELETE the model proposes with its risk and runs it only on yes', async () => {
    server.reply(
      openAiCompletion(answer('DELETE FROM orders WHERE status = ?', ['open'])),
      openAiCompletion(answer('DELETE FROM orders WHERE status = ?', ['open'])),
    );
    const t = new ShellTerminal(['-c', db], { env: { ...llmEnv, AISHELL_NL_PROVIDER: 'openai' } });
    try {
      await t.waitFor('=> ');
      await t.type('please remove the open orders');
      t.write(KEYS.enter);
      await t.waitFor(/This statement is \w+ risk:\n(.*\n)*Run it\? \[y\/N\] $/);
      t.write(KEYS.enter);
      await t.waitFor(/ERROR: refused: \w+ risk statement/);
      const kept = await runCli(['query', 'select count(*) as n from orders', '-c', db, '--json'], { env });
      expect(JSON.parse(kept.stdout).rows).toEqual([{ n: 2 }]);
      await t.type('please remove the open orders now');
      t.write(KEYS.enter);
      await t.waitFor(/Run it\? \[y\/N\] $/);
      t.write(`y${KEYS.enter}`);
      await t.waitFor(/DELETE 1/);
      const left = await runCli(['query', 'select count(*) as n from orders', '-c', db, '--json'], { env });
      expect(JSON.parse(left.stdout).rows).toEqual([{ n: 1 }]);
    } finally {
      t.close();
    }
  });
});
