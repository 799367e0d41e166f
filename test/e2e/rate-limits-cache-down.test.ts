/**
 * When the cache backend holding the rate-limit counters is down, `limits_when_cache_down` decides:
 * `refuse` (the default) answers 503 in the client's format, `allow` admits uncounted. The cache is
 * an Upstash-style REST server on real Redis that can be switched to answer 503 (an outage).
 * In CI this always runs; locally it skips when Redis is not running.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisSkipReason, TEST_REDIS_URL } from '../cache/redis-env';
import { startFakeUpstash, type FakeUpstash } from '../support/fake-upstash';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { fakeUpstreamBundle, startTestGateway, USER_KEY, type TestGateway } from '../support/gateway';

const skip = await redisSkipReason();

let upstream: FakeUpstream;
let upstash: FakeUpstash;
let refusing: TestGateway;
let allowing: TestGateway;

const chat = (gateway: TestGateway) =>
  fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${USER_KEY}` },
    body: JSON.stringify({ model: 'fast', messages: [{ role: 'user', content: 'hi' }] }),
  });

describe.skipIf(skip !== undefined)('rate limits while the cache backend is down', () => {
  beforeAll(async () => {
    upstream = await startFakeUpstream();
    upstash = await startFakeUpstash({ redisUrl: TEST_REDIS_URL });
    const bundle = (setting: 'refuse' | 'allow') => ({
      ...(fakeUpstreamBundle(upstream.url) as Record<string, unknown>),
      rate_limits: [{ name: 'alice', user: 'alice', rpm: 1000 }],
      settings: { limits_when_cache_down: setting },
    });
    const cache = {
      cacheUrl: `upstash+${upstash.url}/?prefix=${encodeURIComponent(`gproxy-rl-down-${Date.now()}:`)}`,
      cacheToken: upstash.token,
    };
    refusing = await startTestGateway(bundle('refuse'), cache);
    allowing = await startTestGateway(bundle('allow'), cache);
  }, 30_000);

  afterAll(async () => {
    upstash.down = false;
    await refusing?.dispose();
    await allowing?.dispose();
    await upstash?.close();
    await upstream?.close();
  });

  it('counts while the cache is up, then refuses (503) or admits as configured', async () => {
    expect((await chat(refusing)).status).toBe(200);
    upstash.down = true;
    const refused = await chat(refusing);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({ error: { message: expect.stringMatching(/Rate limits/) } });
    const admitted = await chat(allowing);
    expect(admitted.status).toBe(200);
    await admitted.arrayBuffer();
  });
});
