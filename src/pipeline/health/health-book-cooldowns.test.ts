import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../channel/contract';
import { HealthBook } from './health-book';

const key = { credentialId: 'cred-1', model: 'claude-sonnet-4' };
const rateLimited = (retryAfterMs: number | undefined): Outcome => ({ kind: 'rate-limited', retryAfterMs });

describe('HealthBook cooldowns', () => {
  it('honours Retry-After on a 429', () => {
    const book = new HealthBook();
    book.record(key, rateLimited(12_000), 1_000);
    expect(book.admit(key, 1_000)).toEqual({ allowed: false, reason: 'rate-limited', retryAtMs: 13_000 });
    expect(book.admit(key, 12_999)).toMatchObject({ allowed: false, reason: 'rate-limited' });
    expect(book.admit(key, 13_000)).toEqual({ allowed: true, probe: null });
  });

  it('cools a 429 without Retry-After for the default 30 s', () => {
    const book = new HealthBook();
    book.record(key, rateLimited(undefined), 1_000);
    expect(book.admit(key, 1_000)).toEqual({ allowed: false, reason: 'rate-limited', retryAtMs: 31_000 });
  });

  it('caps an outlandish Retry-After and admits at once on Retry-After: 0', () => {
    const book = new HealthBook({ maxRateLimitCooldownMs: 60_000 });
    book.record(key, rateLimited(7 * 24 * 3_600_000), 0);
    expect(book.admit(key, 0)).toMatchObject({ retryAtMs: 60_000 });
    const other = { credentialId: 'cred-2', model: 'claude-sonnet-4' };
    book.record(other, rateLimited(0), 0);
    expect(book.admit(other, 0)).toEqual({ allowed: true, probe: null });
  });

  it('cools an auth-dead credential for the long cooldown', () => {
    const book = new HealthBook({ authDeadCooldownMs: 600_000 });
    book.record(key, { kind: 'auth-dead' }, 1_000);
    expect(book.admit(key, 1_000)).toEqual({ allowed: false, reason: 'auth-dead', retryAtMs: 601_000 });
    expect(book.admit(key, 601_000)).toEqual({ allowed: true, probe: null });
  });

  it('a later, shorter cooldown does not cut a longer one short', () => {
    const book = new HealthBook();
    book.record(key, { kind: 'auth-dead' }, 0);
    book.record(key, rateLimited(1_000), 10);
    expect(book.admit(key, 2_000)).toEqual({ allowed: false, reason: 'auth-dead', retryAtMs: 600_000 });
    book.record(key, rateLimited(900_000), 20);
    expect(book.admit(key, 2_000)).toEqual({ allowed: false, reason: 'rate-limited', retryAtMs: 900_020 });
  });

  it('neither 429 nor auth-dead counts towards the breaker', () => {
    const book = new HealthBook({ rateLimitCooldownMs: 0, authDeadCooldownMs: 0 });
    for (let i = 0; i < 5; i++) {
      book.record(key, rateLimited(undefined), 0);
      book.record(key, { kind: 'auth-dead' }, 0);
    }
    expect(book.list(0)[0]).toMatchObject({
      state: 'healthy',
      consecutiveFailures: 0,
      window: { requests: 0 },
    });
  });

  it('refuses with the later block when a cooldown and an open breaker overlap', () => {
    const book = new HealthBook();
    for (let i = 0; i < 3; i++) book.record(key, { kind: 'transient' }, 0); // open until 5 s
    book.record(key, rateLimited(2_000), 0);
    expect(book.admit(key, 0)).toEqual({ allowed: false, reason: 'circuit-open', retryAtMs: 5_000 });
    book.record(key, rateLimited(9_000), 0);
    expect(book.admit(key, 0)).toEqual({ allowed: false, reason: 'rate-limited', retryAtMs: 9_000 });
    // No probe is handed out while the cooldown still holds.
    expect(book.admit(key, 6_000)).toMatchObject({ allowed: false, reason: 'rate-limited' });
    expect(book.admit(key, 9_000)).toMatchObject({ allowed: true, probe: { expiresAt: 69_000 } });
  });

  it('permanent outcomes do not touch health', () => {
    const book = new HealthBook();
    book.record(key, { kind: 'permanent' }, 0);
    expect(book.size).toBe(0);
    book.record(key, { kind: 'transient' }, 0);
    book.record(key, { kind: 'transient' }, 0);
    const before = book.list(0);
    for (let i = 0; i < 10; i++) book.record(key, { kind: 'permanent' }, 0);
    expect(book.list(0)).toEqual(before);
    book.record(key, { kind: 'transient' }, 0); // the third consecutive failure: a 4xx did not reset it
    expect(book.admit(key, 0)).toMatchObject({ allowed: false, reason: 'circuit-open' });
  });

  it('keeps health per credential and per model', () => {
    const book = new HealthBook();
    book.record(key, rateLimited(undefined), 0);
    expect(book.admit({ ...key, model: 'claude-haiku-4' }, 0)).toEqual({ allowed: true, probe: null });
    expect(book.admit({ ...key, credentialId: 'cred-2' }, 0)).toEqual({ allowed: true, probe: null });
    // Joined without a separator, ('a', 'bc') and ('ab', 'c') would share an entry.
    book.record({ credentialId: 'a', model: 'bc' }, rateLimited(undefined), 0);
    expect(book.admit({ credentialId: 'ab', model: 'c' }, 0)).toMatchObject({ allowed: true });
  });

  describe('availableAt', () => {
    it('is now when any key admits, else the earliest retry time', () => {
      const book = new HealthBook();
      const other = { credentialId: 'cred-2', model: 'claude-sonnet-4' };
      book.record(key, rateLimited(20_000), 0);
      book.record(other, rateLimited(8_000), 0);
      expect(book.availableAt([key, other], 1_000)).toBe(8_000);
      expect(book.availableAt([key, other, { credentialId: 'fresh', model: 'x' }], 1_000)).toBe(1_000);
      expect(book.availableAt([key, other], 8_000)).toBe(8_000);
      expect(book.availableAt([], 1_000)).toBe(1_000);
    });

    it('uses the probe expiry for a key whose probe is in flight', () => {
      const book = new HealthBook({ probeTimeoutMs: 20_000 });
      for (let i = 0; i < 3; i++) book.record(key, { kind: 'transient' }, 0);
      expect(book.availableAt([key], 1_000)).toBe(5_000);
      book.admit(key, 5_000);
      expect(book.availableAt([key], 6_000)).toBe(25_000);
    });
  });
});
