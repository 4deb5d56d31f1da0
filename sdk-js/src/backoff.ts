// Exponential backoff with jitter, bounded: the delay before reconnect attempt n.
import type { ReconnectOptions } from './types.js';

/** ReconnectOptions with every default filled in. */
export type BackoffPolicy = Required<ReconnectOptions>;

export const DEFAULT_RECONNECT: BackoffPolicy = {
  minDelayMs: 500,
  maxDelayMs: 20000,
  factor: 2,
  jitter: 0.5,
  maxAttempts: Infinity,
};

export function backoffPolicy(options: ReconnectOptions = {}): BackoffPolicy {
  const p = { ...DEFAULT_RECONNECT, ...stripUndefined(options) };
  if (!(p.minDelayMs >= 0)) throw new RangeError('reconnect.minDelayMs must be >= 0');
  if (!(p.maxDelayMs >= p.minDelayMs)) throw new RangeError('reconnect.maxDelayMs must be >= minDelayMs');
  if (!(p.factor >= 1)) throw new RangeError('reconnect.factor must be >= 1');
  if (!(p.jitter >= 0 && p.jitter <= 1)) throw new RangeError('reconnect.jitter must be within 0..1');
  if (!(p.maxAttempts >= 1)) throw new RangeError('reconnect.maxAttempts must be >= 1');
  return p;
}

/**
 * Delay before the attempt that follows `failures` failures in a row (1 = after the first).
 * The ceiling is min(maxDelayMs, minDelayMs·factor^(failures−1)); the delay lies in
 * [ceiling·(1−jitter), ceiling]. `random` is injectable for tests.
 */
export function backoffDelay(policy: BackoffPolicy, failures: number, random: () => number = Math.random): number {
  const n = Math.max(1, failures);
  const ceiling = Math.min(policy.maxDelayMs, policy.minDelayMs * Math.pow(policy.factor, Math.min(n - 1, 64)));
  return Math.round(ceiling * (1 - policy.jitter) + random() * ceiling * policy.jitter);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
