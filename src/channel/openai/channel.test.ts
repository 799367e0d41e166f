import { testServices } from '../test-services';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors';
import type { PrepareInput } from '../contract';
import { openAiChannel } from './channel';

const BODY = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"stream":true}';

const base: PrepareInput = {
  provider: { name: 'openai-main', settings: {} },
  credential: { label: 'key-1', secret: { api_key: 'sk-upstream' } },
  operation: { operation: 'generate-content', wire: 'openai-chat' },
  stream: true,
  streamFormat: 'sse',
  upstreamModel: 'gpt-4o-mini',
  body: BODY,
  clientHeaders: {
    authorization: 'Bearer sk-gp-client',
    'x-api-key': 'client',
    'x-goog-api-key': 'client',
    cookie: 'session=1',
    'openai-beta': 'assistants=v2',
    'user-agent': 'client/1.0',
  },
  services: testServices(),
  signal: new AbortController().signal,
};

describe('openai channel', () => {
  it('prepares a chat completion: URL, auth injected, client auth not forwarded, body unchanged', () => {
    expect(openAiChannel.prepare(base)).toEqual({
      method: 'POST',
      url: 'https://api.openai.com/v1/chat/completions',
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer sk-upstream',
        'openai-beta': 'assistants=v2',
      },
      body: BODY,
    });
  });

  it('prepares a Responses request against a custom base URL with organization and project', () => {
    const request = openAiChannel.prepare({
      ...base,
      provider: {
        name: 'compat',
        settings: { base_url: 'http://127.0.0.1:9100/v1/', organization: 'org-1', project: 'proj-1' },
      },
      operation: { operation: 'generate-content', wire: 'openai-responses' },
      clientHeaders: {},
    });
    expect(request.url).toBe('http://127.0.0.1:9100/v1/responses');
    expect(request.headers).toEqual({
      'content-type': 'application/json',
      authorization: 'Bearer sk-upstream',
      'openai-organization': 'org-1',
      'openai-project': 'proj-1',
    });
  });

  it('rejects bad settings and missing secrets as invalid_request', () => {
    const bad: PrepareInput[] = [
      { ...base, provider: { name: 'p', settings: { base_url: 'not a url' } } },
      { ...base, provider: { name: 'p', settings: { base_url: 'ftp://x' } } },
      { ...base, provider: { name: 'p', settings: { organization: 42 } } },
      { ...base, credential: { label: 'empty', secret: {} } },
    ];
    for (const input of bad) {
      expect(() => openAiChannel.prepare(input)).toThrow(GatewayError);
    }
  });

  it('passes OpenAI wires through and converts the others to chat, or to the one `wire` setting', () => {
    const provider = base.provider;
    expect(
      openAiChannel.routingRule({ operation: 'generate-content', wire: 'openai-chat' }, provider),
    ).toEqual({
      kind: 'passthrough',
    });
    expect(
      openAiChannel.routingRule({ operation: 'generate-content', wire: 'openai-responses' }, provider),
    ).toEqual({
      kind: 'passthrough',
    });
    expect(openAiChannel.routingRule({ operation: 'generate-content', wire: 'claude' }, provider)).toEqual({
      kind: 'convert',
      to: 'openai-chat',
    });
    const responsesOnly = { ...provider, settings: { ...provider.settings, wire: 'openai-responses' } };
    expect(
      openAiChannel.routingRule({ operation: 'generate-content', wire: 'gemini' }, responsesOnly),
    ).toEqual({
      kind: 'convert',
      to: 'openai-responses',
    });
    expect(
      openAiChannel.routingRule({ operation: 'generate-content', wire: 'openai-chat' }, responsesOnly),
    ).toEqual({
      kind: 'convert',
      to: 'openai-responses',
    });
    // A wire the channel does not speak leaves nothing to serve with.
    const bogus = { ...provider, settings: { ...provider.settings, wire: 'claude' } };
    expect(openAiChannel.routingRule({ operation: 'generate-content', wire: 'gemini' }, bogus)).toEqual({
      kind: 'unsupported',
    });
    expect(openAiChannel.routingRule({ operation: 'list-models', wire: 'openai-chat' }, provider)).toEqual({
      kind: 'unsupported',
    });
    expect(() =>
      openAiChannel.prepare({ ...base, operation: { operation: 'generate-content', wire: 'gemini' } }),
    ).toThrow(/does not serve/);
  });

  it('classifies with the shared status table', () => {
    expect(openAiChannel.classify({ status: 429, headers: { 'retry-after-ms': '250' }, now: 0 })).toEqual({
      kind: 'rate-limited',
      retryAfterMs: 250,
    });
    expect(openAiChannel.classify({ status: 401, headers: {}, now: 0 })).toEqual({ kind: 'auth-dead' });
  });
});
