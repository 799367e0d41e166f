/**
 * Credential budgets, credential health and affinity pins across instances: two `gproxy serve`
 * processes share one PostgreSQL database and one Redis. An affinity subject pinned on one instance
 * is served from the same member by the other. A credential with `rpm: N` gets N upstream requests a
 * minute in total, however the requests are spread over the instances; a 429 with Retry-After seen
 * by one instance makes the other skip that credential without sending to it; an operator reset
 * on one clears it on the other. Upstream hits are counted at the fake upstream, by API key.
 * In CI this always runs; locally it skips when PostgreSQL or Redis is not running.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeUpstream } from '../support/fake-upstream';
import type { Served } from '../support/serve-process';
import { startTwoInstances, twoInstancesSkipReason, type TwoInstances } from '../support/two-instances';

const USER_KEY = 'sk-gp-cred-multi-user-00000000000000000000';
const ADMIN_KEY = 'sk-gp-cred-multi-admin-0000000000000000000';
const RPM = 4;
const REQUESTS = 12;

const skip = await twoInstancesSkipReason();

let instances: TwoInstances;
let upstream: FakeUpstream;
let a: Served;
let b: Served;

function provider(upstreamUrl: string, name: string, credential: Record<string, unknown>) {
  return { name, channel: 'openai', settings: { base_url: `${upstreamUrl}/v1` }, credentials: [credential] };
}

const chat = (instance: Served, model: string, headers: Record<string, string> = {}) =>
  fetch(`${instance.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${USER_KEY}`, ...headers },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  });

async function burst(model: string, n: number): Promise<Response[]> {
  const answers = await Promise.all(Array.from({ length: n }, (_, i) => chat(i % 2 === 0 ? a : b, model)));
  await Promise.all(answers.map((r) => r.arrayBuffer()));
  return answers;
}

const hits = (apiKey: string): number =>
  upstream.requests.filter((r) => r.headers['authorization'] === `Bearer ${apiKey}`).length;

/** Skipped candidates with this trace reason, in both instances' `request settled` logs. */
const skipped = (reason: string): number =>
  [a, b].reduce((n, instance) => n + instance.stdout().split(`"reason":"${reason}"`).length - 1, 0);

interface HealthRow {
  provider: string;
  credential: string;
  state: string;
  reason: string | null;
  until: number | null;
}

async function healthOf(instance: Served, providerName: string): Promise<HealthRow | undefined> {
  const res = await fetch(`${instance.url}/admin/health`, {
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
  });
  const body = (await res.json()) as { data: HealthRow[] };
  return body.data.find((row) => row.provider === providerName);
}

/** Polls until `check` holds, or throws after `limitMs`. */
async function within<T>(limitMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.skipIf(skip !== undefined)(
  'credential budgets and health across instances (PostgreSQL + Redis)',
  () => {
    beforeAll(async () => {
      instances = await startTwoInstances((upstreamUrl) => ({
        version: 1,
        providers: [
          provider(upstreamUrl, 'limited', { label: 'x', secret: { api_key: 'key-limited' }, rpm: RPM }),
          provider(upstreamUrl, 'flaky', { label: 'f', secret: { api_key: 'key-flaky' } }),
          provider(upstreamUrl, 'backup', { label: 'b', secret: { api_key: 'key-backup' } }),
          provider(upstreamUrl, 'left', { label: 'l', secret: { api_key: 'key-left' } }),
          provider(upstreamUrl, 'right', { label: 'r', secret: { api_key: 'key-right' } }),
        ],
        routes: [
          {
            name: 'sticky',
            strategy: 'round_robin',
            affinity: { subject: 'session', ttl_seconds: 600 },
            members: [
              { provider: 'left', model: 'gpt-up' },
              { provider: 'right', model: 'gpt-up' },
            ],
          },
          { name: 'budgeted', members: [{ provider: 'limited', model: 'gpt-up' }] },
          {
            name: 'budgeted-failover',
            members: [
              { provider: 'limited', model: 'gpt-up' },
              { provider: 'backup', model: 'gpt-up', tier: 1 },
            ],
          },
          {
            name: 'guarded',
            members: [
              { provider: 'flaky', model: 'gpt-up' },
              { provider: 'backup', model: 'gpt-up', tier: 1 },
            ],
          },
        ],
        users: [
          { name: 'alice', permissions: ['*'], keys: [{ label: 'k', key: USER_KEY }] },
          { name: 'root', admin: true, keys: [{ label: 'k', key: ADMIN_KEY }] },
        ],
      }));
      ({ a, b, upstream } = instances);
    }, 60_000);

    afterAll(async () => {
      await instances?.stop();
    });

    it('keeps an affinity subject on the member it was pinned to, whichever instance serves it', async () => {
      upstream.reset();
      const served = async (instance: Served, session: string): Promise<string> => {
        const answer = await chat(instance, 'sticky', { 'x-gproxy-session-id': session });
        await answer.arrayBuffer();
        expect(answer.status).toBe(200);
        return upstream.requests.at(-1)?.headers['authorization'] ?? '';
      };
      // Round-robin turns are per instance and start at the first member: A's second request goes
      // to the second member, where B would start. B follows A's pin only if pins are shared.
      expect(await served(a, 'warm-up')).toBe('Bearer key-left');
      expect(await served(a, 'conversation-1')).toBe('Bearer key-right');
      for (let i = 0; i < 4; i++) expect(await served(b, 'conversation-1')).toBe('Bearer key-right');
      expect(await served(a, 'conversation-1')).toBe('Bearer key-right');
    });

    it('sends a credential exactly its rpm per minute in total, then the next candidate, then 429', async () => {
      // Fixed windows: keep both bursts inside one minute.
      const intoMinute = Date.now() % 60_000;
      if (intoMinute > 45_000) await new Promise((resolve) => setTimeout(resolve, 60_100 - intoMinute));
      upstream.reset();
      const skippedBefore = skipped('budget exhausted');

      const failover = await burst('budgeted-failover', REQUESTS);
      expect(failover.map((r) => r.status)).toEqual(Array.from({ length: REQUESTS }, () => 200));
      expect(hits('key-limited')).toBe(RPM);
      expect(hits('key-backup')).toBe(REQUESTS - RPM);

      const alone = await burst('budgeted', 6);
      expect(alone.map((r) => r.status)).toEqual([429, 429, 429, 429, 429, 429]);
      for (const answer of alone) {
        const wait = Number(answer.headers.get('retry-after'));
        expect(wait).toBeGreaterThanOrEqual(1);
        expect(wait).toBeLessThanOrEqual(60);
      }
      expect(hits('key-limited')).toBe(RPM);
      // Each request past the budget skipped the credential with the usual trace reason.
      const expected = skippedBefore + REQUESTS - RPM + alone.length;
      await within(2_000, () => Promise.resolve(skipped('budget exhausted') === expected ? true : undefined));
    }, 90_000);

    it('skips a credential on one instance as soon as the other saw it answer 429 with Retry-After', async () => {
      upstream.reset();
      upstream.behave({ statusByKey: { 'key-flaky': 429 }, headers: { 'retry-after': '120' } });
      expect((await chat(a, 'guarded')).status).toBe(200);
      expect(hits('key-flaky')).toBe(1);
      const onA = await healthOf(a, 'flaky');
      expect(onA).toMatchObject({ state: 'cooling', reason: 'rate-limited' });

      // B learns it over pub/sub: the same cooldown, to the millisecond.
      const onB = await within(1_000, async () => {
        const row = await healthOf(b, 'flaky');
        return row?.state === 'cooling' ? row : undefined;
      });
      expect(onB).toMatchObject({ reason: 'rate-limited', until: onA!.until });

      // The upstream would answer now, but B does not ask it.
      upstream.reset();
      const fromB = await chat(b, 'guarded');
      expect(fromB.status).toBe(200);
      expect(fromB.headers.get('x-gproxy-route')).toContain('provider=backup');
      expect(hits('key-flaky')).toBe(0);
      expect(hits('key-backup')).toBe(1);
    });

    it('clears the cooldown on both instances when an operator resets it on one', async () => {
      upstream.reset();
      expect(await healthOf(a, 'flaky')).toMatchObject({ state: 'cooling' });
      const reset = await fetch(`${b.url}/admin/health/reset`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
        body: JSON.stringify({ provider: 'flaky' }),
      });
      expect(reset.status).toBe(200);
      await within(1_000, async () => ((await healthOf(a, 'flaky')) === undefined ? true : undefined));
      expect((await chat(a, 'guarded')).status).toBe(200);
      expect(hits('key-flaky')).toBe(1);
    });
  },
);
