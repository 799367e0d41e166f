import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors';
import type { PrepareInput, ProviderContext } from '../contract';
import { testServices } from '../test-services';
import { customChannel } from './channel';

const BODY = '{"model":"m-1","messages":[]}';
const BASE = 'http://127.0.0.1:9100/api';

function provider(settings: Record<string, unknown>): ProviderContext {
  return { name: 'my-custom', settings: { base_url: BASE, ...settings } };
}

function input(overrides: Partial<PrepareInput> = {}): PrepareInput {
  return {
    provider: provider({}),
    credential: { label: 'key-1', secret: { api_key: 'k-123' } },
    operation: { operation: 'generate-content', wire: 'openai-chat' },
    stream: false,
    streamFormat: 'sse',
    upstreamModel: 'm-1',
    body: BODY,
    clientHeaders: {
      authorization: 'Bearer sk-gp-client',
      'x-api-key': 'sk-gp-client',
      'x-goog-api-key': 'sk-gp-client',
      'anthropic-beta': 'b-1',
      'openai-beta': 'o-1',
    },
    services: testServices(),
    signal: new AbortController().signal,
    ...overrides,
  };
}

const op = (wire: 'openai-chat' | 'openai-responses' | 'claude' | 'gemini') =>
  ({ operation: 'generate-content', wire }) as const;

describe('custom channel: one wire per provider', () => {
  it('openai-chat (the default wire): {base_url}/chat/completions with Bearer auth', () => {
    expect(customChannel.prepare(input())).toEqual({
      method: 'POST',
      url: `${BASE}/chat/completions`,
      headers: { 'content-type': 'application/json', authorization: 'Bearer k-123', 'openai-beta': 'o-1' },
      body: BODY,
    });
  });

  it('openai-responses: {base_url}/responses with Bearer auth', () => {
    const request = customChannel.prepare(
      input({ provider: provider({ wire: 'openai-responses' }), operation: op('openai-responses') }),
    );
    expect(request.url).toBe(`${BASE}/responses`);
    expect(request.headers).toEqual({
      'content-type': 'application/json',
      authorization: 'Bearer k-123',
      'openai-beta': 'o-1',
    });
  });

  it('claude: {base_url}/messages with x-api-key and anthropic-version, like the anthropic channel', () => {
    const request = customChannel.prepare(
      input({ provider: provider({ wire: 'claude' }), operation: op('claude') }),
    );
    expect(request).toEqual({
      method: 'POST',
      url: `${BASE}/messages`,
      headers: {
        'anthropic-version': '2023-06-01',
        'anthropic-beta': 'b-1',
        'content-type': 'application/json',
        'x-api-key': 'k-123',
      },
      body: BODY,
    });
  });

  it('gemini: {base_url}/models/{model}:method with x-goog-api-key, like the gemini channel', () => {
    const gemini = input({
      provider: provider({ wire: 'gemini' }),
      operation: op('gemini'),
      upstreamModel: 'gem-1',
    });
    expect(customChannel.prepare(gemini)).toEqual({
      method: 'POST',
      url: `${BASE}/models/gem-1:generateContent`,
      headers: { 'content-type': 'application/json', 'x-goog-api-key': 'k-123' },
      body: BODY,
    });
    expect(customChannel.prepare({ ...gemini, stream: true }).url).toBe(
      `${BASE}/models/gem-1:streamGenerateContent?alt=sse`,
    );
  });

  it('routes its one wire through and converts every other wire to it', () => {
    expect(customChannel.routingRule(op('openai-chat'), provider({}))).toEqual({ kind: 'passthrough' });
    expect(customChannel.routingRule(op('claude'), provider({}))).toEqual({
      kind: 'convert',
      to: 'openai-chat',
    });
    const claude = provider({ wire: 'claude' });
    expect(customChannel.routingRule(op('claude'), claude)).toEqual({ kind: 'passthrough' });
    expect(customChannel.routingRule(op('openai-responses'), claude)).toEqual({
      kind: 'convert',
      to: 'claude',
    });
    expect(customChannel.routingRule(op('gemini'), provider({ wire: 'openai-responses' }))).toEqual({
      kind: 'convert',
      to: 'openai-responses',
    });
    expect(customChannel.routingRule({ operation: 'list-models', wire: 'claude' }, claude)).toEqual({
      kind: 'unsupported',
    });
    expect(() => customChannel.prepare(input({ provider: claude }))).toThrow(
      /The custom channel does not serve generate-content in the openai-chat wire/,
    );
  });

  it('lets a bad wire through routing so that prepare names the setting', () => {
    const bad = provider({ wire: 'grpc' });
    expect(customChannel.routingRule(op('openai-chat'), bad)).toEqual({ kind: 'passthrough' });
    expect(() => customChannel.prepare(input({ provider: bad }))).toThrow(
      'Provider "my-custom": setting "wire" must be one of openai-chat, openai-responses, claude, gemini',
    );
  });

  it('requires base_url and an api_key', () => {
    expect(() => customChannel.prepare(input({ provider: { name: 'my-custom', settings: {} } }))).toThrow(
      'Provider "my-custom": setting "base_url" is required',
    );
    expect(() => customChannel.prepare(input({ credential: { label: 'c', secret: {} } }))).toThrow(
      GatewayError,
    );
  });
});

describe('custom channel: auth placement, static headers, endpoints', () => {
  it('sends the key in a named header with no scheme (Azure-style api-key)', () => {
    const request = customChannel.prepare(
      input({ provider: provider({ auth_header: 'Api-Key', auth_scheme: '' }) }),
    );
    expect(request.headers).toEqual({
      'content-type': 'application/json',
      'api-key': 'k-123',
      'openai-beta': 'o-1',
    });
  });

  it('defaults the scheme to Bearer for authorization and to none for other headers', () => {
    const claudeBearer = customChannel.prepare(
      input({
        provider: provider({ wire: 'claude', auth_header: 'authorization' }),
        operation: op('claude'),
      }),
    );
    expect(claudeBearer.headers['authorization']).toBe('Bearer k-123');
    expect(claudeBearer.headers['x-api-key']).toBeUndefined();
    const geminiKey = customChannel.prepare(
      input({ provider: provider({ wire: 'gemini', auth_header: 'x-key' }), operation: op('gemini') }),
    );
    expect(geminiKey.headers).toEqual({ 'content-type': 'application/json', 'x-key': 'k-123' });
  });

  it('changes only the scheme when auth_header is not set', () => {
    const request = customChannel.prepare(input({ provider: provider({ auth_scheme: 'Token' }) }));
    expect(request.headers['authorization']).toBe('Token k-123');
  });

  it('adds static headers, which override forwarded client headers but never the key', () => {
    const request = customChannel.prepare(
      input({
        provider: provider({
          auth_header: 'api-key',
          headers: { 'X-Tenant': 't-1', 'OpenAI-Beta': 'pinned', 'api-key': 'static' },
        }),
      }),
    );
    expect(request.headers).toEqual({
      'content-type': 'application/json',
      'api-key': 'k-123',
      'openai-beta': 'pinned',
      'x-tenant': 't-1',
    });
  });

  it('honours endpoints overrides for its wire', () => {
    const request = customChannel.prepare(
      input({
        provider: provider({
          wire: 'claude',
          endpoints: { 'generate-content:claude': 'http://127.0.0.1:9200/v2/{model}/messages' },
        }),
        operation: op('claude'),
        upstreamModel: 'claude x',
      }),
    );
    expect(request.url).toBe('http://127.0.0.1:9200/v2/claude%20x/messages');
  });

  it('rejects malformed auth and header settings as invalid_request', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ auth_header: 'bad header' }, /auth_header: "bad header" is not a valid header name/],
      [{ auth_header: 42 }, /setting "auth_header" must be a string/],
      [{ auth_scheme: 1 }, /setting "auth_scheme" must be a string/],
      [{ auth_scheme: 'Bearer\r\nx: y' }, /auth_scheme must not contain line breaks/],
      [{ headers: ['x'] }, /setting "headers" must be an object of strings/],
      [{ headers: { 'x-a': 1 } }, /headers\["x-a"\] must be a non-empty string/],
      [{ headers: { host: 'evil' } }, /headers: "host" cannot be set statically/],
      [{ headers: { 'x-a': 'v\nx' } }, /headers\["x-a"\] must not contain line breaks/],
    ];
    for (const [settings, message] of cases) {
      let caught: unknown;
      try {
        customChannel.prepare(input({ provider: provider(settings) }));
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(GatewayError);
      expect((caught as GatewayError).code).toBe('invalid_request');
      expect((caught as GatewayError).message).toMatch(/^Provider "my-custom": /);
      expect((caught as GatewayError).message).toMatch(message);
    }
  });
});
