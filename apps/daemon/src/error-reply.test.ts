import { SafetyError, UnknownConnectionError, UsageError } from '@aishell/engine';
import { describe, expect, it } from 'vitest';
import { replyForError } from './error-reply.js';
import { DaemonConnectionNotAllowedError, DaemonNoSuchDatabaseError } from './errors.js';

const keep = (text: string): string => text;

function failure(code: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { code, ...extra });
}

describe('replyForError', () => {
  it('answers 400 for engine usage errors and malformed URLs', () => {
    expect(replyForError(new UsageError('no SQL statement to run'), keep)).toMatchObject({
      status: 400,
      body: { error: { code: 'ENGINE_USAGE' } },
    });
    expect(replyForError(new UnknownConnectionError('prod'), keep)).toMatchObject({
      status: 400,
      body: { error: { code: 'ENGINE_UNKNOWN_CONNECTION', hint: expect.any(String) } },
    });
    expect(replyForError(failure('POOL_URL', 'bad port'), keep).status).toBe(400);
  });

  it('answers 403 for a connection outside the allowlist, with how to allow it, and 400 for a missing database', () => {
    expect(replyForError(new DaemonConnectionNotAllowedError(), keep)).toMatchObject({
      status: 403,
      body: { error: { code: 'DAEMON_CONNECTION_NOT_ALLOWED', hint: expect.stringMatching(/allowFolders/) } },
    });
    expect(replyForError(new DaemonNoSuchDatabaseError('sqlite', '/srv/sqlite/x.db'), keep)).toMatchObject({
      status: 400,
      body: { error: { code: 'DAEMON_NO_SUCH_DATABASE' } },
    });
  });

  it('answers 422 for the guard, with the risk, the reasons and how to confirm', () => {
    const answer = replyForError(new SafetyError('critical', ['DELETE without WHERE']), keep);
    expect(answer).toEqual({
      status: 422,
      body: {
        error: {
          code: 'SAFETY_REFUSED',
          message: expect.stringMatching(/DELETE without WHERE/),
          hint: expect.stringMatching(/"confirm": true/),
          risk: 'critical',
          reasons: ['DELETE without WHERE'],
        },
      },
    });
  });

  it.each([
    'POOL_QUERY',
    'POOL_TIMEOUT',
    'SQL_PARSE',
    'POOL_CONNECT',
    'POOL_AUTH',
    'POOL_ACQUIRE_TIMEOUT',
    'POOL_CONNECTION_LOST',
  ])('answers 502 with the message for %s', (code) => {
    const answer = replyForError(
      failure(code, 'relation "nope" does not exist', { sqlState: '42P01' }),
      keep,
    );
    expect(answer).toEqual({
      status: 502,
      body: { error: { code, message: 'relation "nope" does not exist', sqlState: '42P01' } },
    });
  });

  it('answers 500 without internals for anything else', () => {
    const answer = replyForError(
      new TypeError('cannot read properties of undefined (reading "x") at /srv/app.js'),
      keep,
    );
    expect(answer).toEqual({
      status: 500,
      body: { error: { code: 'DAEMON_INTERNAL', message: expect.not.stringMatching(/undefined|app\.js/) } },
    });
  });

  it('answers 503 for a session closed by a shutdown', () => {
    expect(replyForError(failure('POOL_CLOSED', 'the pool is closed'), keep)).toMatchObject({
      status: 503,
      body: { error: { code: 'DAEMON_SHUTTING_DOWN' } },
    });
  });

  it('passes every outgoing text through the scrubber', () => {
    const scrub = (text: string) => text.replaceAll('s3cret', '****');
    const answer = replyForError(failure('POOL_AUTH', 'password authentication failed (s3cret)'), scrub);
    expect(JSON.stringify(answer)).not.toContain('s3cret');
  });
});
