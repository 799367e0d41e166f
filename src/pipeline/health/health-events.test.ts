import { describe, expect, it } from 'vitest';
import { HealthBook } from './health-book';
import { decodeHealthEvent, encodeHealthEvent, type HealthEvent } from './health-events';
import type { HealthChange } from './types';

const key = { credentialId: 'cred-1', model: 'gpt-4o' };
const other = { credentialId: 'cred-2', model: 'gpt-4o' };

function recording(book: HealthBook): HealthChange[] {
  const heard: HealthChange[] = [];
  book.onChange((change) => heard.push(change));
  return heard;
}

describe('health event messages', () => {
  const events: HealthEvent[] = [
    {
      from: 'i-1',
      change: { kind: 'cooldown', ...key, reason: 'rate-limited', until: 1_767_225_606_000 },
    },
    { from: 'i-1', change: { kind: 'cooldown', ...key, reason: 'auth-dead', until: 600_000 } },
    { from: 'i-2', change: { kind: 'breaker-open', ...key, until: 5_000, cooldownMs: 5_000 } },
    { from: 'i-2', change: { kind: 'reset', credentialIds: null, model: null } },
    { from: 'i-3', change: { kind: 'reset', credentialIds: ['cred-1', 'cred-2'], model: 'gpt-4o' } },
  ];

  it('decode what they encode, for every kind of change', () => {
    for (const event of events) expect(decodeHealthEvent(encodeHealthEvent(event))).toEqual(event);
  });

  it('stay small', () => {
    const [cooldown] = events;
    expect(encodeHealthEvent(cooldown!).length).toBeLessThan(150);
  });

  it('refuse anything malformed rather than guess', () => {
    const good = JSON.parse(encodeHealthEvent(events[0]!)) as Record<string, unknown>;
    const bad: unknown[] = [
      'not json',
      '42',
      'null',
      { ...good, v: 2 },
      { ...good, from: '' },
      { ...good, kind: 'exploded' },
      { ...good, reason: 'tired' },
      { ...good, until: -1 },
      { ...good, until: '1767225606000' },
      { ...good, credentialId: 7 },
      { ...good, kind: 'breaker-open' },
      { v: 1, from: 'i', kind: 'reset', credentialIds: [3], model: null },
      { v: 1, from: 'i', kind: 'reset', model: null },
    ];
    for (const message of bad) {
      const text = typeof message === 'string' ? message : JSON.stringify(message);
      expect(decodeHealthEvent(text), text).toBeNull();
    }
  });
});

describe('HealthBook changes for other instances', () => {
  it('reports a 429 cooldown with its absolute end, once per real extension', () => {
    const book = new HealthBook();
    const heard = recording(book);
    book.record(key, { kind: 'rate-limited', retryAfterMs: 120_000 }, 10_000);
    // The rest of a burst, each a few ms later: not news.
    book.record(key, { kind: 'rate-limited', retryAfterMs: 120_000 }, 10_005);
    book.record(key, { kind: 'rate-limited', retryAfterMs: 120_000 }, 10_900);
    // A later, shorter one changes nothing at all.
    book.record(key, { kind: 'rate-limited', retryAfterMs: 1_000 }, 11_000);
    book.record(key, { kind: 'rate-limited', retryAfterMs: 120_000 }, 12_000);
    expect(heard).toEqual([
      { kind: 'cooldown', ...key, reason: 'rate-limited', until: 130_000 },
      { kind: 'cooldown', ...key, reason: 'rate-limited', until: 132_000 },
    ]);
  });

  it('reports auth-dead cooldowns and breaker openings, and nothing for successes', () => {
    const book = new HealthBook();
    const heard = recording(book);
    book.record(other, { kind: 'success' }, 0);
    book.record(other, { kind: 'permanent' }, 0);
    book.record(other, { kind: 'auth-dead' }, 0);
    for (let i = 0; i < 3; i++) book.record(key, { kind: 'transient' }, 1_000);
    expect(heard).toEqual([
      { kind: 'cooldown', ...other, reason: 'auth-dead', until: 600_000 },
      { kind: 'breaker-open', ...key, until: 6_000, cooldownMs: 5_000 },
    ]);
    // The failed probe reopens for twice as long: that is news too.
    const probe = book.admit(key, 6_000);
    expect(probe.allowed).toBe(true);
    book.record(key, { kind: 'transient' }, 6_100, probe.allowed ? probe.probe : null);
    expect(heard.at(-1)).toEqual({ kind: 'breaker-open', ...key, until: 16_100, cooldownMs: 10_000 });
  });

  it('reports operator resets, even when nothing matched here', () => {
    const book = new HealthBook();
    const heard = recording(book);
    expect(book.reset({ credentialId: 'cred-9' })).toBe(0);
    expect(book.resetCredentials(['cred-1', 'cred-2'], 'gpt-4o')).toBe(0);
    book.reset();
    expect(heard).toEqual([
      { kind: 'reset', credentialIds: ['cred-9'], model: null },
      { kind: 'reset', credentialIds: ['cred-1', 'cred-2'], model: 'gpt-4o' },
      { kind: 'reset', credentialIds: null, model: null },
    ]);
  });
});

describe('HealthBook.apply (changes from other instances)', () => {
  it('cools a credential down until the same moment, without telling anyone again', () => {
    const book = new HealthBook();
    const heard = recording(book);
    book.apply({ kind: 'cooldown', ...key, reason: 'rate-limited', until: 130_000 }, 10_000);
    expect(book.check(key, 10_000)).toEqual({ allowed: false, reason: 'rate-limited', retryAtMs: 130_000 });
    expect(book.check(other, 10_000)).toBeNull();
    expect(book.check(key, 130_000)).toBeNull();
    expect(heard).toEqual([]);
  });

  it('never shortens a cooldown, ignores ended ones and caps absurd ones', () => {
    const book = new HealthBook();
    book.record(key, { kind: 'rate-limited', retryAfterMs: 60_000 }, 0);
    book.apply({ kind: 'cooldown', ...key, reason: 'rate-limited', until: 30_000 }, 1_000);
    expect(book.check(key, 1_000)?.retryAtMs).toBe(60_000);
    book.apply({ kind: 'cooldown', ...other, reason: 'auth-dead', until: 500 }, 1_000);
    expect(book.size).toBe(1);
    book.apply({ kind: 'cooldown', ...other, reason: 'auth-dead', until: Number.MAX_SAFE_INTEGER }, 1_000);
    expect(book.check(other, 1_000)).toEqual({ allowed: false, reason: 'auth-dead', retryAtMs: 601_000 });
  });

  it('opens the breaker until the same moment; afterwards this instance probes by itself', () => {
    const book = new HealthBook();
    book.apply({ kind: 'breaker-open', ...key, until: 6_000, cooldownMs: 5_000 }, 1_000);
    expect(book.check(key, 2_000)).toEqual({ allowed: false, reason: 'circuit-open', retryAtMs: 6_000 });
    const probe = book.admit(key, 6_000);
    expect(probe).toMatchObject({ allowed: true, probe: { id: expect.any(Number) } });
    expect(book.admit(key, 6_001)).toMatchObject({ allowed: false, reason: 'probing' });
    book.record(key, { kind: 'success' }, 6_100, probe.allowed ? probe.probe : null);
    expect(book.check(key, 6_100)).toBeNull();
    expect(book.list(6_100)[0]).toMatchObject({ breaker: 'closed', state: 'healthy' });
  });

  it('forgets what an operator reset elsewhere', () => {
    const book = new HealthBook();
    const heard = recording(book);
    book.record(key, { kind: 'auth-dead' }, 0);
    book.record(other, { kind: 'auth-dead' }, 0);
    book.record({ credentialId: 'cred-1', model: 'o3' }, { kind: 'auth-dead' }, 0);
    heard.length = 0;
    book.apply({ kind: 'reset', credentialIds: ['cred-1'], model: 'gpt-4o' }, 1);
    expect(book.list(1).map((e) => `${e.credentialId}/${e.model}`)).toEqual(['cred-1/o3', 'cred-2/gpt-4o']);
    book.apply({ kind: 'reset', credentialIds: null, model: null }, 1);
    expect(book.size).toBe(0);
    expect(heard).toEqual([]);
  });
});
