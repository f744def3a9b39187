import { describe, expect, it } from 'vitest';
import { DEFAULT_POOL_OPTIONS, resolvePoolOptions } from './pool-options.js';

describe('pool options', () => {
  it('keeps every default in one frozen constant', () => {
    expect(Object.isFrozen(DEFAULT_POOL_OPTIONS)).toBe(true);
    expect(Object.isFrozen(DEFAULT_POOL_OPTIONS.reconnect)).toBe(true);
    expect(resolvePoolOptions()).toEqual(DEFAULT_POOL_OPTIONS);
  });

  it('overrides single fields, including single reconnect fields', () => {
    const resolved = resolvePoolOptions({ max: 3, reconnect: { retries: 0 } });
    expect(resolved.max).toBe(3);
    expect(resolved.reconnect).toEqual({ ...DEFAULT_POOL_OPTIONS.reconnect, retries: 0 });
    expect(resolved.idleTimeoutMillis).toBe(DEFAULT_POOL_OPTIONS.idleTimeoutMillis);
  });

  it('never allows a pool of fewer than one connection', () => {
    expect(resolvePoolOptions({ max: 0 }).max).toBe(1);
  });
});
