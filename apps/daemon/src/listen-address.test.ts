import { describe, expect, it } from 'vitest';
import { exposedListenWarning, isLoopbackHost } from './listen-address.js';

describe('isLoopbackHost', () => {
  it('counts localhost, 127.0.0.0/8 and ::1 as loopback', () => {
    for (const host of [
      'localhost',
      'LOCALHOST',
      '127.0.0.1',
      '127.1.2.3',
      '::1',
      '[::1]',
      '::ffff:127.0.0.1',
    ])
      expect(isLoopbackHost(host), host).toBe(true);
  });

  it('counts every other address or name as reachable from other machines', () => {
    for (const host of [
      '0.0.0.0',
      '::',
      '192.168.1.10',
      '10.0.0.1',
      '128.0.0.1',
      'db.example',
      'localhost.example',
    ])
      expect(isLoopbackHost(host), host).toBe(false);
  });
});

describe('exposedListenWarning', () => {
  it('is one line naming the address, the token as only protection, TLS and a firewall', () => {
    const line = exposedListenWarning('0.0.0.0');
    expect(line).not.toContain('\n');
    expect(line).toMatch(/0\.0\.0\.0/);
    expect(line).toMatch(/token is its only protection/);
    expect(line).toMatch(/TLS/);
    expect(line).toMatch(/firewall/);
  });
});
