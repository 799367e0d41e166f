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
    instances = await startTwoInstances((upstreamUrl) => ({
      version: 1,
      providers: [openAiProvider(upstreamUrl)],
      routes: [{ name: 'gpt-up', members: [{ provider: 'oa', model: 'gpt-up' }] }],
      users: [{ name: 'spender', permissions: ['*'], keys: [{ label: 'k', key: KEY }] }],
      prices: [{ name: 'up', provider: 'oa', model: 'gpt-up', input: 1, output: 1 }],
      quotas: [{ name: 'spender', user: 'spender', total: (K * ESTIMATE) / 1_000_000 }],
    }));
    ({ a, b, upstream } = instances);
  }, 60_000);

  afterAll(async () => {
    await instances?.stop();
  });

  it('never overspends: at most K of the concurrent requests are admitted, the rest get 402', async () => {
    upstream.behave({ delayMs: 500 });
    const answers = await Promise.all(
      Array.from({ length: REQUESTS }, (_, i) =>
        fetch(`${(i % 2 === 0 ? a : b).url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
          body: BODY,
        }),
      ),
    );
    await Promise.all(answers.map((r) => r.arrayBuffer()));
    const statuses = answers.map((r) => r.status);
    const admitted = statuses.filter((s) => s === 200).length;
    expect(admitted).toBeGreaterThan(0);
    expect(admitted).toBeLessThanOrEqual(K);
    expect(statuses.filter((s) => s === 402)).toHaveLength(REQUESTS - admitted);
    upstream.reset();
  }, 30_000);
});
