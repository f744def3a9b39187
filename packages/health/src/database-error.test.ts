import { describe, expect, it } from 'vitest';
import { databaseErrorOf, isPrivilegeError } from './database-error.js';

// Errors in the shapes the drivers and the engine's pool give them (plain objects: only fields count).
describe('databaseErrorOf', () => {
  it('reads a refusal from pg, mysql2, better-sqlite3 and the pool', () => {
    expect(databaseErrorOf(Object.assign(new Error('permission denied'), { code: '42501' }))).toEqual({
      code: '42501',
      errno: undefined,
      message: 'permission denied',
    });
    expect(
      databaseErrorOf(
        Object.assign(new Error('Access denied'), {
          code: 'ER_SPECIFIC_ACCESS_DENIED_ERROR',
          errno: 1227,
          sqlState: '42000',
        }),
      ),
    ).toMatchObject({ code: '42000', errno: 1227 });
    expect(
      databaseErrorOf(Object.assign(new Error('file is not a database'), { code: 'SQLITE_NOTADB' })),
    ).toMatchObject({
      code: 'SQLITE_NOTADB',
    });
    expect(
      databaseErrorOf(Object.assign(new Error('refused'), { code: 'POOL_QUERY', sqlState: '42P01' })),
    ).toMatchObject({
      code: '42P01',
    });
    expect(
      databaseErrorOf(
        Object.assign(new Error('statement cancelled after 50 ms'), {
          code: 'POOL_TIMEOUT',
          timeoutMillis: 50,
        }),
      ),
    ).toMatchObject({
      code: 'TIMEOUT',
    });
  });

  it('looks through cause', () => {
    const inner = Object.assign(new Error('no such table'), { errno: 1146, sqlState: '42S02' });
    expect(databaseErrorOf(new Error('wrapped', { cause: inner }))).toMatchObject({
      code: '42S02',
      errno: 1146,
    });
  });

  it('does not count a lost connection, a refused login or a missing server as a refusal', () => {
    expect(
      databaseErrorOf(
        Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', errno: -111 }),
      ),
    ).toBeUndefined();
    expect(
      databaseErrorOf(Object.assign(new Error('lost'), { code: 'PROTOCOL_CONNECTION_LOST', fatal: true })),
    ).toBeUndefined();
    expect(
      databaseErrorOf(Object.assign(new Error('password authentication failed'), { code: '28P01' })),
    ).toBeUndefined();
    expect(
      databaseErrorOf(Object.assign(new Error('terminating connection'), { code: '57P01' })),
    ).toBeUndefined();
    expect(
      databaseErrorOf(Object.assign(new Error('database "x" does not exist'), { code: '3D000' })),
    ).toBeUndefined();
    expect(databaseErrorOf(new Error('the pool is closed'))).toBeUndefined();
    expect(databaseErrorOf('nope')).toBeUndefined();
  });

  it('tells missing privileges apart', () => {
    expect(isPrivilegeError({ code: '42501', errno: undefined, message: '' })).toBe(true);
    expect(isPrivilegeError({ code: '42000', errno: 1227, message: '' })).toBe(true);
    expect(isPrivilegeError({ code: '42P01', errno: undefined, message: '' })).toBe(false);
  });
});
