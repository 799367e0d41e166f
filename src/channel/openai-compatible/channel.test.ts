import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors';
import type { PrepareInput } from '../contract';
import { createChannelRegistry } from '../registry';
import { OPENAI_COMPATIBLE_PRESETS } from '../presets';
import { testServices } from '../test-services';
import { openAiCompatibleChannels } from './channel';

const BODY = '{"model":"m-1","messages":[{"role":"user","content":"hi"}]}';

function input(overrides: Partial<PrepareInput> = {}): PrepareInput {
  return {
    provider: { name: 'compat', settings: {} },
    credential: { label: 'key-1', secret: { api_key: 'sk-upstream' } },
    operation: { operation: 'generate-content', wire: 'openai-chat' },
    stream: false,
    streamFormat: 'sse',
    upstreamModel: 'm-1',
    body: BODY,
    clientHeaders: { authorization: 'Bearer sk-gp-client', 'openai-beta': 'x=1', cookie: 'a=b' },
    services: testServices(),
    signal: new AbortController().signal,
    ...overrides,
  };
}

function channel(id: string) {
  const found = openAiCompatibleChannels.find((c) => c.descriptor.id === id);
  if (found === undefined) throw new Error(`no preset channel ${id}`);
  return found;
}

describe('OpenAI-compatible preset channels', () => {
  it('builds one registered channel per preset, described from the preset', () => {
    const registry = createChannelRegistry();
    for (const preset of OPENAI_COMPATIBLE_PRESETS) {
      const built = registry.get(preset.id);
      expect(built?.descriptor).toEqual({
        id: preset.id,
        displayName: preset.displayName,
        nativeWires: preset.nativeWires,
        settings: [
          { key: 'base_url', label: 'Base URL', required: false, default: preset.baseUrl },
          { key: 'headers', label: 'Extra headers (JSON object)', required: false },
        ],
        secretFields: preset.keyRequired ? ['api_key'] : [],
      });
    }
  });

  it.each(OPENAI_COMPATIBLE_PRESETS.map((p) => [p.id, p.baseUrl]))(
    '%s: chat goes to its default base URL with Bearer auth and the body unchanged',
    (id, baseUrl) => {
      expect(channel(id).prepare(input())).toEqual({
        method: 'POST',
        url: `${baseUrl}/chat/completions`,
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer sk-upstream',
          'openai-beta': 'x=1',
        },
        body: BODY,
      });
    },
  );

  it('sends Responses to {base_url}/responses where the preset speaks it, and converts elsewhere', () => {
    const responses = { operation: 'generate-content', wire: 'openai-responses' } as const;
    expect(channel('xai').prepare(input({ operation: responses })).url).toBe('https://api.x.ai/v1/responses');
    expect(channel('xai').routingRule(responses, input().provider)).toEqual({ kind: 'passthrough' });
    expect(channel('deepseek').routingRule(responses, input().provider)).toEqual({
      kind: 'convert',
      to: 'openai-chat',
    });
    expect(() => channel('deepseek').prepare(input({ operation: responses }))).toThrow(
      /The deepseek channel does not serve generate-content in the openai-responses wire/,
    );
    const claude = { operation: 'generate-content', wire: 'claude' } as const;
    expect(channel('groq').routingRule(claude, input().provider)).toEqual({
      kind: 'convert',
      to: 'openai-chat',
    });
    // The shared `wire` setting still narrows a preset to one wire.
    const responsesOnly = { name: 'x', settings: { wire: 'openai-responses' } };
    expect(channel('vllm').routingRule(claude, responsesOnly)).toEqual({
      kind: 'convert',
      to: 'openai-responses',
    });
  });

  it('honours base_url and endpoints overrides', () => {
    const provider = {
      name: 'ds',
      settings: {
        base_url: 'http://127.0.0.1:9100/v1/',
        endpoints: { 'generate-content:openai-responses': 'http://127.0.0.1:9200/r?model={model}' },
      },
    };
    expect(channel('deepseek').prepare(input({ provider })).url).toBe(
      'http://127.0.0.1:9100/v1/chat/completions',
    );
    const responses = { operation: 'generate-content', wire: 'openai-responses' } as const;
    expect(
      channel('openrouter').prepare(input({ provider, operation: responses, upstreamModel: 'a/b' })).url,
    ).toBe('http://127.0.0.1:9200/r?model=a%2Fb');
  });

  it('requires a key for hosted providers but not for local servers', () => {
    const noKey = input({ credential: { label: '', secret: {} } });
    expect(() => channel('groq').prepare(noKey)).toThrow(GatewayError);
    expect(() => channel('groq').prepare(noKey)).toThrow(/credential "" has no "api_key"/);
    for (const id of ['ollama', 'vllm', 'lmstudio']) {
      expect(channel(id).prepare(noKey).headers).toEqual({
        'content-type': 'application/json',
        'openai-beta': 'x=1',
      });
      expect(channel(id).prepare(input()).headers['authorization']).toBe('Bearer sk-upstream');
    }
  });

  it('adds static headers from the `headers` setting, never over the credential', () => {
    const provider = {
      name: 'or',
      settings: {
        headers: {
          'HTTP-Referer': 'https://app.example',
          'X-Title': 'My app',
          Authorization: 'Bearer static',
        },
      },
    };
    expect(channel('openrouter').prepare(input({ provider })).headers).toEqual({
      'content-type': 'application/json',
      authorization: 'Bearer sk-upstream',
      'openai-beta': 'x=1',
      'http-referer': 'https://app.example',
      'x-title': 'My app',
    });
    // Without a credential key, a keyless server can take its token from a static header.
    expect(
      channel('vllm').prepare(input({ provider, credential: { label: '', secret: {} } })).headers[
        'authorization'
      ],
    ).toBe('Bearer static');
    expect(() =>
      channel('openrouter').prepare(
        input({ provider: { name: 'or', settings: { headers: { 'bad name': 'x' } } } }),
      ),
    ).toThrow(/headers: "bad name" is not a valid header name/);
  });

  it('classifies with the shared status table', () => {
    expect(channel('mistral').classify({ status: 429, headers: { 'retry-after': '2' }, now: 0 })).toEqual({
      kind: 'rate-limited',
      retryAfterMs: 2000,
    });
    expect(channel('mistral').classify({ status: 400, headers: {}, now: 0 })).toEqual({ kind: 'permanent' });
  });
});
