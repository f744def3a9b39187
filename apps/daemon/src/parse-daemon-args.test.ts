import { describe, expect, it } from 'vitest';
import { parseDaemonArgs } from './parse-daemon-args.js';

describe('parseDaemonArgs', () => {
  it('defaults to 127.0.0.1:7420', () => {
    expect(parseDaemonArgs([])).toEqual({ action: 'run', host: '127.0.0.1', port: 7420 });
  });

  it('reads --port and --host, in both --flag value and --flag=value forms', () => {
    expect(parseDaemonArgs(['--port', '7500', '--host=0.0.0.0'])).toEqual({
      action: 'run',
      host: '0.0.0.0',
      port: 7500,
    });
    expect(parseDaemonArgs(['--port=0'])).toMatchObject({ port: 0 });
  });

  it('rejects an unknown flag with a one-line DAEMON_USAGE error', () => {
    expect(() => parseDaemonArgs(['--bogus'])).toThrow(
      expect.objectContaining({
        code: 'DAEMON_USAGE',
        message: expect.stringMatching(/^[^\n]*--bogus[^\n]*$/),
      }),
    );
  });

  it('rejects a port that is not a number from 0 to 65535', () => {
    for (const port of ['abc', '-1', '65536', '7420.5', '']) {
      expect(() => parseDaemonArgs(['--port', port]), port).toThrow(
        expect.objectContaining({ code: 'DAEMON_USAGE' }),
      );
    }
  });

  it('rejects positional arguments and a flag without its value', () => {
    expect(() => parseDaemonArgs(['start'])).toThrow(expect.objectContaining({ code: 'DAEMON_USAGE' }));
    expect(() => parseDaemonArgs(['--port'])).toThrow(expect.objectContaining({ code: 'DAEMON_USAGE' }));
  });

  it('answers --help and --version', () => {
    expect(parseDaemonArgs(['--help'])).toEqual({ action: 'help' });
    expect(parseDaemonArgs(['--version'])).toEqual({ action: 'version' });
  });
});
