import { testServices } from '../test-services';
import { describe, expect, it } from 'vitest';
import type { PrepareInput } from '../contract';
import { geminiChannel } from './channel';

const BODY = '{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}';

const base: PrepareInput = {
  provider: { name: 'gemini-main', settings: {} },
  credential: { label: 'key-1', secret: { api_key: 'AIza-upstream' } },
  operation: { operation: 'generate-content', wire: 'gemini' },
  stream: false,
  streamFormat: 'sse',
  upstreamModel: 'gemini-2.5-flash',
  body: BODY,
  clientHeaders: { 'x-goog-api-key': 'sk-gp-client', authorization: 'Bearer sk-gp-client' },
  services: testServices(),
  signal: new AbortController().signal,
};

const HEADERS = { 'content-type': 'application/json', 'x-goog-api-key': 'AIza-upstream' };
const ROOT = 'https://generativelanguage.googleapis.com/v1beta/models';

describe('gemini channel', () => {
  it('prepares generateContent: model in the path, key injected, client auth not forwarded, body unchanged', () => {
    expect(geminiChannel.prepare(base)).toEqual({
      method: 'POST',
      url: `${ROOT}/gemini-2.5-flash:generateContent`,
      headers: HEADERS,
      body: BODY,
    });
  });

  it('streams with alt=sse for SSE and without it for the JSON array form', () => {
    expect(geminiChannel.prepare({ ...base, stream: true }).url).toBe(
      `${ROOT}/gemini-2.5-flash:streamGenerateContent?alt=sse`,
    );
    expect(geminiChannel.prepare({ ...base, stream: true, streamFormat: 'json-array' }).url).toBe(
      `${ROOT}/gemini-2.5-flash:streamGenerateContent`,
    );
  });

  it('normalizes models/ ids, encodes the model and honours base_url', () => {
    const request = geminiChannel.prepare({
      ...base,
      provider: { name: 'p', settings: { base_url: 'http://127.0.0.1:9100/v1beta/' } },
      upstreamModel: 'models/gemini-2.5-pro',
    });
    expect(request.url).toBe('http://127.0.0.1:9100/v1beta/models/gemini-2.5-pro:generateContent');
    expect(geminiChannel.prepare({ ...base, upstreamModel: '../files?x=1' }).url).toBe(
      `${ROOT}/..%2Ffiles%3Fx%3D1:generateContent`,
    );
  });

  it('passes the gemini wire through and converts the others to gemini', () => {
    expect(
      geminiChannel.routingRule({ operation: 'generate-content', wire: 'gemini' }, base.provider).kind,
    ).toBe('passthrough');
    expect(
      geminiChannel.routingRule({ operation: 'generate-content', wire: 'claude' }, base.provider),
    ).toEqual({ kind: 'convert', to: 'gemini' });
  });
});
