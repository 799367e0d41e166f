import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors';
import type { PrepareInput, ProviderContext } from '../contract';
import { testServices } from '../test-services';
import { azureChannel } from './channel';

const BASE = 'http://127.0.0.1:9100';
const CHAT = { operation: 'generate-content', wire: 'openai-chat' } as const;
const RESPONSES = { operation: 'generate-content', wire: 'openai-responses' } as const;
const BODY = '{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"stream":true}';

function provider(settings: Record<string, unknown> = {}): ProviderContext {
  return { name: 'az', settings: { base_url: `${BASE}/`, ...settings } };
}

function input(overrides: Partial<PrepareInput> = {}): PrepareInput {
  return {
    provider: provider(),
    credential: { label: 'key-1', secret: { api_key: 'az-key' } },
    operation: CHAT,
    stream: true,
    streamFormat: 'sse',
    upstreamModel: 'gpt-4o',
    body: BODY,
    clientHeaders: { authorization: 'Bearer sk-gp-client', 'api-key': 'client', 'openai-beta': 'x' },
    services: testServices(),
    signal: new AbortController().signal,
    ...overrides,
  };
}

describe('azure channel', () => {
  it('chat: the deployment URL with the default GA api-version, api-key auth, no client header, body unchanged', () => {
    expect(azureChannel.prepare(input())).toEqual({
      method: 'POST',
      url: `${BASE}/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21`,
      headers: { 'content-type': 'application/json', 'api-key': 'az-key' },
      body: BODY,
    });
  });

  it('maps models to deployments and names the deployment in the body too', () => {
    const request = azureChannel.prepare(
      input({
        provider: provider({
          deployments: { 'gpt-4o': 'prod gpt4o', other: 'x' },
          api_version: '2025-04-01-preview',
        }),
      }),
    );
    expect(request.url).toBe(
      `${BASE}/openai/deployments/prod%20gpt4o/chat/completions?api-version=2025-04-01-preview`,
    );
    expect(request.body).toBe(BODY.replace('"gpt-4o"', '"prod gpt4o"'));
    // A model without an entry is its own deployment.
    expect(
      azureChannel.prepare(
        input({
          upstreamModel: 'o3',
          body: '{"model":"o3"}',
          provider: provider({ deployments: { 'gpt-4o': 'd' } }),
        }),
      ).url,
    ).toBe(`${BASE}/openai/deployments/o3/chat/completions?api-version=2024-10-21`);
  });

  it('api_version "v1": chat goes to the v1 API with the deployment as the model', () => {
    const request = azureChannel.prepare(
      input({ provider: provider({ api_version: 'v1', deployments: { 'gpt-4o': 'dep-1' } }) }),
    );
    expect(request.url).toBe(`${BASE}/openai/v1/chat/completions`);
    expect(JSON.parse(request.body ?? '')).toMatchObject({ model: 'dep-1' });
  });

  it('responses: the v1 API (no api-version) with the deployment as the model', () => {
    const body = '{"model":"gpt-5","input":"hi"}';
    const request = azureChannel.prepare(
      input({
        operation: RESPONSES,
        upstreamModel: 'gpt-5',
        body,
        provider: provider({ deployments: { 'gpt-5': 'g5' } }),
      }),
    );
    expect(request).toEqual({
      method: 'POST',
      url: `${BASE}/openai/v1/responses`,
      headers: { 'content-type': 'application/json', 'api-key': 'az-key' },
      body: '{"model":"g5","input":"hi"}',
    });
  });

  it('uses an Entra ID bearer token when the credential has one', () => {
    const request = azureChannel.prepare(
      input({ credential: { label: 'entra', secret: { bearer: 'eyJ0' } } }),
    );
    expect(request.headers).toEqual({ 'content-type': 'application/json', authorization: 'Bearer eyJ0' });
    expect(() => azureChannel.prepare(input({ credential: { label: 'none', secret: {} } }))).toThrow(
      'Provider "az": credential "none" has no "api_key" or "bearer"',
    );
  });

  it('endpoints overrides: {model} is the URL-encoded deployment', () => {
    const request = azureChannel.prepare(
      input({
        provider: provider({
          deployments: { 'gpt-4o': 'team/dep' },
          endpoints: {
            'generate-content:openai-chat':
              'http://127.0.0.1:9200/gw/deployments/{model}/chat/completions?api-version=2024-10-21',
            'generate-content:openai-responses':
              'http://127.0.0.1:9200/openai/v1/responses?api-version=preview',
          },
        }),
      }),
    );
    expect(request.url).toBe(
      'http://127.0.0.1:9200/gw/deployments/team%2Fdep/chat/completions?api-version=2024-10-21',
    );
    expect(
      azureChannel.prepare(
        input({
          operation: RESPONSES,
          provider: provider({
            endpoints: {
              'generate-content:openai-responses':
                'http://127.0.0.1:9200/openai/v1/responses?api-version=preview',
            },
          }),
        }),
      ).url,
    ).toBe('http://127.0.0.1:9200/openai/v1/responses?api-version=preview');
  });

  it('rejects missing or malformed settings as invalid_request', () => {
    const bad: [ProviderContext, RegExp][] = [
      [{ name: 'az', settings: {} }, /setting "base_url" is required/],
      [provider({ deployments: 'gpt-4o=dep' }), /setting "deployments" must be an object of strings/],
      [provider({ deployments: { 'gpt-4o': 7 } }), /deployments\["gpt-4o"\] must be a non-empty string/],
      [provider({ api_version: 2024 }), /setting "api_version" must be a string/],
    ];
    for (const [p, message] of bad) {
      let caught: unknown;
      try {
        azureChannel.prepare(input({ provider: p }));
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(GatewayError);
      expect((caught as GatewayError).code).toBe('invalid_request');
      expect((caught as GatewayError).message).toMatch(message);
    }
  });

  it('serves both OpenAI wires natively and converts the others to chat', () => {
    expect(azureChannel.routingRule(RESPONSES, provider())).toEqual({ kind: 'passthrough' });
    expect(azureChannel.routingRule({ operation: 'generate-content', wire: 'claude' }, provider())).toEqual({
      kind: 'convert',
      to: 'openai-chat',
    });
    expect(() =>
      azureChannel.prepare(input({ operation: { operation: 'generate-content', wire: 'gemini' } })),
    ).toThrow(/The azure channel does not serve/);
  });

  it("keeps Azure's content-filter 400 permanent (no failover, no health change) and honours retry-after-ms", () => {
    expect(azureChannel.classify({ status: 400, headers: {}, now: 0 })).toEqual({ kind: 'permanent' });
    expect(azureChannel.classify({ status: 429, headers: { 'retry-after-ms': '1500' }, now: 0 })).toEqual({
      kind: 'rate-limited',
      retryAfterMs: 1500,
    });
  });
});
