/**
 * Rate limits are exact across instances: two gateway processes share one PostgreSQL database and
 * one Redis, and N concurrent requests split across both against a limit of L admit exactly L.
 * In CI this always runs; locally it skips when PostgreSQL or Redis is not running.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeUpstream } from '../support/fake-upstream';
import type { Served } from '../support/serve-process';
import { startTwoInstances, twoInstancesSkipReason, type TwoInstances } from '../support/two-instances';
import { openAiProvider } from '../support/bundles';

const RPM_KEY = 'sk-gp-rl-multi-rpm-0000000000000000000000';
const CONC_KEY = 'sk-gp-rl-multi-conc-000000000000000000000';
const LIMIT = 7;
const REQUESTS = 30;

const skip = await twoInstancesSkipReason();

let instances: TwoInstances;
let upstream: FakeUpstream;
let a: Served;
let b: Served;

const chat = (instance: Served, key: string) =>
  fetch(`${instance.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ model: 'gpt-up', messages: [{ role: 'user', content: 'hi' }] }),
  });

async function statusesOf(key: string): Promise<number[]> {
  const answers = await Promise.all(
    Array.from({ length: REQUESTS }, (_, i) => chat(i % 2 === 0 ? a : b, key)),
  );
  await Promise.all(answers.map((r) => r.arrayBuffer()));
  return answers.map((r) => r.status);
}

describe.skipIf(skip !== undefined)('rate limits across instances (PostgreSQL + Redis)', () => {
  beforeAll(async () => {
    instances = await startTwoInstances((upstreamUrl) => ({
      version: 1,
      providers: [openAiProvider(upstreamUrl)],
      routes: [{ name: 'gpt-up', members: [{ provider: 'oa', model: 'gpt-up' }] }],
      users: [
        { name: 'rpm', permissions: ['*'], keys: [{ label: 'k', key: RPM_KEY }] },
        { name: 'conc', permissions: ['*'], keys: [{ label: 'k', key: CONC_KEY }] },
      ],
      rate_limits: [
        { name: 'rpm', user: 'rpm', rpm: LIMIT },
        { name: 'conc', user: 'conc', max_concurrent: LIMIT },
      ],
    }));
    ({ a, b, upstream } = instances);
  }, 60_000);

  afterAll(async () => {
    await instances?.stop();
  });

  it('admits exactly the requests-per-minute limit across both instances', async () => {
    // Fixed windows: keep the burst inside one minute.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 50_000) await new Promise((resolve) => setTimeout(resolve, 60_100 - intoMinute));
    const statuses = await statusesOf(RPM_KEY);
    expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(REQUESTS - LIMIT);
  }, 30_000);

  it('admits exactly the concurrency limit across both instances, and frees every slot', async () => {
    upstream.behave({ delayMs: 500 });
    const held = await statusesOf(CONC_KEY);
    expect(held.filter((s) => s === 200)).toHaveLength(LIMIT);
    expect(held.filter((s) => s === 429)).toHaveLength(REQUESTS - LIMIT);
    // Every slot came back (releases run just after the answers): the same burst admits as many.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const again = await statusesOf(CONC_KEY);
    expect(again.filter((s) => s === 200)).toHaveLength(LIMIT);
    upstream.reset();
  }, 30_000);
});
