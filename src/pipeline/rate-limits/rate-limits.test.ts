import { describe, expect, it } from 'vitest';
import { prepareBundle } from '../../control-plane/bundle';
import { BundleValidationError } from '../../control-plane/bundle-errors';
import { CacheUnavailableError } from '../../control-plane/cache-port';
import { exportBundle } from '../../control-plane/import-export';
import { planImport } from '../../control-plane/import-plan';
import { emptyControlPlaneData, type ControlPlaneData } from '../../control-plane/model';
import { buildSnapshot, type Snapshot } from '../../control-plane/snapshot';
import { GatewayError } from '../../core/errors';
import { silentLogger } from '../../core/logger';
import { emptyUsage } from '../../protocol/usage';
import { MemoryCacheBackend } from '../../store/cache/memory/memory-cache';
import type { GatewayRequest } from '../gateway-request';
import { RateLimiter } from './admission';
import { applicableLimits, maxOutputTokensOf, planBuckets } from './plan-buckets';

const KEY = 'sk-gp-rate-limit-test-1';

async function plan(extra: Record<string, unknown> = {}): Promise<ControlPlaneData> {
  const bundle = await prepareBundle({
    version: 1,
    orgs: [{ name: 'acme', teams: [{ name: 'red' }] }],
    users: [{ name: 'alice', org: 'acme', team: 'red', keys: [{ label: 'laptop', key: KEY }] }],
    rate_limits: [
      { name: 'key-rpm', user: 'alice', key: 'laptop', rpm: 5 },
      { name: 'user-tpm', user: 'alice', tpm: 1000, tpd: 5000 },
      { name: 'team-gpt', org: 'acme', team: 'red', route: 'gpt-*', max_concurrent: 2 },
      { name: 'org-day', org: 'acme', rpd: 100 },
    ],
    ...extra,
  });
  return planImport(emptyControlPlaneData(), bundle, { now: new Date(0) }).next;
}

function identityOf(snapshot: Snapshot) {
  const identity = [...snapshot.keysByDigest.values()][0];
  if (identity === undefined) throw new Error('no key');
  return identity;
}

describe('rate-limit records', () => {
  it('round-trips through import and export, subjects by name', async () => {
    const data = await plan();
    expect(data.rateLimits.map((l) => [l.name, l.subjectKind])).toEqual([
      ['key-rpm', 'key'],
      ['user-tpm', 'user'],
      ['team-gpt', 'team'],
      ['org-day', 'org'],
    ]);
    const exported = exportBundle(data).rate_limits;
    expect(exported.find((l) => l.name === 'team-gpt')).toEqual({
      name: 'team-gpt',
      org: 'acme',
      team: 'red',
      route: 'gpt-*',
      rpm: null,
      rpd: null,
      tpm: null,
      tpd: null,
      max_concurrent: 2,
    });
    const again = planImport(data, await prepareBundle({ version: 1, rate_limits: exported }), {
      now: new Date(0),
    });
    expect(again.changes).toEqual([]);
  });

  it('refuses unknown subjects and ambiguous ones by field', async () => {
    await expect(plan({ rate_limits: [{ name: 'x', user: 'nobody', rpm: 1 }] })).rejects.toThrow(
      BundleValidationError,
    );
    await expect(plan({ rate_limits: [{ name: 'x', user: 'alice', org: 'acme' }] })).rejects.toThrow(
      /exactly one subject/,
    );
    await expect(plan({ rate_limits: [{ name: 'x', team: 'red' }] })).rejects.toThrow(/Required with "team"/);
  });

  it('drops the limits of a deleted key', async () => {
    const data = await plan();
    const next = planImport(
      data,
      await prepareBundle({ version: 1, users: [{ name: 'alice', org: 'acme', team: 'red', keys: [] }] }),
      { now: new Date(0) },
    ).next;
    expect(next.rateLimits.map((l) => l.name)).toEqual(['user-tpm', 'team-gpt', 'org-day']);
  });
});

describe('bucket planning', () => {
  it('walks key, user, team and org and filters by route glob', async () => {
    const snapshot = buildSnapshot(await plan(), 1);
    const { user, key } = identityOf(snapshot);
    const chain = snapshot.rateLimits.chain(user, key);
    expect(chain.map((l) => l.name)).toEqual(['key-rpm', 'user-tpm', 'team-gpt', 'org-day']);
    const claude = applicableLimits(chain, { requested: 'claude-x', routeName: null });
    expect(claude.map((l) => l.name)).toEqual(['key-rpm', 'user-tpm', 'org-day']);
    // The glob matches the route the name resolved to as well as the name itself.
    const viaRoute = applicableLimits(chain, { requested: 'fast', routeName: 'gpt-fast' });
    expect(viaRoute.map((l) => l.name)).toContain('team-gpt');

    const buckets = planBuckets(viaRoute, 321).map(({ bucket, kind }) => ({ kind, ...bucket }));
    expect(buckets).toEqual([
      { kind: 'rpm', key: expect.stringMatching(/:rpm$/), limit: 5, windowMs: 60_000, cost: 1 },
      { kind: 'tpm', key: expect.stringMatching(/:tpm$/), limit: 1000, windowMs: 60_000, cost: 321 },
      { kind: 'tpd', key: expect.stringMatching(/:tpd$/), limit: 5000, windowMs: 86_400_000, cost: 321 },
      expect.objectContaining({ kind: 'gauge', limit: 2, cost: 1 }),
      { kind: 'rpd', key: expect.stringMatching(/:rpd$/), limit: 100, windowMs: 86_400_000, cost: 1 },
    ]);
  });

  it('reads max output tokens from every wire', () => {
    expect(maxOutputTokensOf({ max_tokens: 10 })).toBe(10);
    expect(maxOutputTokensOf({ max_completion_tokens: 11 })).toBe(11);
    expect(maxOutputTokensOf({ max_output_tokens: 12 })).toBe(12);
    expect(maxOutputTokensOf({ generationConfig: { maxOutputTokens: 13 } })).toBe(13);
    expect(maxOutputTokensOf({ messages: [] })).toBeNull();
  });
});

function fakeRequest(body: Record<string, unknown>): GatewayRequest {
  const bodyText = JSON.stringify(body);
  return { requestId: 'r1', model: 'claude-x', bodyText, body } as unknown as GatewayRequest;
}

describe('admission', () => {
  it('refunds the token over-estimate and frees slots at settlement', async () => {
    const snapshot = buildSnapshot(await plan(), 1);
    const identity = identityOf(snapshot);
    const cache = new MemoryCacheBackend({ sweepIntervalMs: 0 });
    const limiter = new RateLimiter({ cache, logger: silentLogger, now: () => 120_000 });
    const request = fakeRequest({ max_tokens: 400 });
    const first = await limiter.admit(snapshot, request, identity, null);
    const second = await limiter.admit(snapshot, request, identity, null);
    // A third over-estimate does not fit in 1000 tokens per minute.
    await expect(limiter.admit(snapshot, request, identity, null)).rejects.toMatchObject({
      code: 'rate_limited',
      retryAfterSeconds: 60,
    });
    await first?.settle({ usage: { ...emptyUsage(), inputTokens: 10, outputTokens: 5 } });
    await second?.settle({ usage: { ...emptyUsage(), inputTokens: 10, outputTokens: 5 } });
    await expect(limiter.admit(snapshot, request, identity, null)).resolves.not.toBeNull();
  });

  it('refuses (503) or admits when the cache is down, as configured', async () => {
    const down = {
      consume: () => Promise.reject(new CacheUnavailableError('redis', 'down')),
    } as unknown as MemoryCacheBackend;
    const refuse = buildSnapshot(await plan(), 1);
    const limiter = new RateLimiter({ cache: down, logger: silentLogger, now: () => 0 });
    const error = await limiter
      .admit(refuse, fakeRequest({}), identityOf(refuse), null)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 503, retryAfterSeconds: 1 });
    const allow = buildSnapshot(await plan({ settings: { limits_when_cache_down: 'allow' } }), 1);
    await expect(limiter.admit(allow, fakeRequest({}), identityOf(allow), null)).resolves.toBeNull();
  });
});
