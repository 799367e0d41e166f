/**
 * Names on a real server: regex aliases (full match, groups in the target), provider-scoped aliases
 * in `provider/model` addressing and on scoped endpoints (`/{provider}/v1/...`,
 * `/{provider}/v1beta/...`), and 404s in the client's own format for unknown providers.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { startTestGateway, USER_KEY, type TestGateway } from '../support/gateway';
import { poster, routeFields } from './routing-support';

let upstream: FakeUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  gateway = await startTestGateway({
    version: 1,
    providers: [
      {
        name: 'oa',
        channel: 'openai',
        settings: { base_url: `${upstream.url}/v1` },
        credentials: [{ label: 'main', secret: { api_key: 'k-oa' } }],
      },
      {
        name: 'an',
        channel: 'anthropic',
        settings: { base_url: `${upstream.url}/v1` },
        credentials: [{ label: 'main', secret: { api_key: 'k-an' } }],
      },
      {
        name: 'ge',
        channel: 'gemini',
        settings: { base_url: `${upstream.url}/v1beta` },
        credentials: [{ label: 'main', secret: { api_key: 'k-ge' } }],
      },
    ],
    routes: [
      { name: 'gpt-fast', members: [{ provider: 'oa', model: 'gpt-4o-mini' }] },
      { name: 'gpt-smart', members: [{ provider: 'oa', model: 'gpt-4o' }] },
    ],
    aliases: [
      { name: 'fast', target: 'gpt-fast' },
      { name: 'claude-(.+)', target: 'an/claude-$1', kind: 'regex' },
      { name: 'team-(?<level>fast|smart)', target: 'gpt-$<level>', kind: 'regex' },
      { name: 'mini', target: 'gpt-4o-mini', provider: 'oa' },
      { name: 'sonnet', target: 'claude-sonnet-4-5', provider: 'an' },
      { name: 'g-(.*)', target: 'gemini-$1', kind: 'regex', provider: 'ge' },
    ],
    users: [{ name: 'alice', permissions: ['*'], keys: [{ label: 'k', key: USER_KEY }] }],
  });
});
afterAll(async () => {
  await gateway.dispose();
  await upstream.close();
});
beforeEach(() => upstream.reset());

const post = poster(() => gateway.url, USER_KEY);
const chatBody = (model: string) => ({ model, messages: [{ role: 'user', content: 'hi' }] });
const claudeBody = (model: string) => ({ ...chatBody(model), max_tokens: 16 });
const geminiBody = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };

function lastUpstream() {
  const request = upstream.requests.at(-1);
  if (request === undefined) throw new Error('the upstream saw no request');
  return { path: request.path, model: (request.json as { model?: string } | undefined)?.model };
}

describe('regex aliases', () => {
  it('match the whole name and put its groups into the target', async () => {
    const res = await post('/v1/chat/completions', chatBody('claude-haiku-9'));
    expect(res.status).toBe(200);
    expect(lastUpstream()).toEqual({ path: '/v1/messages', model: 'claude-haiku-9' });
    expect(routeFields(res.headers.get('x-gproxy-route'))).toMatchObject({
      route: '-',
      member: '-',
      provider: 'an',
      model: 'claude-haiku-9',
    });

    const named = await post('/v1/chat/completions', chatBody('team-smart'));
    expect(named.status).toBe(200);
    expect(routeFields(named.headers.get('x-gproxy-route'))).toMatchObject({
      route: 'gpt-smart',
      member: '0',
    });
    expect(lastUpstream().model).toBe('gpt-4o');

    // "team-smarter" is not a full match.
    expect((await post('/v1/chat/completions', chatBody('team-smarter'))).status).toBe(404);
  });
});

describe('provider-scoped aliases and scoped endpoints', () => {
  it("rename a provider's model ids in provider/model addressing", async () => {
    expect((await post('/v1/chat/completions', chatBody('oa/mini'))).status).toBe(200);
    expect(lastUpstream().model).toBe('gpt-4o-mini');
    // Another provider's alias does not apply.
    expect((await post('/v1/chat/completions', chatBody('oa/sonnet'))).status).toBe(200);
    expect(lastUpstream().model).toBe('sonnet');
  });

  it('reach one provider with its own model ids on /{provider}/v1 for OpenAI and Claude clients', async () => {
    const openai = await post('/oa/v1/chat/completions', chatBody('gpt-4.1'));
    expect(openai.status).toBe(200);
    expect(lastUpstream()).toEqual({ path: '/v1/chat/completions', model: 'gpt-4.1' });
    expect(routeFields(openai.headers.get('x-gproxy-route'))).toMatchObject({ route: '-', provider: 'oa' });

    // Global aliases and routes do not apply on a scoped endpoint; the provider's own do.
    expect((await post('/oa/v1/chat/completions', chatBody('fast'))).status).toBe(200);
    expect(lastUpstream().model).toBe('fast');
    expect((await post('/oa/v1/responses', { model: 'mini', input: 'hi' })).status).toBe(200);
    expect(lastUpstream()).toEqual({ path: '/v1/responses', model: 'gpt-4o-mini' });

    const claude = await post('/an/v1/messages', claudeBody('sonnet'));
    expect(claude.status).toBe(200);
    expect(lastUpstream()).toEqual({ path: '/v1/messages', model: 'claude-sonnet-4-5' });
    // Another wire on a scoped endpoint is converted as anywhere else.
    expect((await post('/an/v1/chat/completions', chatBody('claude-opus-4-1'))).status).toBe(200);
    expect(lastUpstream()).toEqual({ path: '/v1/messages', model: 'claude-opus-4-1' });
  });

  it('reach one provider on /{provider}/v1beta for Gemini clients, streaming too', async () => {
    const res = await post('/ge/v1beta/models/g-2.5-flash:generateContent', geminiBody);
    expect(res.status).toBe(200);
    expect(lastUpstream().path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    const stream = await post('/ge/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse', geminiBody);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    expect(await stream.text()).toContain('"candidates"');
    expect(lastUpstream().path).toBe('/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse');
  });

  it("answers an unknown provider with 404 in the client's own format", async () => {
    const openai = await post('/nope/v1/chat/completions', chatBody('gpt-4o'));
    expect(openai.status).toBe(404);
    expect(((await openai.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'not_found',
      message: "No provider named 'nope'.",
    });
    const claude = await post('/nope/v1/messages', claudeBody('x'));
    expect(claude.status).toBe(404);
    expect(((await claude.json()) as { type: string; error: { type: string } }).error.type).toBe(
      'not_found_error',
    );
    const gemini = await post('/nope/v1beta/models/x:generateContent', geminiBody);
    expect(gemini.status).toBe(404);
    expect(((await gemini.json()) as { error: { status: string } }).error.status).toBe('NOT_FOUND');
    const unknownPath = await post('/oa/v1beta/models/x:embedContent', geminiBody);
    expect(unknownPath.status).toBe(404);
    expect(((await unknownPath.json()) as { error: { status: string } }).error.status).toBe('NOT_FOUND');
    expect(upstream.requests).toHaveLength(0);
  });

  it('asks for the user key first: an unauthenticated caller learns nothing about providers', async () => {
    const res = await fetch(`${gateway.url}/nope/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(chatBody('x')),
    });
    expect(res.status).toBe(401);
  });
});
