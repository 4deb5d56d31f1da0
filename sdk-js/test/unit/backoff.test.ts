import { describe, expect, test } from 'vitest';
import { backoffDelay, backoffPolicy, DEFAULT_RECONNECT } from '../../src/backoff.js';

describe('backoff', () => {
  const p = backoffPolicy({ minDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter: 0.5 });

  test('grows by the factor from minDelayMs and stops at maxDelayMs', () => {
    const top = (n: number) => backoffDelay(p, n, () => 1);
    expect([1, 2, 3, 4, 5, 6, 50].map(top)).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
  });

  test('jitter takes up to its share off the ceiling, never more', () => {
    expect(backoffDelay(p, 3, () => 0)).toBe(200);
    expect(backoffDelay(p, 3, () => 0.5)).toBe(300);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(p, 4);
      expect(d).toBeGreaterThanOrEqual(400);
      expect(d).toBeLessThanOrEqual(800);
    }
  });

  test('no jitter gives the ceiling exactly', () => {
    expect(backoffDelay(backoffPolicy({ jitter: 0 }), 2)).toBe(DEFAULT_RECONNECT.minDelayMs * 2);
  });

  test('huge attempt counts stay bounded and finite', () => {
    expect(backoffDelay(p, 1e9, () => 1)).toBe(1000);
  });

  test('bad settings fail when the policy is made, saying which', () => {
    expect(() => backoffPolicy({ minDelayMs: -1 })).toThrow(/minDelayMs/);
    expect(() => backoffPolicy({ minDelayMs: 10, maxDelayMs: 5 })).toThrow(/maxDelayMs/);
    expect(() => backoffPolicy({ factor: 0.5 })).toThrow(/factor/);
    expect(() => backoffPolicy({ jitter: 2 })).toThrow(/jitter/);
    expect(() => backoffPolicy({ maxAttempts: 0 })).toThrow(/maxAttempts/);
  });
});
