import { testServices } from '../test-services';
import { describe, expect, it } from 'vitest';
import type { PrepareInput } from '../contract';
import { anthropicChannel } from './channel';

const BODY = '{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}';

const base: PrepareInput = {
  provider: { name: 'anthropic-main', settings: {} },
  credential: { label: 'key-1', secret: { api_key: 'sk-ant-upstream' } },
  operation: { operation: 'generate-content', wire: 'claude' },
  stream: false,
  streamFormat: 'sse',
  upstreamModel: 'claude-sonnet-4-5',
  body: BODY,
  clientHeaders: { 'x-api-key': 'sk-gp-client', authorization: 'Bearer sk-gp-client', cookie: 'a=b' },
  services: testServices(),
  signal: new AbortController().signal,
};

describe('anthropic channel', () => {
  it('prepares a message: URL, x-api-key injected, default version, client auth not forwarded, body unchanged', () => {
    expect(anthropicChannel.prepare(base)).toEqual({
      method: 'POST',
      url: 'https://api.anthropic.com/v1/messages',
      headers: {
        'anthropic-version': '2023-06-01',
        'content-type': 'application/json',
        'x-api-key': 'sk-ant-upstream',
      },
      body: BODY,
    });
  });

  it("forwards the client's anthropic-version and anthropic-beta", () => {
    const request = anthropicChannel.prepare({
      ...base,
      provider: { name: 'p', settings: { base_url: 'http://127.0.0.1:9100/v1' } },
      clientHeaders: {
        ...base.clientHeaders,
        'anthropic-version': '2024-01-01',
        'anthropic-beta': 'tools-2024-04-04',
      },
    });
    expect(request.url).toBe('http://127.0.0.1:9100/v1/messages');
    expect(request.headers).toEqual({
      'anthropic-version': '2024-01-01',
      'anthropic-beta': 'tools-2024-04-04',
      'content-type': 'application/json',
      'x-api-key': 'sk-ant-upstream',
    });
  });

  it('passes the claude wire through and converts the others to claude', () => {
    expect(
      anthropicChannel.routingRule({ operation: 'generate-content', wire: 'claude' }, base.provider).kind,
    ).toBe('passthrough');
    expect(
      anthropicChannel.routingRule({ operation: 'generate-content', wire: 'openai-chat' }, base.provider),
    ).toEqual({ kind: 'convert', to: 'claude' });
    expect(() =>
      anthropicChannel.prepare({
        ...base,
        operation: { operation: 'generate-content', wire: 'openai-chat' },
      }),
    ).toThrow(/does not serve/);
  });

  it('treats 529 overloaded as transient', () => {
    expect(anthropicChannel.classify({ status: 529, headers: {}, now: 0 })).toEqual({ kind: 'transient' });
  });
});

describe('anthropic structured outputs', () => {
  const input = {
    provider: { name: 'an', settings: {} },
    credential: { label: 'main', secret: { api_key: 'sk-ant' } },
    operation: { operation: 'generate-content' as const, wire: 'claude' as const },
    stream: false,
    streamFormat: 'sse' as const,
    upstreamModel: 'claude-x',
    clientHeaders: {},
    services: testServices(),
    signal: new AbortController().signal,
  };

  it('names the structured-outputs beta when the body uses output_format, keeping client betas', () => {
    const body = JSON.stringify({
      model: 'claude-x',
      output_format: { type: 'json_schema', schema: {} },
      messages: [],
    });
    expect(anthropicChannel.prepare({ ...input, body }).headers['anthropic-beta']).toBe(
      'structured-outputs-2025-11-13',
    );
    const withClient = anthropicChannel.prepare({
      ...input,
      body,
      clientHeaders: { 'anthropic-beta': 'files-api-2025-04-14' },
    });
    expect(withClient.headers['anthropic-beta']).toBe('files-api-2025-04-14,structured-outputs-2025-11-13');
    expect(
      anthropicChannel.prepare({ ...input, body: '{"messages":[]}' }).headers['anthropic-beta'],
    ).toBeUndefined();
  });
});
