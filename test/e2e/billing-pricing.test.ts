/**
 * Pricing end to end: each wire's reported usage (cache reads, cache writes 5 min / 1 h, reasoning,
 * tiers) becomes the exact cost of its usage record; unpriced requests are flagged (never $0) and
 * refused when `refuse_unpriced` is on; price rules are records of the admin API and of bundles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { startTestGateway, USER_KEY, type TestGateway } from '../support/gateway';
import { ADMIN_KEY, call, ledgerRecord, pico, pricedBundle } from './billing-support';

let upstream: FakeUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  gateway = await startTestGateway(pricedBundle(upstream.url));
});
afterAll(async () => {
  await gateway.dispose();
  await upstream.close();
});

const chat = (model: string, extra: Record<string, unknown> = {}) => ({
  model,
  messages: [{ role: 'user', content: 'hi' }],
  ...extra,
});

async function admin(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${gateway.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe('cost per wire', () => {
  it('OpenAI Chat: prompt and completion at the operator rule', async () => {
    upstream.reset();
    const done = await call(gateway.url, '/v1/chat/completions', chat('fast'));
    expect(done.status).toBe(200);
    const record = await ledgerRecord(gateway.url, done.requestId);
    expect(record).toMatchObject({ priced: true, priceRule: 'oa-mini', usageSource: 'upstream-reported' });
    expect(record['costPicoUsd']).toBe(String(pico(12, 1) + pico(8, 2)));
  });

  it('OpenAI Responses: cached input at its own price, reasoning inside output', async () => {
    const done = await call(gateway.url, '/v1/responses', { model: 'fast', input: 'hi' });
    expect(done.status).toBe(200);
    const record = await ledgerRecord(gateway.url, done.requestId);
    // 30 input of which 10 cached; 9 output (3 reasoning, billed as output).
    expect(record['costPicoUsd']).toBe(String(pico(20, 1) + pico(10, 0.5) + pico(9, 2)));
  });

  it('Claude: input excludes cache reads and writes; 5-minute and 1-hour writes priced apart', async () => {
    upstream.behave({
      script: {
        claude: {
          json: {
            id: 'msg_1h',
            type: 'message',
            role: 'assistant',
            model: 'claude-haiku-4-5',
            content: [{ type: 'text', text: 'ok' }],
            stop_reason: 'end_turn',
            stop_sequence: null,
            usage: {
              input_tokens: 11,
              cache_read_input_tokens: 20,
              cache_creation_input_tokens: 5,
              cache_creation: { ephemeral_5m_input_tokens: 2, ephemeral_1h_input_tokens: 3 },
              output_tokens: 7,
            },
          },
          frames: [],
        },
      },
    });
    const body = { model: 'claude-fast', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] };
    const done = await call(gateway.url, '/v1/messages', body, { 'anthropic-version': '2023-06-01' });
    expect(done.status).toBe(200);
    const record = await ledgerRecord(gateway.url, done.requestId);
    expect(record).toMatchObject({
      inputTokens: 36,
      cachedInputTokens: 20,
      cacheCreationTokens: 5,
      cacheCreation1hTokens: 3,
      priceRule: 'an-haiku',
    });
    const expected = pico(11, 1) + pico(20, 0.1) + pico(2, 1.25) + pico(3, 2) + pico(7, 5);
    expect(record['costPicoUsd']).toBe(String(expected));
  });

  it('Claude stream: usage from message_start and message_delta is priced the same way', async () => {
    const body = {
      model: 'claude-fast',
      max_tokens: 64,
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    };
    const done = await call(gateway.url, '/v1/messages', body, { 'anthropic-version': '2023-06-01' });
    expect(done.status).toBe(200);
    const record = await ledgerRecord(gateway.url, done.requestId);
    expect(record['costPicoUsd']).toBe(String(pico(11, 1) + pico(20, 0.1) + pico(5, 1.25) + pico(7, 5)));
  });

  it('Gemini: thoughts added to output; a long prompt takes the tier price (glob rule)', async () => {
    const body = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };
    const done = await call(gateway.url, '/v1beta/models/gemini-fast:generateContent', body, {
      'x-goog-api-key': USER_KEY,
    });
    expect(done.status).toBe(200);
    const record = await ledgerRecord(gateway.url, done.requestId);
    // 14 prompt tokens (4 cached) is above the tier's 10: input 0.6, output 5; cached keeps 0.03.
    expect(record).toMatchObject({
      inputTokens: 14,
      outputTokens: 8,
      reasoningTokens: 2,
      priceRule: 'ge-flash',
    });
    expect(record['costPicoUsd']).toBe(String(pico(10, 0.6) + pico(4, 0.03) + pico(8, 5)));
  });

  it('a converted request is priced at the upstream model (OpenAI client, Claude upstream)', async () => {
    const done = await call(gateway.url, '/v1/chat/completions', chat('claude-fast'));
    expect(done.status).toBe(200);
    const record = await ledgerRecord(gateway.url, done.requestId);
    expect(record).toMatchObject({ upstreamModel: 'claude-haiku-4-5', priceRule: 'an-haiku' });
    expect(record['costPicoUsd']).toBe(String(pico(11, 1) + pico(20, 0.1) + pico(5, 1.25) + pico(7, 5)));
  });
});

describe('unpriced', () => {
  it('flags a request without a price rule: cost null, never 0', async () => {
    const done = await call(gateway.url, '/v1/chat/completions', chat('mock-route'));
    expect(done.status).toBe(200);
    const record = await ledgerRecord(gateway.url, done.requestId);
    expect(record).toMatchObject({ priced: false, costPicoUsd: null, priceRule: null });
  });

  it('refuses it before sending when refuse_unpriced is on, in the client format', async () => {
    expect((await admin('PATCH', '/admin/settings', { refuse_unpriced: true })).status).toBe(200);
    try {
      const refused = await call(gateway.url, '/v1/chat/completions', chat('mock-route'));
      expect(refused.status).toBe(403);
      expect(JSON.parse(refused.text)).toMatchObject({ error: { code: 'unpriced_model', param: 'model' } });
      const claude = await call(
        gateway.url,
        '/v1/messages',
        { model: 'mock-route', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] },
        { 'anthropic-version': '2023-06-01' },
      );
      expect(claude.status).toBe(403);
      expect(JSON.parse(claude.text)).toMatchObject({ type: 'error', error: { type: 'permission_error' } });
      const record = await ledgerRecord(gateway.url, refused.requestId);
      expect(record).toMatchObject({
        endState: 'rejected',
        errorCode: 'unpriced_model',
        usageSource: 'none',
      });
      // Priced routes still pass.
      expect((await call(gateway.url, '/v1/chat/completions', chat('fast'))).status).toBe(200);
    } finally {
      await admin('PATCH', '/admin/settings', { refuse_unpriced: false });
    }
  });
});

describe('price rules as records', () => {
  it('are created, read, changed, renamed and deleted through /admin/prices, and exported', async () => {
    const created = await admin('POST', '/admin/prices', {
      name: 'mock',
      model: 'mock-1',
      input: 0,
      output: '0',
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ name: 'mock', model: 'mock-1', input: '0', match: 'exact' });
    expect(
      (await admin('POST', '/admin/prices', { name: 'mock', model: 'x', input: 1, output: 1 })).status,
    ).toBe(409);
    const bad = await admin('POST', '/admin/prices', { name: 'b', model: 'x', input: '-1', output: 1 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^input: /);

    // The new rule prices mock-1 from the next request on: "0" is an explicit free price.
    const done = await call(gateway.url, '/v1/chat/completions', chat('mock-route'));
    expect(await ledgerRecord(gateway.url, done.requestId)).toMatchObject({
      priced: true,
      costPicoUsd: '0',
      priceRule: 'mock',
    });

    const patched = await admin('PATCH', '/admin/prices/mock', { name: 'mock-free', source: 'local' });
    expect(await patched.json()).toMatchObject({ name: 'mock-free', source: 'local', model: 'mock-1' });
    const bundle = (await (await admin('GET', '/admin/bundle')).json()) as { prices: { name: string }[] };
    expect(bundle.prices.map((rule) => rule.name)).toEqual(['oa-mini', 'an-haiku', 'ge-flash', 'mock-free']);
    expect((await admin('DELETE', '/admin/prices/mock-free')).status).toBe(204);
    expect((await admin('GET', '/admin/prices/mock-free')).status).toBe(404);
  });

  it('rolls usage up per hour for the admin API and for the user', async () => {
    const rollups = (await (await admin('GET', '/admin/usage/rollups?user=alice&route=gpt-fast')).json()) as {
      data: { requests: number; costPicoUsd: string; routeName: string }[];
    };
    expect(rollups.data.length).toBeGreaterThan(0);
    expect(rollups.data.every((rollup) => rollup.routeName === 'gpt-fast')).toBe(true);
    const own = await fetch(`${gateway.url}/v1/gproxy/usage/rollups`, {
      headers: { authorization: `Bearer ${USER_KEY}` },
    });
    expect(own.status).toBe(200);
    const mine = (await own.json()) as { data: { requests: number }[] };
    expect(mine.data.reduce((sum, rollup) => sum + rollup.requests, 0)).toBeGreaterThan(3);
    const anonymous = await fetch(`${gateway.url}/v1/gproxy/usage`);
    expect(anonymous.status).toBe(401);
  });
});
