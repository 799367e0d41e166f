/**
 * Route affinity on a real server: a subject (user key, `x-gproxy-session-id`, or conversation
 * head) stays on one member and credential while they are healthy, the session header never
 * reaches the upstream, and a pinned candidate that cools down gives way to the normal order.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { startTestGateway, USER_KEY, type TestGateway } from '../support/gateway';
import { poster } from './routing-support';

const OTHER_KEY = 'sk-gp-bob-routing-affinity-0001';
let upstream: FakeUpstream;
let gateway: TestGateway;

/** Two members on one provider with two credentials: four candidates, taken in turns. */
const route = (name: string, affinity: unknown) => ({
  name,
  strategy: 'round_robin',
  affinity,
  members: [
    { provider: 'pool', model: `${name}-a` },
    { provider: 'pool', model: `${name}-b` },
  ],
});

beforeAll(async () => {
  upstream = await startFakeUpstream();
  gateway = await startTestGateway({
    version: 1,
    providers: [
      {
        name: 'pool',
        channel: 'openai',
        settings: { base_url: `${upstream.url}/v1` },
        credentials: [
          { label: 'a', secret: { api_key: 'key-a' } },
          { label: 'b', secret: { api_key: 'key-b' } },
        ],
      },
    ],
    routes: [
      route('plain', null),
      route('by-user', { subject: 'user_key', ttl_seconds: 600 }),
      route('by-session', { subject: 'session' }),
      route('by-conversation', { subject: 'conversation' }),
      route('by-user-cooling', { subject: 'user_key' }),
    ],
    users: [
      { name: 'alice', permissions: ['*'], keys: [{ label: 'k', key: USER_KEY }] },
      { name: 'bob', permissions: ['*'], keys: [{ label: 'k', key: OTHER_KEY }] },
    ],
  });
});
afterAll(async () => {
  await gateway.dispose();
  await upstream.close();
});
beforeEach(() => upstream.reset());

const asAlice = poster(() => gateway.url, USER_KEY);
const asBob = poster(() => gateway.url, OTHER_KEY);

/** "model key" of each upstream request, in order. */
const served = (): string[] =>
  upstream.requests.map(
    (r) =>
      `${(r.json as { model: string }).model} ${(r.headers['authorization'] ?? '').replace('Bearer ', '')}`,
  );

async function send(
  post: typeof asAlice,
  model: string,
  messages = [{ role: 'user', content: 'hi' }],
  headers: Record<string, string> = {},
): Promise<void> {
  const res = await post('/v1/chat/completions', { model, messages }, headers);
  expect(res.status).toBe(200);
  await res.text();
}

describe('affinity', () => {
  it('without it, a round_robin route spreads requests over members and credentials', async () => {
    for (let i = 0; i < 8; i++) await send(asAlice, 'plain');
    const seen = served();
    expect(new Set(seen.map((s) => s.split(' ')[0])).size).toBe(2);
    expect(new Set(seen.map((s) => s.split(' ')[1])).size).toBe(2);
  });

  it('keeps a user key on one member and credential; another key gets its own', async () => {
    for (let i = 0; i < 6; i++) await send(asAlice, 'by-user');
    const alice = new Set(served());
    expect(alice.size).toBe(1);
    upstream.reset();
    for (let i = 0; i < 6; i++) await send(asBob, 'by-user');
    expect(new Set(served()).size).toBe(1);
  });

  it('keeps a session on one candidate and never sends the session header upstream', async () => {
    for (const session of ['s-1', 's-2', 's-1', 's-2', 's-1', 's-2']) {
      await send(asAlice, 'by-session', undefined, { 'x-gproxy-session-id': session });
    }
    const seen = served();
    expect(new Set([seen[0], seen[2], seen[4]]).size).toBe(1);
    expect(new Set([seen[1], seen[3], seen[5]]).size).toBe(1);
    expect(upstream.requests.every((r) => r.headers['x-gproxy-session-id'] === undefined)).toBe(true);
    // Without the header the route takes its normal order.
    upstream.reset();
    for (let i = 0; i < 8; i++) await send(asAlice, 'by-session');
    expect(new Set(served()).size).toBeGreaterThan(1);
  });

  it('keeps every turn of a conversation where its first turn went', async () => {
    const opening = (topic: string) => [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: `Tell me about ${topic}` },
    ];
    await send(asAlice, 'by-conversation', opening('owls'));
    await send(asAlice, 'by-conversation', opening('bees'));
    for (const topic of ['owls', 'bees', 'owls', 'bees']) {
      await send(asAlice, 'by-conversation', [
        ...opening(topic),
        { role: 'assistant', content: 'Sure.' },
        { role: 'user', content: `More about ${topic}, please` },
      ]);
    }
    const seen = served();
    expect(new Set([seen[0], seen[2], seen[4]]).size).toBe(1);
    expect(new Set([seen[1], seen[3], seen[5]]).size).toBe(1);
  });

  it('gives way when the pinned candidate cools down, and pins the one that answered', async () => {
    await send(asAlice, 'by-user-cooling');
    const [pinned] = served();
    const pinnedKey = pinned!.split(' ')[1]!;
    upstream.behave({ statusByKey: { [pinnedKey]: 429 }, headers: { 'retry-after': '300' } });
    await send(asAlice, 'by-user-cooling');
    // The pin was tried first and refused; the normal order went on to another credential.
    const second = served().slice(1);
    const rescued = second.at(-1)!;
    expect(second[0]).toBe(pinned);
    expect(rescued.endsWith(pinnedKey)).toBe(false);
    const before = served().length;
    for (let i = 0; i < 4; i++) await send(asAlice, 'by-user-cooling');
    // Cooling, the old pin is not even tried: the subject now stays where it was rescued.
    expect(served().slice(before)).toEqual(Array(4).fill(rescued));
  });
});
