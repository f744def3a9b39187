import { describe, expect, it } from 'vitest';
import { CircularBuffer, MetricsError } from './index.js';

describe('CircularBuffer', () => {
  it('iterates the items oldest to newest before it is full', () => {
    const buffer = new CircularBuffer<number>(4);
    buffer.push(1);
    buffer.push(2);
    expect([...buffer]).toEqual([1, 2]);
    expect(buffer.size).toBe(2);
    expect(buffer.isFull).toBe(false);
  });

  it('overwrites the oldest item beyond capacity and returns it', () => {
    const buffer = new CircularBuffer<string>(3);
    expect(buffer.push('a')).toBeUndefined();
    buffer.push('b');
    buffer.push('c');
    expect(buffer.isFull).toBe(true);
    expect(buffer.push('d')).toBe('a');
    expect(buffer.push('e')).toBe('b');
    expect(buffer.toArray()).toEqual(['c', 'd', 'e']);
    expect(buffer.size).toBe(3);
  });

  it('keeps exactly the last capacity items after many wrap-arounds', () => {
    const buffer = new CircularBuffer<number>(5);
    for (let i = 0; i < 1003; i++) buffer.push(i);
    expect([...buffer]).toEqual([998, 999, 1000, 1001, 1002]);
    expect(buffer.oldest).toBe(998);
    expect(buffer.newest).toBe(1002);
  });

  it('indexes from the oldest with positive and from the newest with negative indexes', () => {
    const buffer = new CircularBuffer<number>(3);
    for (const n of [1, 2, 3, 4]) buffer.push(n);
    expect(buffer.at(0)).toBe(2);
    expect(buffer.at(2)).toBe(4);
    expect(buffer.at(-1)).toBe(4);
    expect(buffer.at(-3)).toBe(2);
    expect(buffer.at(3)).toBeUndefined();
    expect(buffer.at(-4)).toBeUndefined();
    expect(buffer.at(0.5)).toBeUndefined();
  });

  it('holds a single item with capacity 1', () => {
    const buffer = new CircularBuffer<number>(1);
    buffer.push(1);
    expect(buffer.push(2)).toBe(1);
    expect([...buffer]).toEqual([2]);
  });

  it('empties on clear and fills again from the start', () => {
    const buffer = new CircularBuffer<number>(2);
    for (const n of [1, 2, 3]) buffer.push(n);
    buffer.clear();
    expect(buffer.size).toBe(0);
    expect([...buffer]).toEqual([]);
    expect(buffer.oldest).toBeUndefined();
    buffer.push(9);
    expect([...buffer]).toEqual([9]);
  });

  it('rejects a capacity that is not a positive integer', () => {
    for (const capacity of [0, -1, 1.5, Number.NaN]) {
      expect(() => new CircularBuffer(capacity)).toThrow(MetricsError);
    }
    try {
      new CircularBuffer(0);
    } catch (error) {
      expect((error as MetricsError).code).toBe('METRICS_INVALID_ARGUMENT');
    }
  });
});
