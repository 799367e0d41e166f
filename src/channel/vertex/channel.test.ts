import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors';
import type { PrepareInput, ProviderContext } from '../contract';
import { testServices } from '../test-services';
import { vertexChannel } from './channel';

const GEMINI_BODY = '{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}';
const CLAUDE_BODY =
  '{"model":"claude-sonnet-4-5@20250929","max_tokens":1024,"messages":[{"role":"user","content":"hi"}],"temperature":0.5,"metadata":{"user_id":"u1"}}';

const google: ProviderContext = { name: 'vertex-gemini', settings: { project: 'my-proj' } };
const anthropic: ProviderContext = {
  name: 'vertex-claude',
  settings: { project: 'my-proj', publisher: 'anthropic', location: 'us-east5' },
};

const base: PrepareInput = {
  provider: google,
  credential: { label: 'token-1', secret: { access_token: 'ya29.ready' } },
  operation: { operation: 'generate-content', wire: 'gemini' },
  stream: false,
  streamFormat: 'sse',
  upstreamModel: 'gemini-2.5-flash',
  body: GEMINI_BODY,
  clientHeaders: {
    authorization: 'Bearer sk-gp-client',
    'x-goog-api-key': 'sk-gp-client',
    'anthropic-beta': 'context-1m-2025-08-07',
    'anthropic-version': '2023-06-01',
  },
  services: testServices(),
  signal: new AbortController().signal,
};

const claudeInput: PrepareInput = {
  ...base,
  provider: anthropic,
  operation: { operation: 'generate-content', wire: 'claude' },
  upstreamModel: 'claude-sonnet-4-5@20250929',
  body: CLAUDE_BODY,
};

const REGIONAL = 'https://us-central1-aiplatform.googleapis.com/v1/projects/my-proj/locations/us-central1';
const GLOBAL = 'https://aiplatform.googleapis.com/v1/projects/my-proj/locations/global';
const EAST5 = 'https://us-east5-aiplatform.googleapis.com/v1/projects/my-proj/locations/us-east5';

function withSettings(input: PrepareInput, settings: Record<string, unknown>): PrepareInput {
  return { ...input, provider: { ...input.provider, settings: { ...input.provider.settings, ...settings } } };
}

describe('vertex channel: gemini (publisher google)', () => {
  it('prepares generateContent on the regional host with the bearer token; client auth stays behind', async () => {
    expect(await vertexChannel.prepare(base)).toEqual({
      method: 'POST',
      url: `${REGIONAL}/publishers/google/models/gemini-2.5-flash:generateContent`,
      headers: { 'content-type': 'application/json', authorization: 'Bearer ya29.ready' },
      body: GEMINI_BODY,
    });
  });

  it('streams with alt=sse, or as a JSON array without it', async () => {
    expect((await vertexChannel.prepare({ ...base, stream: true })).url).toBe(
      `${REGIONAL}/publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse`,
    );
    expect((await vertexChannel.prepare({ ...base, stream: true, streamFormat: 'json-array' })).url).toBe(
      `${REGIONAL}/publishers/google/models/gemini-2.5-flash:streamGenerateContent`,
    );
  });

  it('uses aiplatform.googleapis.com for the global location', async () => {
    const input = withSettings(base, { location: 'global' });
    expect((await vertexChannel.prepare(input)).url).toBe(
      `${GLOBAL}/publishers/google/models/gemini-2.5-flash:generateContent`,
    );
    expect((await vertexChannel.prepare({ ...input, stream: true })).url).toBe(
      `${GLOBAL}/publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse`,
    );
  });

  it('normalizes models/ ids, encodes the model and honours base_url', async () => {
    const input = withSettings(base, { base_url: 'http://127.0.0.1:9200/v1/', location: 'europe-west4' });
    expect((await vertexChannel.prepare({ ...input, upstreamModel: 'models/gemini-2.5-pro' })).url).toBe(
      'http://127.0.0.1:9200/v1/projects/my-proj/locations/europe-west4/publishers/google/models/gemini-2.5-pro:generateContent',
    );
    expect((await vertexChannel.prepare({ ...base, upstreamModel: '../x?y=1' })).url).toBe(
      `${REGIONAL}/publishers/google/models/..%2Fx%3Fy%3D1:generateContent`,
    );
  });
});

describe('vertex channel: claude (publisher anthropic)', () => {
  it('prepares rawPredict: no model in the body, the Vertex anthropic_version, everything else kept', async () => {
    const request = await vertexChannel.prepare(claudeInput);
    expect(request).toEqual({
      method: 'POST',
      url: `${EAST5}/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict`,
      headers: {
        'anthropic-beta': 'context-1m-2025-08-07',
        'content-type': 'application/json',
        authorization: 'Bearer ya29.ready',
      },
      body: '{"anthropic_version":"vertex-2023-10-16","max_tokens":1024,"messages":[{"role":"user","content":"hi"}],"temperature":0.5,"metadata":{"user_id":"u1"}}',
    });
  });

  it('streams with streamRawPredict and keeps the stream flag in the body', async () => {
    const body = '{"model":"claude-opus-4-1","stream":true,"max_tokens":5,"messages":[]}';
    const request = await vertexChannel.prepare({
      ...claudeInput,
      stream: true,
      upstreamModel: 'claude-opus-4-1',
      body,
    });
    expect(request.url).toBe(`${EAST5}/publishers/anthropic/models/claude-opus-4-1:streamRawPredict`);
    expect(request.body).toBe(
      '{"anthropic_version":"vertex-2023-10-16","stream":true,"max_tokens":5,"messages":[]}',
    );
  });

  it('serves the global location too', async () => {
    const input = withSettings(claudeInput, { location: 'global' });
    expect((await vertexChannel.prepare(input)).url).toBe(
      `${GLOBAL}/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict`,
    );
    expect((await vertexChannel.prepare({ ...input, stream: true })).url).toBe(
      `${GLOBAL}/publishers/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict`,
    );
  });

  it('replaces a client-sent anthropic_version, since Vertex knows only its own', async () => {
    const body = '{"anthropic_version":"2023-06-01","model":"m","messages":[]}';
    expect((await vertexChannel.prepare({ ...claudeInput, body })).body).toBe(
      '{"anthropic_version":"vertex-2023-10-16","messages":[]}',
    );
  });
});

describe('vertex channel: endpoint overrides', () => {
  it('calls the generate-content:gemini override, adjusted for streaming', async () => {
    const input = withSettings(base, {
      endpoints: { 'generate-content:gemini': 'http://127.0.0.1:9300/gw/{model}:generateContent' },
    });
    expect((await vertexChannel.prepare(input)).url).toBe(
      'http://127.0.0.1:9300/gw/gemini-2.5-flash:generateContent',
    );
    expect((await vertexChannel.prepare({ ...input, stream: true })).url).toBe(
      'http://127.0.0.1:9300/gw/gemini-2.5-flash:streamGenerateContent?alt=sse',
    );
  });

  it('calls the generate-content:claude override, streamRawPredict when streaming', async () => {
    const input = withSettings(claudeInput, {
      endpoints: { 'generate-content:claude': 'http://127.0.0.1:9300/gw/{model}:rawPredict?x=1' },
    });
    expect((await vertexChannel.prepare(input)).url).toBe(
      'http://127.0.0.1:9300/gw/claude-sonnet-4-5%4020250929:rawPredict?x=1',
    );
    expect((await vertexChannel.prepare({ ...input, stream: true })).url).toBe(
      'http://127.0.0.1:9300/gw/claude-sonnet-4-5%4020250929:streamRawPredict?x=1',
    );
  });

  it('needs no project when an override names the whole URL', async () => {
    const input = {
      ...base,
      provider: {
        name: 'p',
        settings: { endpoints: { 'generate-content:gemini': 'http://127.0.0.1:9300/{model}' } },
      },
    };
    expect((await vertexChannel.prepare(input)).url).toBe('http://127.0.0.1:9300/gemini-2.5-flash');
  });
});

describe('vertex channel: routing by publisher', () => {
  const op = (wire: 'gemini' | 'claude' | 'openai-chat') => ({
    operation: 'generate-content' as const,
    wire,
  });

  it('passes the publisher wire through and converts the others to it', () => {
    expect(vertexChannel.routingRule(op('gemini'), google)).toEqual({ kind: 'passthrough' });
    expect(vertexChannel.routingRule(op('claude'), google)).toEqual({ kind: 'convert', to: 'gemini' });
    expect(vertexChannel.routingRule(op('claude'), anthropic)).toEqual({ kind: 'passthrough' });
    expect(vertexChannel.routingRule(op('gemini'), anthropic)).toEqual({ kind: 'convert', to: 'claude' });
    expect(vertexChannel.routingRule(op('openai-chat'), anthropic)).toEqual({
      kind: 'convert',
      to: 'claude',
    });
  });

  it('serves nothing for an unknown publisher, and prepare names the setting', async () => {
    const meta = { name: 'bad', settings: { publisher: 'meta', project: 'p' } };
    expect(vertexChannel.routingRule(op('gemini'), meta)).toEqual({ kind: 'unsupported' });
    await expect(vertexChannel.prepare({ ...base, provider: meta })).rejects.toThrow(/publisher/);
  });

  it('refuses a wire the publisher does not speak', async () => {
    await expect(vertexChannel.prepare({ ...claudeInput, provider: google })).rejects.toMatchObject({
      code: 'unsupported_operation',
    });
  });
});

describe('vertex channel: configuration errors', () => {
  it('needs a project when the credential is a bare access token', async () => {
    const input = { ...base, provider: { name: 'p', settings: {} } };
    await expect(vertexChannel.prepare(input)).rejects.toThrow(/setting "project" is required/);
  });

  it('rejects a location that could change the host', async () => {
    const input = withSettings(base, { location: 'evil.com/x' });
    await expect(vertexChannel.prepare(input)).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('needs a service_account or an access_token', async () => {
    const error: unknown = await vertexChannel
      .prepare({ ...base, credential: { label: 'c', secret: {} } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).message).toMatch(/neither "service_account" nor "access_token"/);
  });

  it('reports a service_account that is not a key file', async () => {
    for (const [text, message] of [
      ['not json', /is not a JSON object/],
      ['{"private_key":"x"}', /has no "client_email"/],
      ['{"client_email":"a@b"}', /has no "private_key"/],
    ] as const) {
      const input = { ...base, credential: { label: 'sa', secret: { service_account: text } } };
      await expect(vertexChannel.prepare(input)).rejects.toThrow(message);
    }
  });
});
