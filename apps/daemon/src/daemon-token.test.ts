import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDaemonToken } from './daemon-token.js';

function tokenFile(): string {
  return path.join(
    mkdtempSync(path.join(os.tmpdir(), 'aishelld-token-')),
    'config',
    'aishell',
    'daemon-token',
  );
}

describe('resolveDaemonToken', () => {
  it('creates the token file on first use: 32 random bytes as hex, mode 0600, in a 0700 folder', async () => {
    const file = tokenFile();
    const first = await resolveDaemonToken({ env: {}, file });
    expect(first.source).toBe('created');
    expect(first.token).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.token);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
  });

  it('reuses the token file on later starts', async () => {
    const file = tokenFile();
    const first = await resolveDaemonToken({ env: {}, file });
    const second = await resolveDaemonToken({ env: {}, file });
    expect(second).toEqual({ token: first.token, source: 'file', file });
  });

  it('prefers AISHELL_DAEMON_TOKEN and then writes no file', async () => {
    const file = tokenFile();
    const token = 'from-the-environment-1234';
    expect(await resolveDaemonToken({ env: { AISHELL_DAEMON_TOKEN: token }, file })).toEqual({
      token,
      source: 'env',
      file: undefined,
    });
    expect(() => statSync(file)).toThrow();
  });

  it('refuses a token too short to be secret', async () => {
    await expect(
      resolveDaemonToken({ env: { AISHELL_DAEMON_TOKEN: 'short' }, file: tokenFile() }),
    ).rejects.toMatchObject({ code: 'DAEMON_TOKEN' });
    const file = tokenFile();
    await resolveDaemonToken({ env: {}, file });
    writeFileSync(file, 'abc\n');
    await expect(resolveDaemonToken({ env: {}, file })).rejects.toMatchObject({ code: 'DAEMON_TOKEN', file });
  });

  it.each(['0644', '0640', '0620', '0602'])(
    'refuses a token file with mode %s (readable or writable by group or others), naming the file and chmod 600',
    async (mode) => {
      const file = tokenFile();
      const { token } = await resolveDaemonToken({ env: {}, file });
      chmodSync(file, Number.parseInt(mode, 8));
      const refused = resolveDaemonToken({ env: {}, file });
      await expect(refused).rejects.toMatchObject({ code: 'DAEMON_TOKEN', file });
      const message = await refused.catch((e: Error) => e.message);
      expect(message).toContain(file);
      expect(message).toContain(`chmod 600 ${file}`);
      expect(message).not.toContain('\n');
      expect(message).not.toContain(token);
      chmodSync(file, 0o600);
      expect((await resolveDaemonToken({ env: {}, file })).token).toBe(token);
    },
  );
});
