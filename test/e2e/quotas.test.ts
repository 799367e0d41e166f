/**
 * Quotas on one gateway with the memory cache backend (docs/tenancy.md, "Quotas"): admission
 * reserves the estimated cost against the budget, settlement refunds it down to the actual cost,
 * an exhausted budget answers 402 in each client's own error format, and concurrent requests never
 * overspend by more than one estimate each. Every model costs $1 per 1M tokens in and out here, so
 * one micro-USD is one token.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { claudeHi, geminiHi } from '../support/wire-calls';
import { fakeUpstreamBundle, startTestGateway, type TestGateway } from '../support/gateway';

const KEYS = {
  daily: 'sk-gp-quota-daily-00001',
  burst: 'sk-gp-quota-burst-00001',
  admin: 'sk-gp-quota-admin-00001',
};
const body = (maxTokens: number) =>
  JSON.stringify({ model: 'fast', max_tokens: maxTokens, messages: [{ role: 'user', content: 'hi' }] });
/** The admission estimate in micro-USD: body bytes / 2 rounded up, plus max_tokens. */
const estimate = (maxTokens: number) => Math.ceil(body(maxTokens).length / 2) + maxTokens;
/** What the fake OpenAI upstream reports per answer (12 + 8 tokens), in micro-USD. */
const ACTUAL = 20;
const K = 5;
const BURST_MAX = 100;

let upstream: FakeUpstream;
let gateway: TestGateway;

const usd = (micro: number) => (micro / 1_000_000).toFixed(6);

beforeAll(async () => {
  upstream = await startFakeUpstream();
  const base = fakeUpstreamBundle(upstream.url) as Record<string, unknown>;
  const user = (name: string, key: string) => ({
    name,
    permissions: ['*'],
    keys: [{ label: 'laptop', key }],
  });
  gateway = await startTestGateway({
    ...base,
    users: [
      ...(base['users'] as unknown[]),
      user('daily', KEYS.daily),
      user('burst', KEYS.burst),
      { ...user('root', KEYS.admin), admin: true },
    ],
    prices: [
      { name: 'flat-oa', provider: 'oa', model: 'gpt-4o-mini', input: 1, output: 1 },
      { name: 'flat-an', provider: 'an', model: 'claude-haiku-4-5', input: 1, output: 1 },
      { name: 'flat-ge', provider: 'ge', model: 'gemini-2.5-flash', input: 1, output: 1 },
    ],
    quotas: [
      // Admits one 50-token request at a time (estimate ~95) until ~80 micro-USD are spent.
      { name: 'daily-tiny', user: 'daily', daily: usd(estimate(50) + 5) },
      { name: 'burst', user: 'burst', key: 'laptop', total: usd(K * estimate(BURST_MAX)) },
    ],
  });
});
afterAll(async () => {
  await gateway.dispose();
  await upstream.close();
});
beforeEach(() => upstream.reset());

/** Fixed daily windows: keep a test's requests inside one UTC day. */
async function awayFromDayEdge(): Promise<void> {
  const intoDay = Date.now() % 86_400_000;
  if (intoDay > 86_390_000) await new Promise((resolve) => setTimeout(resolve, 86_400_100 - intoDay));
}

const chat = (key: string, text: string) =>
  fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: text,
  });
const claude = (key: string) => claudeHi(gateway.url, key);
const gemini = (key: string) => geminiHi(gateway.url, key, { maxOutputTokens: 50 });

describe('quotas (memory backend)', () => {
  it('answers 402 once the budget is spent, and settlement refunds let a cheap request through', async () => {
    await awayFromDayEdge();
    const first = await chat(KEYS.daily, body(50));
    expect(first.status).toBe(200);
    await first.arrayBuffer();
    // ACTUAL is spent; another 50-token reservation does not fit any more.
    const openai = await chat(KEYS.daily, body(50));
    expect(openai.status).toBe(402);
    expect(await openai.json()).toMatchObject({
      error: { type: 'insufficient_quota', code: 'quota_exceeded' },
    });
    const anthropic = await claude(KEYS.daily);
    expect(anthropic.status).toBe(402);
    expect(await anthropic.json()).toMatchObject({ type: 'error', error: { type: 'billing_error' } });
    const google = await gemini(KEYS.daily);
    expect(google.status).toBe(402);
    expect(await google.json()).toMatchObject({ error: { code: 402, status: 'RESOURCE_EXHAUSTED' } });
    // The first request's reservation was refunded down to its actual cost, so a cheap one fits.
    expect(ACTUAL + estimate(1)).toBeLessThanOrEqual(estimate(50) + 5);
    const cheap = await chat(KEYS.daily, body(1));
    expect(cheap.status).toBe(200);
    await cheap.arrayBuffer();
  }, 30_000);

  it('admits at most K of 50 concurrent requests against a budget of K estimates', async () => {
    // Answers are held until every request was either forwarded or refused: every reservation is
    // taken before any settles (a settled request refunds what it did not spend).
    let refused = 0;
    let release = (): void => {};
    const holdUntil = new Promise<void>((resolve) => (release = resolve));
    const releaseWhenAllDecided = (): void => {
      if (upstream.requests.length + refused >= 50) release();
    };
    upstream.behave({ holdUntil });
    const watcher = setInterval(releaseWhenAllDecided, 20);
    const statuses = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const response = await chat(KEYS.burst, body(BURST_MAX));
        if (response.status !== 200) refused++;
        releaseWhenAllDecided();
        await response.arrayBuffer();
        return response.status;
      }),
    ).finally(() => clearInterval(watcher));
    const admitted = statuses.filter((status) => status === 200).length;
    expect(admitted).toBeGreaterThan(0);
    expect(admitted).toBeLessThanOrEqual(K);
    expect(statuses.filter((status) => status !== 200).every((status) => status === 402)).toBe(true);
  }, 30_000);

  it('manages quotas through the admin API in bundle shape, and exports them', async () => {
    const admin = (method: string, path: string, body?: unknown) =>
      fetch(`${gateway.url}/admin/quotas${path}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.admin}` },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const created = await admin('POST', '', { name: 'root-month', user: 'root', monthly: '12.50' });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ name: 'root-month', user: 'root', monthly: '12.5' });
    const patched = await admin('PATCH', '/root-month', { monthly: null, daily: 0.25 });
    expect(await patched.json()).toMatchObject({ monthly: null, daily: '0.25' });
    const list = (await (await admin('GET', '')).json()) as { data: { name: string }[] };
    expect(list.data.map((q) => q.name)).toEqual(['burst', 'daily-tiny', 'root-month']);
    const bad = await admin('POST', '', { name: 'bad', user: 'root', daily: '-1' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/daily: Must be a non-negative decimal/);
    expect((await admin('DELETE', '/root-month')).status).toBe(204);
    expect((await admin('GET', '/root-month')).status).toBe(404);
  });
});
