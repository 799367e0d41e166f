import { afterEach, describe, expect, it } from 'vitest';
import { CacheUnavailableError, type CacheBackend } from '../../control-plane/cache-port';
import type { Logger } from '../../core/logger';
import { MemoryCacheBackend } from '../../store/cache/memory/memory-cache';
import { CredentialBudgets } from './budgets';
import { credentialBudgetsFor, SharedCredentialBudgets } from './shared-budgets';

const NOW = 1_767_225_601_000; // 1 s into a minute
const NEXT_MINUTE = 1_767_225_660_000;

/** A logger that keeps what it was told. */
function notes(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (level: string) => (_: Record<string, unknown>, message: string) =>
    lines.push(`${level}: ${message}`);
  return {
    lines,
    debug: keep('debug'),
    info: keep('info'),
    warn: keep('warn'),
    error: keep('error'),
    debugEnabled: false,
  };
}

/** The memory backend behind a switch that makes it unreachable, and a count of calls. */
function switchable(inner: CacheBackend): { cache: CacheBackend; down: boolean; calls: number } {
  const state = { cache: inner, down: false, calls: 0 };
  state.cache = new Proxy(inner, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        state.calls++;
        if (state.down) return Promise.reject(new CacheUnavailableError('redis', 'connect ECONNREFUSED'));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return state;
}

const caches: MemoryCacheBackend[] = [];
function memory(): MemoryCacheBackend {
  const cache = new MemoryCacheBackend({ sweepIntervalMs: 0 });
  caches.push(cache);
  return cache;
}
afterEach(async () => {
  for (const cache of caches.splice(0)) await cache.close();
});

async function acquireMany(gate: SharedCredentialBudgets, n: number, budget = { rpm: 5, tpm: null }) {
  return Promise.all(Array.from({ length: n }, async () => gate.tryAcquire('cred', budget, NOW)));
}

describe('SharedCredentialBudgets', () => {
  it('admits a credential rpm times a minute in total across instances sharing the cache', async () => {
    const cache = memory();
    const a = new SharedCredentialBudgets(cache, notes());
    const b = new SharedCredentialBudgets(cache, notes());
    const answers = (await Promise.all([acquireMany(a, 10), acquireMany(b, 10)])).flat();
    expect(answers.filter(Boolean)).toHaveLength(5);
    // Another credential has its own budget; the next minute starts afresh.
    expect(await a.tryAcquire('other', { rpm: 5, tpm: null }, NOW)).toBe(true);
    expect(await b.tryAcquire('cred', { rpm: 5, tpm: null }, NEXT_MINUTE)).toBe(true);
    expect(a.nextWindowAt(NOW)).toBe(NEXT_MINUTE);
  });

  it('refuses once the tokens charged this minute reach tpm, wherever they were charged', async () => {
    const cache = memory();
    const a = new SharedCredentialBudgets(cache, notes());
    const b = new SharedCredentialBudgets(cache, notes());
    const budget = { rpm: null, tpm: 1_000 };
    expect(await a.tryAcquire('cred', budget, NOW)).toBe(true);
    a.recordTokens('cred', budget, 999, NOW);
    await cache.ping(); // the charge is fire and forget; the memory backend runs calls in order
    // 999 of 1000 used: still admitted (the check itself takes no tokens).
    expect(await b.tryAcquire('cred', budget, NOW)).toBe(true);
    expect(await b.tryAcquire('cred', budget, NOW)).toBe(true);
    b.recordTokens('cred', budget, 1, NOW);
    await cache.ping();
    expect(await a.tryAcquire('cred', budget, NOW)).toBe(false);
    expect(await b.tryAcquire('cred', budget, NOW)).toBe(false);
    expect(await a.tryAcquire('cred', budget, NEXT_MINUTE)).toBe(true);
  });

  it('takes nothing from the RPM budget when TPM refuses', async () => {
    const cache = memory();
    const gate = new SharedCredentialBudgets(cache, notes());
    const budget = { rpm: 2, tpm: 100 };
    expect(await gate.tryAcquire('cred', budget, NOW)).toBe(true);
    gate.recordTokens('cred', budget, 100, NOW);
    await cache.ping();
    for (let i = 0; i < 5; i++) expect(await gate.tryAcquire('cred', budget, NOW)).toBe(false);
    // The refusals took no request: of the minute's two, one is still left.
    expect(await gate.tryAcquire('cred', { rpm: 2, tpm: null }, NOW)).toBe(true);
    expect(await gate.tryAcquire('cred', { rpm: 2, tpm: null }, NOW)).toBe(false);
  });

  it('costs no cache call for a credential without a budget, nor for charging it', () => {
    const state = switchable(memory());
    const gate = new SharedCredentialBudgets(state.cache, notes());
    const none = { rpm: null, tpm: null };
    expect(gate.tryAcquire('cred', none, NOW)).toBe(true);
    gate.recordTokens('cred', none, 5_000, NOW);
    gate.recordTokens('cred', { rpm: 10, tpm: null }, 5_000, NOW);
    expect(state.calls).toBe(0);
  });

  it('counts in this process while the cache is down, logging once, and goes back to it', async () => {
    const state = switchable(memory());
    const logger = notes();
    const gate = new SharedCredentialBudgets(state.cache, logger);
    const budget = { rpm: 3, tpm: null };
    expect(await gate.tryAcquire('cred', budget, NOW)).toBe(true);
    state.down = true;
    const whileDown = await Promise.all(
      Array.from({ length: 5 }, async () => gate.tryAcquire('cred', budget, NOW)),
    );
    // The local counter starts from zero: the budget is per instance during the outage.
    expect(whileDown).toEqual([true, true, true, false, false]);
    expect(logger.lines).toEqual([
      'warn: credential budgets: cache backend unavailable; RPM/TPM budgets are counted per instance until it answers',
    ]);
    state.down = false;
    // Back on the shared count: one of three used before the outage.
    expect(await gate.tryAcquire('cred', budget, NOW)).toBe(true);
    expect(await gate.tryAcquire('cred', budget, NOW)).toBe(true);
    expect(await gate.tryAcquire('cred', budget, NOW)).toBe(false);
    expect(logger.lines.at(-1)).toBe('info: credential budgets: cache backend reachable again');
    expect(logger.lines).toHaveLength(2);
  });

  it('charges tokens to the local count when the cache is down at settlement', async () => {
    const state = switchable(memory());
    const gate = new SharedCredentialBudgets(state.cache, notes());
    const budget = { rpm: null, tpm: 100 };
    state.down = true;
    expect(await gate.tryAcquire('cred', budget, NOW)).toBe(true);
    gate.recordTokens('cred', budget, 150, NOW);
    expect(await gate.tryAcquire('cred', budget, NOW)).toBe(false);
  });

  it('lets errors other than an outage through (a bug is not an outage)', async () => {
    const cache = memory();
    const gate = new SharedCredentialBudgets(cache, notes());
    await expect(gate.tryAcquire('cred', { rpm: 1.5, tpm: null }, NOW)).rejects.toThrow(RangeError);
  });
});

describe('credentialBudgetsFor', () => {
  it('counts in process with the memory backend (or none), in the cache when it is shared', () => {
    const cache = memory();
    expect(credentialBudgetsFor(undefined, notes())).toBeInstanceOf(CredentialBudgets);
    expect(credentialBudgetsFor(cache, notes())).toBeInstanceOf(CredentialBudgets);
    const shared = new Proxy(cache, { get: (t, p, r) => (p === 'kind' ? 'redis' : Reflect.get(t, p, r)) });
    expect(credentialBudgetsFor(shared, notes())).toBeInstanceOf(SharedCredentialBudgets);
  });
});
