import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type DaemonServer } from './server.js';

// What a request can do to the daemon before any database is involved: malformed HTTP, secrets in the
// log at trace level, bodies nested deep or wide, media types, and names an object prototype holds.
const token = `sec-token-${randomBytes(16).toString('hex')}`;
const wrongToken = `wrong-token-${randomBytes(8).toString('hex')}`;
const home = mkdtempSync(path.join(os.tmpdir(), 'aishelld-sec-'));
const env = {
  HOME: home,
  XDG_CONFIG_HOME: path.join(home, 'config'),
  XDG_DATA_HOME: path.join(home, 'data'),
  XDG_STATE_HOME: path.join(home, 'state'),
};
const logLines: string[] = [];
let app: DaemonServer;
let port = 0;

/** Send raw bytes and read the whole answer until the daemon closes the socket. */
function rawRequest(text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    let answer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', () => resolve(answer));
  });
}

function post(body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body,
  });
}

beforeAll(async () => {
  const saved = path.join(mkdtempSync(path.join(os.tmpdir(), 'aishelld-sec-db-')), 'saved.db');
  mkdirSync(path.join(env.XDG_CONFIG_HOME, 'aishell'), { recursive: true });
  writeFileSync(
    path.join(env.XDG_CONFIG_HOME, 'aishell', 'config.json'),
    JSON.stringify({ connections: { constructor: { url: `sqlite://${saved}` } } }),
  );
  app = await buildServer({
    token,
    env,
    allow: { allowUrls: ['sqlite::memory:'], allowFolders: [] },
    processMetrics: false,
    logLevel: 'trace',
    logDestination: { write: (line: string) => void logLines.push(line) },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as net.AddressInfo).port;
});

afterAll(async () => {
  await app?.close();
});

describe('malformed HTTP requests', () => {
  it('are answered 400 in the daemon error shape and closed, and at trace level the log never holds the token', async () => {
    const auth = `Authorization: Bearer ${token}\r\n`;
    const malformed = [
      `GET /v1/query HTTP/1.1\r\nHost: x\r\n${auth}Bad Header\r\n\r\n`, // a header without a colon
      `GARBAGE\r\n${auth}\r\n`, // a bad request line
      `POST /v1/query?token=${token} HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: abc\r\n\r\n`,
      `POST /v1/query HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n`,
    ];
    for (const text of malformed) {
      const answer = await rawRequest(text);
      expect(answer, text).toMatch(/^HTTP\/1\.1 400 /);
      const body = answer.slice(answer.indexOf('\r\n\r\n') + 4);
      expect(JSON.parse(body)).toEqual({
        error: { code: 'DAEMON_BAD_REQUEST', message: 'malformed HTTP request' },
      });
    }
    // A well-formed request with a wrong token, and one with the right token in its query string.
    const wrong = await post('{}', { authorization: `Bearer ${wrongToken}` });
    expect(wrong.status).toBe(401);
    const queried = await fetch(`http://127.0.0.1:${port}/v1/nothing?token=${token}`, {
      headers: { authorization: `Bearer ${wrongToken}` },
    });
    expect(queried.status).toBe(404);

    const log = logLines.join('');
    for (const secret of [token, wrongToken]) {
      expect(log).not.toContain(secret);
      // Node's parser hands over the packet as bytes; serialised, a Buffer is a list of numbers.
      expect(log).not.toContain(Buffer.from(secret).join(','));
      expect(log).not.toContain(Buffer.from(secret).toString('base64'));
    }
    expect(log).not.toContain('rawPacket');
    const parsed = logLines.map((l) => JSON.parse(l) as { msg: string; err?: Record<string, unknown> });
    const clientErrors = parsed.filter((l) => l.msg === 'malformed HTTP request');
    expect(clientErrors).toHaveLength(malformed.length);
    for (const line of clientErrors) expect(line.err).toEqual({ code: expect.stringMatching(/^HPE_/) });
  });
});

describe('request bodies', () => {
  it('answers 400 for params nested 100,000 levels deep, before the body is validated or run', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const res = await post(`{"connection":"sqlite::memory:","sql":"select ? as x","params":[${deep}]}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { code: 'DAEMON_BAD_REQUEST', message: 'request body is nested deeper than 32 levels' },
    });
    const objects = `${'{"a":'.repeat(1000)}1${'}'.repeat(1000)}`;
    const res2 = await post(`{"connection":"sqlite::memory:","sql":"select 1","params":[${objects}]}`);
    expect(res2.status).toBe(400);
  });

  it('accepts nesting within the bound', async () => {
    const res = await post(
      JSON.stringify({ connection: 'sqlite::memory:', sql: 'select 1 as one', params: [] }),
    );
    expect(res.status).toBe(200);
  });

  it('answers a huge flat params array within the body limit with a clear error, not a crash', async () => {
    const tooMany = await post(
      JSON.stringify({ connection: 'sqlite::memory:', sql: 'select 1', params: new Array(300_000).fill(1) }),
    );
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as { error: { message: string } }).error.message).toMatch(
      /params: at most 65535 parameters/,
    );
    const most = await post(
      JSON.stringify({
        connection: 'sqlite::memory:',
        sql: 'select ? as x',
        params: new Array(65_535).fill(1),
      }),
    );
    expect(most.status).toBe(502);
    expect(((await most.json()) as { error: { code: string } }).error.code).toBe('POOL_QUERY');
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
  });
});

describe('media types', () => {
  it('answers 415 in the daemon error shape for a text/plain body', async () => {
    const res = await post(JSON.stringify({ connection: 'sqlite::memory:', sql: 'select 1' }), {
      'content-type': 'text/plain',
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({
      error: { code: 'DAEMON_UNSUPPORTED_MEDIA_TYPE', message: 'send the request body as application/json' },
    });
  });

  it('answers 415 in the daemon error shape for a body without a content type', async () => {
    const body = JSON.stringify({ connection: 'sqlite::memory:', sql: 'select 1' });
    const answer = await rawRequest(
      `POST /v1/query HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 415 /);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({
      error: { code: 'DAEMON_UNSUPPORTED_MEDIA_TYPE' },
    });
  });

  it('accepts application/json with a charset', async () => {
    const res = await post(JSON.stringify({ connection: 'sqlite::memory:', sql: 'select 1 as one' }), {
      'content-type': 'application/json; charset=utf-8',
    });
    expect(res.status).toBe(200);
  });
});

describe('connection names', () => {
  it('answers unknown connection (400) for toString, __proto__ and hasOwnProperty, names an object prototype holds', async () => {
    for (const connection of ['toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      const res = await post(JSON.stringify({ connection, sql: 'select 1' }));
      expect(res.status, connection).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
        'ENGINE_UNKNOWN_CONNECTION',
      );
    }
  });

  it('serves a connection really saved as constructor', async () => {
    const res = await post(JSON.stringify({ connection: 'constructor', sql: 'select 7 as seven' }));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { rows: unknown }).rows).toEqual([{ seven: 7 }]);
  });
});
