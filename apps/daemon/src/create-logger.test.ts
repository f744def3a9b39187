import { describe, expect, it } from 'vitest';
import { createLogger, logLevelFrom } from './create-logger.js';

describe('logLevelFrom', () => {
  it('reads AISHELL_LOG_LEVEL and falls back to info', () => {
    expect(logLevelFrom({ AISHELL_LOG_LEVEL: 'debug' })).toBe('debug');
    expect(logLevelFrom({ AISHELL_LOG_LEVEL: ' WARN ' })).toBe('warn');
    expect(logLevelFrom({ AISHELL_LOG_LEVEL: 'chatty' })).toBe('info');
    expect(logLevelFrom({})).toBe('info');
  });
});

describe('createLogger', () => {
  it('censors authorization headers, SQL, parameters, tokens and passwords that reach a log call', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', destination: { write: (l: string) => void lines.push(l) } });
    log.info(
      {
        req: { headers: { authorization: 'Bearer tok-123456' } },
        body: { sql: 'select secret_column', params: ['p4ram'] },
        token: 'tok-123456',
        password: 'pw-abcdef',
      },
      'something happened',
    );
    const line = lines.join('');
    for (const secret of ['tok-123456', 'secret_column', 'p4ram', 'pw-abcdef'])
      expect(line).not.toContain(secret);
    expect(JSON.parse(line)).toMatchObject({
      msg: 'something happened',
      name: 'aishelld',
      token: '[redacted]',
    });
  });

  it('writes nothing below its level', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'warn', destination: { write: (l: string) => void lines.push(l) } });
    log.info('quiet');
    log.warn('loud');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['loud']);
  });

  it('logs of an error only its type, code, status, message and stack, never a raw packet or headers', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'trace', destination: { write: (l: string) => void lines.push(l) } });
    const error = Object.assign(new Error('Parse Error: Invalid header token'), {
      code: 'HPE_INVALID_HEADER_TOKEN',
      rawPacket: Buffer.from('GET / HTTP/1.1\r\nAuthorization: Bearer tok-in-packet\r\n'),
      headers: { authorization: 'Bearer tok-in-headers' },
      body: { sql: 'select 1' },
    });
    log.trace({ err: error }, 'client error');
    log.debug(error);
    for (const line of lines) {
      const err = (JSON.parse(line) as { err: Record<string, unknown> }).err;
      expect(Object.keys(err).sort()).toEqual(['code', 'message', 'stack', 'type']);
      expect(err.code).toBe('HPE_INVALID_HEADER_TOKEN');
    }
    expect(lines.join('')).not.toMatch(/tok-in-|rawPacket|headers/);
  });

  it('logs of a request only its method and path, never its headers or query string', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', destination: { write: (l: string) => void lines.push(l) } });
    log.info(
      {
        req: { method: 'POST', url: '/v1/query?token=tok-in-query', headers: { authorization: 'Bearer x' } },
        res: { statusCode: 401, headers: { 'set-cookie': 'c' } },
      },
      'request',
    );
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      req: { method: 'POST', path: '/v1/query' },
      res: { statusCode: 401 },
    });
    expect(lines[0]).not.toMatch(/tok-in-query|authorization|set-cookie/);
  });

  it('never writes a secret it was given, wherever it appears in a line', () => {
    const lines: string[] = [];
    const secret = 'the-"bearer"-token-0123';
    const log = createLogger({
      level: 'info',
      secrets: [secret],
      destination: { write: (l: string) => void lines.push(l) },
    });
    log.info({ note: `it was ${secret}` }, `message with ${secret}`);
    expect(lines.join('')).not.toContain('bearer');
    expect(lines.join('')).toContain('****');
  });
});
