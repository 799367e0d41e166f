import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../channel/contract';
import { HealthBook } from './health-book';
import type { Admission, ProbeTicket } from './types';

const key = { credentialId: 'cred-1', model: 'gpt-4o' };
const transient: Outcome = { kind: 'transient' };
const success: Outcome = { kind: 'success' };

function fail(book: HealthBook, times: number, now: number): void {
  for (let i = 0; i < times; i++) book.record(key, transient, now);
}

function ticketOf(admission: Admission): ProbeTicket {
  if (!admission.allowed || admission.probe === null)
    throw new Error(`no probe: ${JSON.stringify(admission)}`);
  return admission.probe;
}

/** Opens the breaker at t=0 (cooldown 5 s) and returns the probe ticket taken at t=5 s. */
function openAndProbe(book: HealthBook): ProbeTicket {
  fail(book, 3, 0);
  return ticketOf(book.admit(key, 5_000));
}

describe('HealthBook circuit breaker', () => {
  it('admits an unknown key with no probe and without tracking it', () => {
    const book = new HealthBook();
    expect(book.admit(key, 0)).toEqual({ allowed: true, probe: null });
    expect(book.size).toBe(0);
  });

  it('closed -> open after N consecutive transient failures', () => {
    const book = new HealthBook();
    fail(book, 2, 1_000);
    expect(book.admit(key, 1_000)).toEqual({ allowed: true, probe: null });
    fail(book, 1, 1_000);
    expect(book.admit(key, 1_000)).toEqual({ allowed: false, reason: 'circuit-open', retryAtMs: 6_000 });
    expect(book.admit(key, 5_999)).toMatchObject({ allowed: false, reason: 'circuit-open' });
  });

  it('a success resets the consecutive failures', () => {
    const book = new HealthBook();
    fail(book, 2, 0);
    book.record(key, success, 0);
    fail(book, 2, 0);
    expect(book.admit(key, 0)).toEqual({ allowed: true, probe: null });
    expect(book.list(0)[0]?.consecutiveFailures).toBe(2);
  });

  it('open -> half-open when the cooldown has passed: exactly one probe at a time', () => {
    const book = new HealthBook();
    fail(book, 3, 0);
    const first = book.admit(key, 5_000);
    expect(first).toEqual({ allowed: true, probe: { id: expect.any(Number), expiresAt: 65_000 } });
    expect(book.admit(key, 5_001)).toEqual({ allowed: false, reason: 'probing', retryAtMs: 65_000 });
    expect(book.admit(key, 30_000)).toMatchObject({ allowed: false, reason: 'probing' });
  });

  it('half-open -> closed on probe success, and the cooldown starts again from the base', () => {
    const book = new HealthBook();
    let probe = openAndProbe(book);
    book.record(key, transient, 5_000, probe); // reopened for 10 s
    probe = ticketOf(book.admit(key, 15_000));
    book.record(key, success, 15_100, probe);
    expect(book.admit(key, 15_100)).toEqual({ allowed: true, probe: null });
    expect(book.list(15_100)[0]).toMatchObject({ state: 'healthy', breaker: 'closed', breakerCooldownMs: 0 });
    fail(book, 3, 20_000);
    expect(book.admit(key, 20_000)).toEqual({ allowed: false, reason: 'circuit-open', retryAtMs: 25_000 });
  });

  it('closing forgets the failures in the window, so one more failure does not reopen', () => {
    const book = new HealthBook({ breaker: { consecutiveFailures: 100, minRequestsInWindow: 4 } });
    fail(book, 4, 0);
    const probe = ticketOf(book.admit(key, 5_000));
    book.record(key, success, 5_000, probe);
    fail(book, 1, 5_000);
    expect(book.admit(key, 5_000)).toEqual({ allowed: true, probe: null });
  });

  it('half-open -> open on probe failure, the cooldown doubling up to the cap', () => {
    const book = new HealthBook({ breaker: { baseCooldownMs: 5_000, maxCooldownMs: 30_000 } });
    fail(book, 3, 0);
    let now = 0;
    const cooldowns: number[] = [];
    for (let i = 0; i < 5; i++) {
      const refusal = book.admit(key, now);
      if (refusal.allowed) throw new Error('expected the breaker open');
      cooldowns.push(refusal.retryAtMs - now);
      now = refusal.retryAtMs;
      book.record(key, transient, now, ticketOf(book.admit(key, now)));
    }
    expect(cooldowns).toEqual([5_000, 10_000, 20_000, 30_000, 30_000]);
    expect(book.list(now)[0]).toMatchObject({
      state: 'open',
      breakerCooldownMs: 30_000,
      until: now + 30_000,
    });
  });

  it('an abandoned probe expires and the next caller gets a new ticket', () => {
    const book = new HealthBook({ probeTimeoutMs: 10_000 });
    const stale = openAndProbe(book);
    expect(book.admit(key, 14_999)).toMatchObject({ allowed: false, reason: 'probing', retryAtMs: 15_000 });
    const fresh = ticketOf(book.admit(key, 15_000));
    expect(fresh.id).not.toBe(stale.id);
    expect(fresh.expiresAt).toBe(25_000);
    // The stale probe reporting late neither closes the breaker nor frees the fresh probe's slot.
    book.record(key, success, 15_001, stale);
    expect(book.admit(key, 15_002)).toMatchObject({ allowed: false, reason: 'probing' });
    book.record(key, success, 15_003, fresh);
    expect(book.admit(key, 15_003)).toEqual({ allowed: true, probe: null });
  });

  it('release() hands the probe slot back without deciding anything', () => {
    const book = new HealthBook();
    const probe = openAndProbe(book);
    book.release(key, probe);
    expect(book.list(5_001)[0]).toMatchObject({ state: 'half-open', breaker: 'half-open', reason: null });
    expect(ticketOf(book.admit(key, 5_001)).id).not.toBe(probe.id);
  });

  it('outcomes of requests admitted before the opening do not move an open breaker', () => {
    const book = new HealthBook();
    fail(book, 3, 0);
    fail(book, 5, 1_000); // late failures: no longer cooldown
    book.record(key, success, 2_000); // late success: not a recovery
    expect(book.admit(key, 2_000)).toEqual({ allowed: false, reason: 'circuit-open', retryAtMs: 5_000 });
    expect(book.list(2_000)[0]).toMatchObject({
      breakerCooldownMs: 5_000,
      window: { requests: 9, failures: 8 },
    });
  });

  it('a probe answered with a permanent error frees the slot and stays half-open', () => {
    const book = new HealthBook();
    const probe = openAndProbe(book);
    book.record(key, { kind: 'permanent' }, 5_100, probe);
    expect(book.list(5_100)[0]).toMatchObject({ state: 'half-open', consecutiveFailures: 3 });
    expect(ticketOf(book.admit(key, 5_100))).toBeDefined();
  });

  it('a rate-limited probe cools the key down, then probing resumes', () => {
    const book = new HealthBook();
    const probe = openAndProbe(book);
    book.record(key, { kind: 'rate-limited', retryAfterMs: 2_000 }, 5_100, probe);
    expect(book.admit(key, 5_100)).toEqual({ allowed: false, reason: 'rate-limited', retryAtMs: 7_100 });
    expect(ticketOf(book.admit(key, 7_100))).toBeDefined();
  });

  describe('error rate over the window', () => {
    // Consecutive failures never reach 100 here, so only the error rate can open the breaker.
    const policy = { breaker: { consecutiveFailures: 100, windowMs: 60_000, minRequestsInWindow: 10 } };

    it('opens once the window holds the minimum requests and the rate reaches the threshold', () => {
      const book = new HealthBook(policy);
      for (let i = 0; i < 4; i++) {
        book.record(key, success, i * 1_000);
        book.record(key, transient, i * 1_000);
      }
      book.record(key, success, 8_000);
      expect(book.admit(key, 8_000)).toMatchObject({ allowed: true }); // 4 of 9
      book.record(key, transient, 9_000); // 5 of 10 = 0.5
      expect(book.admit(key, 9_000)).toEqual({ allowed: false, reason: 'circuit-open', retryAtMs: 14_000 });
    });

    it('does not open below the minimum request count, even at 100 % failures', () => {
      const book = new HealthBook(policy);
      fail(book, 9, 0);
      expect(book.admit(key, 0)).toEqual({ allowed: true, probe: null });
      fail(book, 1, 0);
      expect(book.admit(key, 0)).toMatchObject({ allowed: false, reason: 'circuit-open' });
    });

    it('does not open below the rate', () => {
      const book = new HealthBook(policy);
      for (let i = 0; i < 6; i++) book.record(key, success, 0);
      fail(book, 4, 0); // 4 of 10
      expect(book.admit(key, 0)).toEqual({ allowed: true, probe: null });
    });

    it('failures that slid out of the window no longer count', () => {
      const book = new HealthBook(policy);
      fail(book, 9, 0);
      book.record(key, success, 61_000);
      fail(book, 1, 61_000); // 1 of 2 in the window
      expect(book.admit(key, 61_000)).toEqual({ allowed: true, probe: null });
    });
  });
});
