import { describe, expect, it } from 'vitest';
import { anthropicModelList, geminiModelList, openAiStyleModelList } from './model-lists';
import { testServices } from './test-services';

const input = (secret: Record<string, string>) => ({
  provider: { name: 'p', settings: { base_url: 'http://127.0.0.1:9/v1' } },
  credential: { label: 'main', secret },
  services: testServices(),
});

describe('model lists', () => {
  it('asks each family for its models with its own auth', async () => {
    expect(await openAiStyleModelList('https://x/v1', true).request(input({ api_key: 'k' }))).toEqual({
      method: 'GET',
      url: 'http://127.0.0.1:9/v1/models',
      headers: { authorization: 'Bearer k' },
    });
    expect((await openAiStyleModelList('https://x/v1', false).request(input({}))).headers).toEqual({});
    expect(
      await anthropicModelList('https://x/v1', '2023-06-01').request(input({ api_key: 'k' })),
    ).toMatchObject({
      url: 'http://127.0.0.1:9/v1/models?limit=1000',
      headers: { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
    });
    expect((await geminiModelList('https://x/v1beta').request(input({ api_key: 'k' }))).headers).toEqual({
      'x-goog-api-key': 'k',
    });
  });

  it('reads ids and rejects garbage', () => {
    expect(
      openAiStyleModelList('https://x', true).parse({ data: [{ id: 'a' }, { id: 'b' }, { nope: 1 }] }),
    ).toEqual(['a', 'b']);
    expect(
      geminiModelList('https://x').parse({
        models: [
          { name: 'models/g1', supportedGenerationMethods: ['generateContent'] },
          { name: 'models/e', supportedGenerationMethods: ['embedContent'] },
        ],
      }),
    ).toEqual(['g1']);
    expect(() => anthropicModelList('https://x', 'v').parse({ error: 'x' })).toThrow(/no "data" array/);
  });
});
