import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/errors';
import { anthropicChannel } from './anthropic/channel';
import type { PrepareInput, ProviderContext } from './contract';
import { endpointOverride, geminiStreamingEndpoint, operationKeyString } from './endpoints';
import { geminiChannel } from './gemini/channel';
import { openAiChannel } from './openai/channel';
import { testServices } from './test-services';

const CHAT = { operation: 'generate-content', wire: 'openai-chat' } as const;
const CLAUDE = { operation: 'generate-content', wire: 'claude' } as const;
const GEMINI = { operation: 'generate-content', wire: 'gemini' } as const;

function provider(endpoints: unknown): ProviderContext {
  return { name: 'p1', settings: { endpoints } };
}

function input(overrides: Partial<PrepareInput>): PrepareInput {
  return {
    provider: { name: 'p1', settings: {} },
    credential: { label: 'key-1', secret: { api_key: 'sk-upstream' } },
    operation: CHAT,
    stream: false,
    streamFormat: 'sse',
    upstreamModel: 'm-1',
    body: '{"model":"m-1"}',
    clientHeaders: {},
    services: testServices(),
    signal: new AbortController().signal,
    ...overrides,
  };
}

function errorOf(run: () => unknown): GatewayError {
  try {
    run();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

describe('endpointOverride', () => {
  it('writes operation keys as operation:wire', () => {
    expect(operationKeyString(CLAUDE)).toBe('generate-content:claude');
  });

  it('returns undefined without the setting or without an entry for the operation', () => {
    expect(endpointOverride({ name: 'p', settings: {} }, CHAT, 'm')).toBeUndefined();
    expect(endpointOverride(provider(null), CHAT, 'm')).toBeUndefined();
    expect(
      endpointOverride(provider({ 'generate-content:claude': 'http://127.0.0.1:9/x' }), CHAT, 'm'),
    ).toBeUndefined();
  });

  it('returns the exact URL with every {model} replaced by the URL-encoded model', () => {
    const endpoints = {
      'generate-content:openai-chat': 'http://127.0.0.1:9100/deploy/{model}/chat?model={model}&x=1',
    };
    expect(endpointOverride(provider(endpoints), CHAT, 'org/model a?b#c')).toBe(
      'http://127.0.0.1:9100/deploy/org%2Fmodel%20a%3Fb%23c/chat?model=org%2Fmodel%20a%3Fb%23c&x=1',
    );
    // Exact: trailing slashes and query strings are kept as written.
    expect(
      endpointOverride(provider({ 'generate-content:openai-chat': 'https://h.example/v1/chat/' }), CHAT, 'm'),
    ).toBe('https://h.example/v1/chat/');
  });

  it('rejects malformed settings with invalid_request naming the provider and the key', () => {
    const cases: [unknown, RegExp][] = [
      ['http://x', /Provider "p1": setting "endpoints" must be an object/],
      [['http://x'], /setting "endpoints" must be an object/],
      [
        { 'generate-content:openai': 'http://x' },
        /endpoints key "generate-content:openai" is not an operation key/,
      ],
      [{ 'chat:openai-chat': 'http://x' }, /endpoints key "chat:openai-chat"/],
      [{ 'generate-content:claude:stream': 'http://x' }, /endpoints key "generate-content:claude:stream"/],
      [{ 'generate-content:claude': 42 }, /endpoints\["generate-content:claude"\] must be a URL string/],
      [{ 'generate-content:claude': '' }, /must be a URL string/],
      [{ 'generate-content:claude': '/v1/messages' }, /"\/v1\/messages" is not a URL/],
      [{ 'generate-content:claude': 'ftp://h/x' }, /must be an http or https URL/],
      [{ 'generate-content:claude': 'http://h/{deployment}/x' }, /unknown placeholder "\{deployment\}"/],
    ];
    for (const [endpoints, message] of cases) {
      const error = errorOf(() => endpointOverride(provider(endpoints), CLAUDE, 'm'));
      expect(error.code).toBe('invalid_request');
      expect(error.message).toMatch(/^Provider "p1": /);
      expect(error.message).toMatch(message);
    }
  });

  it('checks every entry, not only the one asked for, so a typo cannot go unnoticed', () => {
    const endpoints = {
      'generate-content:openai-chat': 'http://h/ok',
      'generate-content:gemni': 'http://h/x',
    };
    expect(() => endpointOverride(provider(endpoints), CHAT, 'm')).toThrow(/generate-content:gemni/);
  });
});

describe('geminiStreamingEndpoint', () => {
  it('leaves non-streaming URLs alone', () => {
    expect(geminiStreamingEndpoint('http://h/m:generateContent', false, 'sse')).toBe(
      'http://h/m:generateContent',
    );
  });

  it('switches to streamGenerateContent and adds alt=sse with ? or &', () => {
    expect(geminiStreamingEndpoint('http://h/m:generateContent', true, 'sse')).toBe(
      'http://h/m:streamGenerateContent?alt=sse',
    );
    expect(geminiStreamingEndpoint('http://h/m:generateContent?key=1', true, 'sse')).toBe(
      'http://h/m:streamGenerateContent?key=1&alt=sse',
    );
    expect(geminiStreamingEndpoint('http://h/stream', true, 'sse')).toBe('http://h/stream?alt=sse');
    expect(geminiStreamingEndpoint('http://h/stream?', true, 'sse')).toBe('http://h/stream?alt=sse');
  });

  it('keeps an alt the URL names and adds none for the JSON array form', () => {
    expect(geminiStreamingEndpoint('http://h/m:streamGenerateContent?alt=sse', true, 'sse')).toBe(
      'http://h/m:streamGenerateContent?alt=sse',
    );
    expect(geminiStreamingEndpoint('http://h/m:generateContent', true, 'json-array')).toBe(
      'http://h/m:streamGenerateContent',
    );
  });
});

describe('endpoint overrides in the built-in channels', () => {
  it('openai: the override replaces base_url + path for its operation only', () => {
    const settings = {
      base_url: 'http://127.0.0.1:9100/v1',
      endpoints: { 'generate-content:openai-chat': 'http://127.0.0.1:9200/openai/{model}/chat' },
    };
    const chat = openAiChannel.prepare(
      input({ provider: { name: 'p1', settings }, upstreamModel: 'gpt/4o' }),
    );
    expect(chat).toEqual({
      method: 'POST',
      url: 'http://127.0.0.1:9200/openai/gpt%2F4o/chat',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-upstream' },
      body: '{"model":"m-1"}',
    });
    const responses = openAiChannel.prepare(
      input({
        provider: { name: 'p1', settings },
        operation: { operation: 'generate-content', wire: 'openai-responses' },
      }),
    );
    expect(responses.url).toBe('http://127.0.0.1:9100/v1/responses');
  });

  it('anthropic: the override is used and auth stays x-api-key', () => {
    const request = anthropicChannel.prepare(
      input({
        provider: {
          name: 'p1',
          settings: { endpoints: { 'generate-content:claude': 'http://127.0.0.1:9200/claude' } },
        },
        operation: CLAUDE,
      }),
    );
    expect(request.url).toBe('http://127.0.0.1:9200/claude');
    expect(request.headers).toEqual({
      'anthropic-version': '2023-06-01',
      'content-type': 'application/json',
      'x-api-key': 'sk-upstream',
    });
  });

  it('gemini: {model} is the normalized model; streams switch method and add alt=sse', () => {
    const settings = {
      endpoints: { 'generate-content:gemini': 'http://127.0.0.1:9200/g/{model}:generateContent?tenant=a' },
    };
    const base = input({
      provider: { name: 'p1', settings },
      operation: GEMINI,
      upstreamModel: 'models/gemini-2.5-flash',
    });
    expect(geminiChannel.prepare(base).url).toBe(
      'http://127.0.0.1:9200/g/gemini-2.5-flash:generateContent?tenant=a',
    );
    expect(geminiChannel.prepare({ ...base, stream: true }).url).toBe(
      'http://127.0.0.1:9200/g/gemini-2.5-flash:streamGenerateContent?tenant=a&alt=sse',
    );
    expect(geminiChannel.prepare({ ...base, stream: true, streamFormat: 'json-array' }).url).toBe(
      'http://127.0.0.1:9200/g/gemini-2.5-flash:streamGenerateContent?tenant=a',
    );
  });

  it('a malformed setting fails the prepare with invalid_request', () => {
    const bad = input({
      provider: { name: 'p1', settings: { endpoints: { 'generate-content:openai-chat': 7 } } },
    });
    expect(errorOf(() => openAiChannel.prepare(bad)).code).toBe('invalid_request');
  });
});
