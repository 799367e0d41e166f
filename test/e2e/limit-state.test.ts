/**
 * Reading quota and rate-limit state (docs/tenancy.md, "Reading quota and rate-limit state") on a
 * real gateway: after N priced requests the admin API and the user's own key both show the spend
 * and the requests counted, what remains shrinks with every request, a user sees only their own
 * chain, and when the cache backend is down the reads answer 503 `cache_unavailable`. Every model
 * costs $1 per 1M tokens in and out, so each answer of the fake upstream (12 + 8 tokens) costs
 * 20 micro-USD.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisSkipReason, TEST_REDIS_URL } from '../cache/redis-env';
import { startFakeUpstash, type FakeUpstash } from '../support/fake-upstash';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { fakeUpstreamBundle, startTestGateway, type TestGateway } from '../support/gateway';
import type { QuotaState, QuotaWindowState } from '../../src/pipeline/quotas/quota-state';
import type { RateLimitKindState, RateLimitState } from '../../src/pipeline/rate-limits/rate-limit-state';

const KEYS = {
  annLaptop: 'sk-gp-state-ann-laptop-01',
  annCi: 'sk-gp-state-ann-ci-000001',
  bob: 'sk-gp-state-bob-00000001',
  admin: 'sk-gp-state-admin-000001',
};
const ACTUAL_MICRO_USD = 20;
const N = 4;

const bundle = (upstreamUrl: string): Record<string, unknown> => {
  const base = fakeUpstreamBundle(upstreamUrl) as Record<string, unknown>;
  return {
    ...base,
    orgs: [{ name: 'acme', permissions: ['*'], teams: [{ name: 'research' }] }],
    users: [
      ...(base['users'] as unknown[]),
      {
        name: 'ann',
        org: 'acme',
        team: 'research',
        permissions: ['*'],
        keys: [
          { label: 'laptop', key: KEYS.annLaptop },
          { label: 'ci', key: KEYS.annCi },
        ],
      },
      { name: 'bob', permissions: ['*'], keys: [{ label: 'main', key: KEYS.bob }] },
      { name: 'root', admin: true, keys: [{ label: 'main', key: KEYS.admin }] },
    ],
    prices: [{ name: 'flat-oa', provider: 'oa', model: 'gpt-4o-mini', input: 1, output: 1 }],
    quotas: [
      { name: 'ann-daily', user: 'ann', daily: '1', total: '50' },
      { name: 'ann-ci', user: 'ann', key: 'ci', monthly: '3', route: 'claude-*' },
      { name: 'research-weekly', org: 'acme', team: 'research', weekly: '100' },
      { name: 'bob-daily', user: 'bob', daily: '2' },
    ],
    rate_limits: [
      { name: 'ann-rpm', user: 'ann', rpm: 1000, rpd: 100_000, max_concurrent: 5 },
      { name: 'acme-tpd', org: 'acme', tpd: 10_000_000 },
      { name: 'bob-rpm', user: 'bob', rpm: 7 },
    ],
  };
};

const chat = (url: string, key: string): Promise<Response> =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ model: 'fast', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }),
  });
const get = (url: string, path: string, key: string): Promise<Response> =>
  fetch(`${url}${path}`, { headers: { authorization: `Bearer ${key}` } });
type Named = Record<string, unknown>;
type QuotaView = QuotaState & Named;
type RateLimitView = RateLimitState & Named;
interface ChainView {
  user: string;
  key: string | null;
  quotas: QuotaView[];
  rate_limits: RateLimitView[];
}
async function getJson<T>(url: string, path: string, key: string): Promise<T> {
  const response = await get(url, path, key);
  expect(response.status, `${path}: ${await response.clone().text()}`).toBe(200);
  return (await response.json()) as T;
}

const usd = (micro: number): string => String(micro / 1_000_000);
function windowOf(state: QuotaState | undefined, window: string): QuotaWindowState {
  const found = state?.windows.find((w) => w.window === window);
  if (found === undefined) throw new Error(`no ${window} window in ${JSON.stringify(state)}`);
  return found;
}
function kindOf(state: RateLimitState | undefined, kind: string): RateLimitKindState {
  const found = state?.limits.find((l) => l.kind === kind);
  if (found === undefined) throw new Error(`no ${kind} limit in ${JSON.stringify(state)}`);
  return found;
}
const named = <T extends { name: string }>(list: readonly T[], name: string): T | undefined =>
  list.find((entry) => entry.name === name);
const names = (list: readonly { name: string }[]): string[] => list.map((entry) => entry.name);

/** Fixed windows: keep the test's requests inside one minute (and so one UTC day). */
async function awayFromMinuteEdge(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 45_000) await new Promise((resolve) => setTimeout(resolve, 60_100 - intoMinute));
}

describe('quota and rate-limit state (memory backend)', () => {
  let upstream: FakeUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    gateway = await startTestGateway(bundle(upstream.url));
  });
  afterAll(async () => {
    await gateway.dispose();
    await upstream.close();
  });

  it('shows the spend and the requests of N priced requests to the admin and to the user', async () => {
    await awayFromMinuteEdge();
    const url = gateway.url;
    const before = await getJson<QuotaView>(url, '/admin/quotas/ann-daily/state', KEYS.admin);
    expect(before).toMatchObject({ name: 'ann-daily', user: 'ann', subject: 'user', route: null });
    expect(windowOf(before, 'daily')).toMatchObject({ limit_usd: '1', spent_usd: '0', remaining_usd: '1' });

    const remaining: string[] = [];
    for (let i = 0; i < N; i++) {
      const answer = await chat(url, KEYS.annLaptop);
      expect(answer.status).toBe(200);
      await answer.arrayBuffer();
      // Settlement follows the answer's last byte: read until it has (or give up, and fail below).
      const state = await poll(
        () => getJson<QuotaView>(url, '/admin/quotas/ann-daily/state', KEYS.admin),
        (view) => windowOf(view, 'daily').remaining_usd === usd(1_000_000 - (i + 1) * ACTUAL_MICRO_USD),
      );
      remaining.push(windowOf(state, 'daily').remaining_usd);
    }
    // Settlement replaced each reservation with the actual cost: remaining falls 20 micro-USD a request.
    expect(remaining).toEqual(
      Array.from({ length: N }, (_, i) => usd(1_000_000 - (i + 1) * ACTUAL_MICRO_USD)),
    );

    const quota = await getJson<QuotaView>(url, '/admin/quotas/ann-daily/state', KEYS.admin);
    const spent = usd(N * ACTUAL_MICRO_USD);
    expect(windowOf(quota, 'daily')).toMatchObject({
      spent_usd: spent,
      remaining_usd: usd(1_000_000 - N * 20),
    });
    expect(windowOf(quota, 'total')).toMatchObject({
      limit_usd: '50',
      spent_usd: spent,
      window_start: null,
      resets_at: null,
    });
    const day = windowOf(quota, 'daily');
    expect(Date.parse(day.resets_at ?? '') - Date.parse(day.window_start ?? '')).toBe(86_400_000);
    expect(Date.parse(day.window_start ?? '')).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(day.resets_at ?? '')).toBeGreaterThan(Date.now());

    const team = await getJson<QuotaView>(url, '/admin/quotas/research-weekly/state', KEYS.admin);
    expect(team).toMatchObject({ org: 'acme', team: 'research', subject: 'team' });
    expect(windowOf(team, 'weekly')).toMatchObject({ spent_usd: spent });

    const rate = await getJson<RateLimitView>(url, '/admin/rate_limits/ann-rpm/state', KEYS.admin);
    expect(kindOf(rate, 'rpm')).toMatchObject({ limit: 1000, used: N, remaining: 1000 - N });
    expect(kindOf(rate, 'rpd')).toMatchObject({ used: N });
    // Every request settled: no concurrency slot is held any more.
    expect(kindOf(rate, 'max_concurrent')).toMatchObject({ used: 0, window_start: null, resets_at: null });

    // The user reads the same figures with their own key.
    const own = await getJson<ChainView>(url, '/v1/gproxy/limits', KEYS.annLaptop);
    expect(own).toMatchObject({ user: 'ann', key: 'laptop' });
    expect(names(own.quotas)).toEqual(['ann-daily', 'research-weekly']);
    expect(windowOf(named(own.quotas, 'ann-daily'), 'daily')).toEqual(windowOf(quota, 'daily'));
    expect(names(own.rate_limits)).toEqual(['ann-rpm', 'acme-tpd']);
    expect(kindOf(named(own.rate_limits, 'ann-rpm'), 'rpm')).toMatchObject({ used: N });
    const tokens = kindOf(named(own.rate_limits, 'acme-tpd'), 'tpd');
    expect(tokens.used).toBe(N * 20);
    expect(tokens.remaining).toBe(10_000_000 - N * 20);
  }, 30_000);

  it("never shows a user another user's quotas; each key sees its own chain", async () => {
    const url = gateway.url;
    const bob = await getJson<ChainView>(url, '/v1/gproxy/limits', KEYS.bob);
    expect(bob).toMatchObject({ user: 'bob', key: 'main' });
    expect(names(bob.quotas)).toEqual(['bob-daily']);
    expect(names(bob.rate_limits)).toEqual(['bob-rpm']);
    expect(windowOf(bob.quotas[0], 'daily')).toMatchObject({ spent_usd: '0', remaining_usd: '2' });
    expect(JSON.stringify(bob)).not.toMatch(/ann|acme|research/);

    // Ann's other key also carries its key quota (whatever its route: it applies to claude-* only).
    const ci = await getJson<ChainView>(url, '/v1/gproxy/limits', KEYS.annCi);
    expect(ci.quotas.map((q) => [q.name, q.route])).toEqual([
      ['ann-ci', 'claude-*'],
      ['ann-daily', null],
      ['research-weekly', null],
    ]);

    // The admin API cannot be read with a user's key, and a missing key is refused.
    expect((await get(url, '/admin/quotas/bob-daily/state', KEYS.annLaptop)).status).toBe(403);
    expect((await get(url, '/admin/users/bob/limits', KEYS.annLaptop)).status).toBe(403);
    const anonymous = await fetch(`${url}/v1/gproxy/limits`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });

  it("lists a user's whole chain for the admin, or one key's, and answers 404 for unknown names", async () => {
    const url = gateway.url;
    const all = await getJson<ChainView>(url, '/admin/users/ann/limits', KEYS.admin);
    expect(all).toMatchObject({ user: 'ann', key: null });
    expect(names(all.quotas)).toEqual(['ann-ci', 'ann-daily', 'research-weekly']);
    expect(named(all.quotas, 'ann-ci')).toMatchObject({ user: 'ann', key: 'ci', subject: 'key' });
    expect(names(all.rate_limits)).toEqual(['ann-rpm', 'acme-tpd']);
    expect(named(all.rate_limits, 'acme-tpd')).toMatchObject({ org: 'acme', subject: 'org' });

    const laptop = await getJson<ChainView>(url, '/admin/users/ann/limits?key=laptop', KEYS.admin);
    expect(laptop.key).toBe('laptop');
    expect(names(laptop.quotas)).toEqual(['ann-daily', 'research-weekly']);

    const none = await getJson<ChainView>(url, '/admin/users/root/limits', KEYS.admin);
    expect(none).toEqual({ user: 'root', key: null, quotas: [], rate_limits: [] });

    for (const path of [
      '/admin/quotas/nope/state',
      '/admin/rate_limits/nope/state',
      '/admin/users/nope/limits',
      '/admin/users/ann/limits?key=nope',
    ]) {
      const response = await get(url, path, KEYS.admin);
      expect(response.status, path).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
    }
  });

  it('declares the new endpoints in the OpenAPI document', async () => {
    const document = (await (await fetch(`${gateway.url}/admin/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/admin/quotas/{name}/state',
        '/admin/rate_limits/{name}/state',
        '/admin/users/{name}/limits',
      ]),
    );
  });
});

/** Reads until `done` holds or 2 s have passed; the last reading either way. */
async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 2000;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    value = await read();
  }
  return value;
}

const skip = await redisSkipReason();

describe.skipIf(skip !== undefined)('quota and rate-limit state while the cache backend is down', () => {
  let upstream: FakeUpstream;
  let upstash: FakeUpstash;
  let gateway: TestGateway;

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    upstash = await startFakeUpstash({ redisUrl: TEST_REDIS_URL });
    gateway = await startTestGateway(bundle(upstream.url), {
      cacheUrl: `upstash+${upstash.url}/?prefix=${encodeURIComponent(`gproxy-state-${Date.now()}:`)}`,
      cacheToken: upstash.token,
    });
  }, 30_000);
  afterAll(async () => {
    upstash.down = false;
    await gateway?.dispose();
    await upstash?.close();
    await upstream?.close();
  });

  it('reads the shared counters while the cache is up, then answers 503 cache_unavailable', async () => {
    await awayFromMinuteEdge();
    const url = gateway.url;
    const answer = await chat(url, KEYS.bob);
    expect(answer.status).toBe(200);
    await answer.arrayBuffer();
    const bob = await poll(
      () => getJson<ChainView>(url, '/v1/gproxy/limits', KEYS.bob),
      (view) => windowOf(view.quotas[0], 'daily').spent_usd === usd(ACTUAL_MICRO_USD),
    );
    expect(windowOf(bob.quotas[0], 'daily')).toMatchObject({ spent_usd: usd(ACTUAL_MICRO_USD) });
    expect(kindOf(bob.rate_limits[0], 'rpm')).toMatchObject({ used: 1, remaining: 6 });

    upstash.down = true;
    try {
      for (const [path, key] of [
        ['/v1/gproxy/limits', KEYS.bob],
        ['/admin/quotas/bob-daily/state', KEYS.admin],
        ['/admin/rate_limits/bob-rpm/state', KEYS.admin],
        ['/admin/users/bob/limits', KEYS.admin],
      ] as const) {
        const response = await get(url, path, key);
        expect(response.status, path).toBe(503);
        expect(await response.json(), path).toMatchObject({ error: { code: 'cache_unavailable' } });
      }
      // Nothing to read, nothing to fail: root has no limits.
      expect(await getJson<ChainView>(url, '/admin/users/root/limits', KEYS.admin)).toMatchObject({
        quotas: [],
      });
    } finally {
      upstash.down = false;
    }
    expect((await get(url, '/v1/gproxy/limits', KEYS.bob)).status).toBe(200);
  }, 30_000);
});
