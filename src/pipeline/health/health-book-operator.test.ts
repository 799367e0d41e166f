import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../channel/contract';
import { HealthBook } from './health-book';
import type { HealthEntry } from './types';

const transient: Outcome = { kind: 'transient' };
const a1 = { credentialId: 'a', model: 'm1' };
const a2 = { credentialId: 'a', model: 'm2' };
const b1 = { credentialId: 'b', model: 'm1' };

describe('HealthBook operator views', () => {
  it('lists every state with its reason, deadline, counters and window', () => {
    const book = new HealthBook();
    book.record(b1, { kind: 'success' }, 0);
    book.record(a2, { kind: 'auth-dead' }, 0);
    for (let i = 0; i < 3; i++) book.record(a1, transient, 1_000);
    const c = { credentialId: 'c', model: 'm1' };
    for (let i = 0; i < 3; i++) book.record(c, transient, 0);
    const probe = book.admit(c, 5_000);
    expect(probe).toMatchObject({ allowed: true });

    const base = { breakerCooldownMs: 0, consecutiveFailures: 0, probeInFlight: false, breaker: 'closed' };
    expect(book.list(5_500)).toEqual<HealthEntry[]>([
      {
        ...base,
        credentialId: 'a',
        model: 'm1',
        state: 'open',
        reason: 'circuit-open',
        until: 6_000,
        breaker: 'open',
        consecutiveFailures: 3,
        window: { requests: 3, failures: 3, errorRate: 1 },
        breakerCooldownMs: 5_000,
        lastSeenAt: 1_000,
      },
      {
        ...base,
        credentialId: 'a',
        model: 'm2',
        state: 'cooling',
        reason: 'auth-dead',
        until: 600_000,
        breaker: 'closed',
        window: { requests: 0, failures: 0, errorRate: 0 },
        lastSeenAt: 0,
      },
      {
        ...base,
        credentialId: 'b',
        model: 'm1',
        state: 'healthy',
        reason: null,
        until: null,
        breaker: 'closed',
        window: { requests: 1, failures: 0, errorRate: 0 },
        lastSeenAt: 0,
      },
      {
        ...base,
        credentialId: 'c',
        model: 'm1',
        state: 'half-open',
        reason: 'probing',
        until: 65_000,
        breaker: 'half-open',
        consecutiveFailures: 3,
        window: { requests: 3, failures: 3, errorRate: 1 },
        breakerCooldownMs: 5_000,
        probeInFlight: true,
        lastSeenAt: 5_000,
      },
    ]);
  });

  it('reset forgets matching keys and reports how many', () => {
    const book = new HealthBook();
    for (const key of [a1, a2, b1]) book.record(key, { kind: 'auth-dead' }, 0);
    expect(book.reset({ credentialId: 'nobody' })).toBe(0);
    expect(book.reset({ credentialId: 'a', model: 'm2' })).toBe(1);
    expect(book.admit(a2, 1)).toEqual({ allowed: true, probe: null });
    expect(book.admit(a1, 1)).toMatchObject({ allowed: false });
    expect(book.reset({ model: 'm1' })).toBe(2);
    expect(book.size).toBe(0);
    book.record(a1, { kind: 'auth-dead' }, 0);
    expect(book.reset()).toBe(1);
    expect(book.admit(a1, 1)).toEqual({ allowed: true, probe: null });
  });

  it('a probe ticket from before a reset does not close the fresh breaker', () => {
    const book = new HealthBook();
    for (let i = 0; i < 3; i++) book.record(a1, transient, 0);
    const admission = book.admit(a1, 5_000);
    if (!admission.allowed) throw new Error('expected a probe');
    book.reset();
    for (let i = 0; i < 3; i++) book.record(a1, transient, 6_000);
    book.record(a1, { kind: 'success' }, 6_000, admission.probe);
    expect(book.admit(a1, 6_000)).toMatchObject({ allowed: false, reason: 'circuit-open' });
  });

  it('check() reports without taking the probe slot', () => {
    const book = new HealthBook();
    expect(book.check(a1, 0)).toBeNull();
    for (let i = 0; i < 3; i++) book.record(a1, transient, 0);
    expect(book.check(a1, 0)).toEqual({ allowed: false, reason: 'circuit-open', retryAtMs: 5_000 });
    expect(book.check(a1, 5_000)).toBeNull();
    expect(book.check(a1, 5_000)).toBeNull();
    expect(book.admit(a1, 5_000)).toMatchObject({ allowed: true, probe: { expiresAt: 65_000 } });
    expect(book.check(a1, 5_000)).toMatchObject({ reason: 'probing' });
  });

  describe('bounded memory', () => {
    it('drops keys idle past the TTL once nothing is pending', () => {
      const book = new HealthBook({ idleTtlMs: 100_000, authDeadCooldownMs: 250_000 });
      book.record(a1, { kind: 'success' }, 0);
      book.record(a2, { kind: 'auth-dead' }, 0);
      book.record(b1, { kind: 'success' }, 50_000);
      expect(book.list(100_000).map((e) => e.model + e.credentialId)).toEqual(['m2a', 'm1b']);
      expect(book.list(150_000).map((e) => e.model + e.credentialId)).toEqual(['m2a']);
      expect(book.list(250_000)).toEqual([]);
    });

    it('sweeps lazily from admit and record too', () => {
      const book = new HealthBook({ idleTtlMs: 1_000 });
      book.record(a1, { kind: 'success' }, 0);
      book.admit(b1, 120_000);
      expect(book.size).toBe(0);
    });

    it('caps the entries, evicting the least recently seen quiet key first', () => {
      const book = new HealthBook({ maxEntries: 2 });
      book.record(a1, { kind: 'auth-dead' }, 0); // oldest but cooling
      book.record(a2, { kind: 'success' }, 1);
      book.record(b1, { kind: 'success' }, 2);
      expect(book.list(3).map((e) => `${e.credentialId}/${e.model}`)).toEqual(['a/m1', 'b/m1']);
      // Touching refreshes recency: a1 is now the newest, b1 goes when every key is busy.
      book.record(b1, { kind: 'auth-dead' }, 4);
      book.record(a1, { kind: 'auth-dead' }, 5);
      book.record(a2, { kind: 'auth-dead' }, 6);
      expect(book.list(7).map((e) => `${e.credentialId}/${e.model}`)).toEqual(['a/m1', 'a/m2']);
    });
  });
});
