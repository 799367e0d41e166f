/**
 * Failover rules on a real server, streaming and not: auth-dead, rate-limited and transient
 * outcomes (5xx, connect refused, first-byte timeout, resets and silence before the first byte)
 * move to the next member; a permanent 4xx goes back untouched; a stream that already reached
 * the client is never retried; attempts are bounded; members that cannot serve the wire are
 * skipped. Every answer says where it went in `x-gproxy-route`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { serveConfig } from '../../src/runtime/node/config';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { fakeErrorBody } from '../support/fake-upstream-answers';
import { startTestGateway, USER_KEY, type TestGateway } from '../support/gateway';
import {
  closedPort,
  poster,
  routeFields,
  sseEvents,
  startFaultUpstream,
  type FaultUpstream,
} from './routing-support';

let upstream: FakeUpstream;
let hanging: FakeUpstream;
let fault: FaultUpstream;
let gateway: TestGateway;

const STATUS_BY_KEY = { 'k-500': 500, 'k-503': 503, 'k-429': 429, 'k-401': 401, 'k-400': 400 };

function openai(name: string, baseUrl: string, key = `k-${name}`, settings: Record<string, unknown> = {}) {
  return {
    name,
    channel: 'openai',
    settings: { base_url: baseUrl, ...settings },
    credentials: [{ label: 'main', secret: { api_key: key } }],
  };
}

/**
 * A route whose first member fails in the given way and whose second (a lower tier) answers. Each
 * variant (streamed or not) has its own model, so a credential cooling down in one test (health is
 * kept per credential and model) does not change another.
 */
const viaRoute = (provider: string, variant: Variant) => ({
  name: `via-${provider}-${variant}`,
  members: [
    { provider, model: `m-${variant}` },
    { provider: 'good', model: `m-${variant}`, tier: 1 },
  ],
});

type Variant = 'whole' | 'stream';
const VARIANTS: Variant[] = ['whole', 'stream'];

const FAILING = ['p500', 'p503', 'p429', 'p401', 'refused', 'hang', 'reset-headers', 'silent'];

beforeAll(async () => {
  upstream = await startFakeUpstream();
  hanging = await startFakeUpstream();
  hanging.behave({ hang: true });
  fault = await startFaultUpstream();
  const port = await closedPort();
  gateway = await startTestGateway(
    {
      version: 1,
      providers: [
        openai('good', `${upstream.url}/v1`),
        ...['500', '503', '429', '401', '400'].map((s) => openai(`p${s}`, `${upstream.url}/v1`, `k-${s}`)),
        openai('refused', `http://127.0.0.1:${port}/v1`),
        openai('hang', `${hanging.url}/v1`),
        openai('reset-headers', `${fault.url}/reset-after-headers/v1`),
        openai('reset-chunk', `${fault.url}/reset-after-first-chunk/v1`),
        openai('silent', `${fault.url}/silent-after-headers/v1`),
        // Restricted to a wire the openai channel does not speak: it cannot serve anything.
        openai('claude-only', `${upstream.url}/v1`, 'k-good', { wire: 'claude' }),
      ],
      routes: [
        ...VARIANTS.flatMap((variant) =>
          [...FAILING, 'p400', 'reset-chunk', 'claude-only'].map((provider) => viaRoute(provider, variant)),
        ),
        { name: 'only-429', members: [{ provider: 'p429', model: 'cooling' }] },
        ...VARIANTS.map((variant) => ({
          name: `all-500-${variant}`,
          members: ['m1', 'm2', 'm3', 'm4', 'm5'].map((model) => ({ provider: 'p500', model })),
        })),
      ],
      users: [{ name: 'alice', permissions: ['*'], keys: [{ label: 'k', key: USER_KEY }] }],
    },
    { maxAttempts: 3, timeouts: { connectMs: 2000, firstByteMs: 800, idleMs: 800 } },
  );
});
afterAll(async () => {
  await gateway.dispose();
  await upstream.close();
  await hanging.close();
  await fault.close();
});
beforeEach(() => {
  upstream.reset();
  upstream.behave({ statusByKey: STATUS_BY_KEY, headers: { 'retry-after': '120' } });
  hanging.reset();
  hanging.behave({ hang: true });
  fault.reset();
});

const post = poster(() => gateway.url, USER_KEY);
const chat = (model: string, stream: boolean): Promise<Response> =>
  post('/v1/chat/completions', { model, stream, messages: [{ role: 'user', content: 'hi' }] });
const keysSeen = (): string[] =>
  upstream.requests.map((r) => (r.headers['authorization'] ?? '').replace('Bearer ', ''));

/** How many requests the failing member of `via-<provider>` received. */
function failingHits(provider: string): number {
  if (provider.startsWith('p')) return keysSeen().filter((k) => k === `k-${provider.slice(1)}`).length;
  if (provider === 'hang') return hanging.requests.length;
  if (provider === 'refused') return 1; // nothing listens; the connect error is the attempt
  const path = { 'reset-headers': 'reset-after-headers', silent: 'silent-after-headers' }[provider];
  return fault.hits[path ?? provider] ?? 0;
}

async function answerText(res: Response, stream: boolean): Promise<string> {
  const text = await res.text();
  if (!stream)
    return (JSON.parse(text) as { choices: { message: { content: string } }[] }).choices[0]!.message.content;
  return sseEvents(text)
    .filter((e) => e.data !== '[DONE]')
    .map(
      (e) =>
        (JSON.parse(e.data) as { choices: { delta: { content?: string } }[] }).choices[0]?.delta.content ??
        '',
    )
    .join('');
}

describe.each(VARIANTS)('failover (%s answers)', (variant) => {
  const stream = variant === 'stream';
  it.each(FAILING)('moves past %s to the next member', async (provider) => {
    const res = await chat(`via-${provider}-${variant}`, stream);
    expect(res.status).toBe(200);
    expect(await answerText(res, stream)).toBe('Hello from fake openai-chat');
    expect(routeFields(res.headers.get('x-gproxy-route'))).toEqual({
      route: `via-${provider}-${variant}`,
      member: '1',
      provider: 'good',
      model: `m-${variant}`,
      credential: 'main',
      attempts: '2',
    });
    expect(failingHits(provider)).toBe(1);
    expect(keysSeen().filter((k) => k === 'k-good')).toHaveLength(1);
  });

  it('moves past a whole answer cut off mid-body, but not past a stream that has begun', async () => {
    const res = await chat(`via-reset-chunk-${variant}`, stream);
    expect(res.status).toBe(200);
    if (!stream) {
      expect(await answerText(res, stream)).toBe('Hello from fake openai-chat');
      expect(routeFields(res.headers.get('x-gproxy-route'))).toMatchObject({ member: '1', attempts: '2' });
      return;
    }
    // The first chunk reached the client: the stream ends in the wire's error event instead.
    expect(routeFields(res.headers.get('x-gproxy-route'))).toMatchObject({
      member: '0',
      provider: 'reset-chunk',
      attempts: '1',
    });
    const events = sseEvents(await res.text());
    expect(events[0]?.data).toContain('Partial');
    expect(JSON.parse(events.at(-1)!.data)).toMatchObject({ error: { code: 'upstream_unreachable' } });
    expect(upstream.requests).toHaveLength(0);
  });

  it('hands a permanent 4xx back untouched, without trying another member', async () => {
    const res = await chat(`via-p400-${variant}`, stream);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(fakeErrorBody('openai-chat', 400));
    expect(routeFields(res.headers.get('x-gproxy-route'))).toMatchObject({
      route: `via-p400-${variant}`,
      member: '0',
      provider: 'p400',
      attempts: '1',
    });
    expect(keysSeen()).toEqual(['k-400']);
  });

  it('stops after GPROXY_MAX_ATTEMPTS and answers with the last upstream error', async () => {
    const res = await chat(`all-500-${variant}`, stream);
    expect(res.status).toBe(500);
    expect(routeFields(res.headers.get('x-gproxy-route'))).toMatchObject({
      member: '2',
      model: 'm3',
      attempts: '3',
    });
    expect(upstream.requests.map((r) => (r.json as { model: string }).model)).toEqual(['m1', 'm2', 'm3']);
  });

  it('skips a member that cannot serve the request, without an attempt', async () => {
    const res = await chat(`via-claude-only-${variant}`, stream);
    expect(res.status).toBe(200);
    expect(routeFields(res.headers.get('x-gproxy-route'))).toMatchObject({
      member: '1',
      provider: 'good',
      attempts: '1',
    });
  });
});

describe('everything cooling down', () => {
  it('answers at once with 429 and Retry-After, still saying which route it was', async () => {
    const first = await chat('only-429', false);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('120');
    const res = await chat('only-429', false);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(100);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect(routeFields(res.headers.get('x-gproxy-route'))).toEqual({
      route: 'only-429',
      member: '-',
      provider: '-',
      model: '-',
      credential: '-',
      attempts: '0',
    });
    expect(keysSeen()).toEqual(['k-429']);
  });
});

describe('defaults', () => {
  it('allows 6 attempts and 1024 requests in flight unless configured', () => {
    const config = serveConfig({}, {});
    expect(config.maxAttempts).toBe(6);
    expect(config.maxInFlight).toBe(1024);
    expect(serveConfig({ 'max-in-flight': '8' }, { GPROXY_MAX_IN_FLIGHT: '16' }).maxInFlight).toBe(8);
    expect(serveConfig({}, { GPROXY_MAX_IN_FLIGHT: '16' }).maxInFlight).toBe(16);
    expect(() => serveConfig({}, { GPROXY_MAX_IN_FLIGHT: '0' })).toThrow(/GPROXY_MAX_IN_FLIGHT/);
  });
});
