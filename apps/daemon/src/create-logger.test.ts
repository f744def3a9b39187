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
});
