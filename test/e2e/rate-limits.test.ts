/**
 * Rate limits on one gateway with the memory cache backend (docs/tenancy.md): requests per minute
 * exact, refusals in each client's own error envelope with Retry-After, tokens per minute by the
 * admission estimate and corrected with the actual usage, concurrency slots freed when clients
 * leave, and limits scoped to a route pattern.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { claudeHi, geminiHi } from '../support/wire-calls';
import { fakeUpstreamBundle, startTestGateway, type TestGateway } from '../support/gateway';

const KEYS = {
  rpm: 'sk-gp-rl-rpm-000000001',
  tok: 'sk-gp-rl-tok-000000001',
  conc: 'sk-gp-rl-conc-00000001',
  routed: 'sk-gp-rl-routed-000001',
  admin: 'sk-gp-rl-admin-0000001',
};
const TOKEN_BODY = JSON.stringify({
  model: 'fast',
  max_tokens: 300,
  messages: [{ role: 'user', content: 'hi' }],
});
/** The admission estimate of TOKEN_BODY: body bytes / 2 plus max_tokens. */
const ESTIMATE = Math.ceil(TOKEN_BODY.length / 2) + 300;
/** What the fake OpenAI upstream reports per answer (12 prompt + 8 completion tokens). */
const ACTUAL = 20;

let upstream: FakeUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  const base = fakeUpstreamBundle(upstream.url) as Record<string, unknown>;
  const users = base['users'] as unknown[];
  const user = (name: string, key: string, extra: Record<string, unknown> = {}) => ({
    name,
    permissions: ['*'],
    keys: [{ label: 'laptop', key }],
    ...extra,
  });
  gateway = await startTestGateway({
    ...base,
    orgs: [{ name: 'acme' }],
    users: [
      ...users,
      user('rpm', KEYS.rpm),
      user('tok', KEYS.tok),
      user('conc', KEYS.conc),
      user('routed', KEYS.routed, { org: 'acme' }),
      user('root', KEYS.admin, { admin: true }),
    ],
    rate_limits: [
      { name: 'rpm-5', user: 'rpm', rpm: 5 },
      // Admits three requests in a row only if each settles its estimate down to the actual usage.
      { name: 'tok', user: 'tok', tpm: ESTIMATE + 2 * ACTUAL + 5 },
      { name: 'conc-2', user: 'conc', key: 'laptop', max_concurrent: 2 },
      { name: 'acme-claude', org: 'acme', route: 'claude-*', rpm: 1 },
    ],
  });
});
afterAll(async () => {
  await gateway.dispose();
  await upstream.close();
});

/** Fixed windows: keep a test's requests inside one minute. */
async function awayFromMinuteEdge(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 50_000) await new Promise((resolve) => setTimeout(resolve, 60_100 - intoMinute));
}

const chat = (key: string, body: string, signal?: AbortSignal) =>
  fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body,
    ...(signal === undefined ? {} : { signal }),
  });
const SIMPLE = JSON.stringify({ model: 'fast', messages: [{ role: 'user', content: 'hi' }] });

const claude = (key: string) => claudeHi(gateway.url, key);
const gemini = (key: string) => geminiHi(gateway.url, key);

function retryAfterOf(response: Response): number {
  return Number(response.headers.get('retry-after'));
}

describe('rate limits (memory backend)', () => {
  it('admits exactly rpm requests, then answers 429 with Retry-After in each wire format', async () => {
    await awayFromMinuteEdge();
    for (let i = 0; i < 5; i++) {
      const ok = await chat(KEYS.rpm, SIMPLE);
      expect(ok.status).toBe(200);
      await ok.arrayBuffer();
    }
    const openai = await chat(KEYS.rpm, SIMPLE);
    expect(openai.status).toBe(429);
    expect(retryAfterOf(openai)).toBeGreaterThanOrEqual(1);
    expect(retryAfterOf(openai)).toBeLessThanOrEqual(60);
    expect(await openai.json()).toMatchObject({ error: { type: 'rate_limit_error', code: 'rate_limited' } });

    const anthropic = await claude(KEYS.rpm);
    expect(anthropic.status).toBe(429);
    expect(retryAfterOf(anthropic)).toBeGreaterThanOrEqual(1);
    expect(await anthropic.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });

    const google = await gemini(KEYS.rpm);
    expect(google.status).toBe(429);
    expect(retryAfterOf(google)).toBeGreaterThanOrEqual(1);
    expect(await google.json()).toMatchObject({ error: { code: 429, status: 'RESOURCE_EXHAUSTED' } });
  }, 30_000);

  it('reserves the token estimate and corrects it with the actual usage at settlement', async () => {
    await awayFromMinuteEdge();
    for (let i = 0; i < 3; i++) {
      const ok = await chat(KEYS.tok, TOKEN_BODY);
      expect(ok.status).toBe(200);
      await ok.arrayBuffer();
    }
    const refused = await chat(KEYS.tok, TOKEN_BODY);
    expect(refused.status).toBe(429);
    const tooLarge = await chat(
      KEYS.tok,
      JSON.stringify({ model: 'fast', max_tokens: 100_000, messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(tooLarge.status).toBe(429);
    expect(await tooLarge.text()).toMatch(/alone exceeds/);
  }, 30_000);

  it('holds a concurrency slot per request and frees it when the client leaves', async () => {
    upstream.reset();
    upstream.behave({ hang: true });
    const leaving = [new AbortController(), new AbortController()];
    const hanging = leaving.map((c) => chat(KEYS.conc, SIMPLE, c.signal).catch(() => null));
    await upstream.waitFor(() => upstream.requests.length >= 2, 5000);

    const third = await chat(KEYS.conc, SIMPLE);
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('1');
    await third.arrayBuffer();

    for (const c of leaving) c.abort();
    await Promise.all(hanging);
    upstream.reset();
    // Both slots come back: two requests at once are admitted again.
    const deadline = Date.now() + 5000;
    let statuses: number[] = [];
    while (Date.now() < deadline) {
      const answers = await Promise.all([chat(KEYS.conc, SIMPLE), chat(KEYS.conc, SIMPLE)]);
      statuses = answers.map((a) => a.status);
      await Promise.all(answers.map((a) => a.arrayBuffer()));
      if (statuses.every((s) => s === 200)) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(statuses).toEqual([200, 200]);
  }, 30_000);

  it('applies a route-pattern limit only to the routes it matches', async () => {
    await awayFromMinuteEdge();
    const first = await claude(KEYS.routed);
    expect(first.status).toBe(200);
    await first.arrayBuffer();
    const second = await claude(KEYS.routed);
    expect(second.status).toBe(429);
    await second.arrayBuffer();
    for (let i = 0; i < 3; i++) {
      const other = await chat(KEYS.routed, SIMPLE);
      expect(other.status).toBe(200);
      await other.arrayBuffer();
    }
  }, 30_000);

  it('manages limits through the admin API in bundle shape', async () => {
    const admin = (method: string, path: string, body?: unknown) =>
      fetch(`${gateway.url}/admin/rate_limits${path}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.admin}` },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const created = await admin('POST', '', { name: 'root-key', user: 'root', key: 'laptop', tpd: 1000 });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ name: 'root-key', user: 'root', key: 'laptop', tpd: 1000 });
    const patched = await admin('PATCH', '/root-key', { tpd: null, rpm: 100 });
    expect(await patched.json()).toMatchObject({ tpd: null, rpm: 100, key: 'laptop' });
    const list = (await (await admin('GET', '')).json()) as { data: { name: string }[] };
    expect(list.data.map((l) => l.name)).toContain('root-key');
    const unknown = await admin('POST', '', { name: 'bad', user: 'nobody', rpm: 1 });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toMatch(/user: Unknown user/);
    expect((await admin('DELETE', '/root-key')).status).toBe(204);
    expect((await admin('GET', '/root-key')).status).toBe(404);
  });
});
