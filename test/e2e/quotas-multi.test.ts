/**
 * Quotas across instances: two gateway processes share one PostgreSQL database and one Redis, and
 * concurrent requests split across both against a budget of K estimates admit at most K (every
 * reservation is taken before any settles: the upstream answers slowly). In CI this always runs;
 * locally it skips when PostgreSQL or Redis is not running.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeUpstream } from '../support/fake-upstream';
import type { Served } from '../support/serve-process';
import { startTwoInstances, twoInstancesSkipReason, type TwoInstances } from '../support/two-instances';
import { openAiProvider } from '../support/bundles';

const KEY = 'sk-gp-quota-multi-0000000000000000000000';
const K = 4;
const REQUESTS = 30;
const MAX_TOKENS = 100;
const BODY = JSON.stringify({
  model: 'gpt-up',
  max_tokens: MAX_TOKENS,
  messages: [{ role: 'user', content: 'hi' }],
});
/** $1 per 1M tokens in and out: the estimate in micro-USD is body bytes / 2 plus max_tokens. */
const ESTIMATE = Math.ceil(BODY.length / 2) + MAX_TOKENS;

const skip = await twoInstancesSkipReason();

let instances: TwoInstances;
let upstream: FakeUpstream;
let a: Served;
let b: Served;

describe.skipIf(skip !== undefined)('quotas across instances (PostgreSQL + Redis)', () => {
  beforeAll(async () => {
    instances = await startTwoInstances(
      (upstreamUrl) => ({
        version: 1,
        providers: [openAiProvider(upstreamUrl)],
        routes: [{ name: 'gpt-up', members: [{ provider: 'oa', model: 'gpt-up' }] }],
        users: [{ name: 'spender', permissions: ['*'], keys: [{ label: 'k', key: KEY }] }],
        prices: [{ name: 'up', provider: 'oa', model: 'gpt-up', input: 1, output: 1 }],
        quotas: [{ name: 'spender', user: 'spender', total: (K * ESTIMATE) / 1_000_000 }],
      }),
      // Reservation heartbeats every 100 ms: a dead instance is noticed after 600 ms.
      { GPROXY_QUOTA_HOLD_BEAT_MS: '100' },
    );
    ({ a, b, upstream } = instances);
  }, 60_000);

  afterAll(async () => {
    await instances?.stop();
  });

  it('never overspends: at most K of the concurrent requests are admitted, the rest get 402', async () => {
    // Answers are held until every request was forwarded or refused: no reservation is settled
    // (and refunded) while others are still being admitted.
    let refused = 0;
    let release = (): void => {};
    const holdUntil = new Promise<void>((resolve) => (release = resolve));
    const releaseWhenAllDecided = (): void => {
      if (upstream.requests.length + refused >= REQUESTS) release();
    };
    upstream.behave({ holdUntil });
    const watcher = setInterval(releaseWhenAllDecided, 20);
    const answers = await Promise.all(
      Array.from({ length: REQUESTS }, async (_, i) => {
        const answer = await chat(i % 2 === 0 ? a : b);
        if (answer.status !== 200) refused++;
        releaseWhenAllDecided();
        return answer;
      }),
    ).finally(() => clearInterval(watcher));
    await Promise.all(answers.map((r) => r.arrayBuffer()));
    const statuses = answers.map((r) => r.status);
    const admitted = statuses.filter((s) => s === 200).length;
    expect(admitted).toBeGreaterThan(0);
    expect(admitted).toBeLessThanOrEqual(K);
    expect(statuses.filter((s) => s === 402)).toHaveLength(REQUESTS - admitted);
    upstream.reset();
  }, 30_000);

  // Last: it kills instance a.
  it('gives back the reservation of an instance killed before it could settle it', async () => {
    const state = async (): Promise<number> => {
      const res = await fetch(`${b.url}/v1/gproxy/limits`, { headers: { authorization: `Bearer ${KEY}` } });
      const body = (await res.json()) as { quotas: { windows: { window: string; spent_usd: string }[] }[] };
      return Number(body.quotas[0]?.windows.find((w) => w.window === 'total')?.spent_usd);
    };
    const before = await state();
    upstream.behave({ hang: true });
    const hanging = chat(a).catch(() => undefined);
    await upstream.waitFor(() => upstream.requests.length === 1);
    expect(await state()).toBeCloseTo(before + ESTIMATE / 1_000_000, 6);
    // A reservation is journaled at the next heartbeat (100 ms here); one taken after the last
    // beat before a crash stays counted until its window ends (docs/tenancy.md).
    await new Promise((resolve) => setTimeout(resolve, 300));
    a.child.kill('SIGKILL');
    await a.exited;
    await hanging;
    const deadline = Date.now() + 10_000;
    while ((await state()) > before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await state()).toBeCloseTo(before, 6);
    expect(b.stdout()).toContain('gave back the reservations of an instance that stopped without settling');
    upstream.reset();
  }, 30_000);
});

function chat(instance: Served): Promise<Response> {
  return fetch(`${instance.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
    body: BODY,
  });
}
