/**
 * Live model lists of the upstream families: OpenAI-style `GET /models` (`data[].id`), Anthropic
 * `GET /models` (`data[].id`), Gemini `GET /models` (`models[].name` that can generate content).
 */
import { GatewayError } from '../core/errors';
import type { ModelListing } from './contract';
import { baseUrlSetting, requireSecret } from './settings';

function listOf(body: unknown, key: string): Record<string, unknown>[] {
  const list = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[key] : undefined;
  if (!Array.isArray(list))
    throw new GatewayError('upstream_bad_response', `The model list has no "${key}" array.`);
  return list.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null);
}

const ids = (items: Record<string, unknown>[], field: string): string[] =>
  items.map((item) => item[field]).filter((id): id is string => typeof id === 'string' && id !== '');

export function openAiStyleModelList(defaultBaseUrl: string, keyRequired: boolean): ModelListing {
  return {
    request({ provider, credential }) {
      const key = keyRequired ? requireSecret(provider, credential, 'api_key') : credential.secret['api_key'];
      const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};
      return { method: 'GET', url: `${baseUrlSetting(provider, defaultBaseUrl)}/models`, headers };
    },
    parse: (body) => ids(listOf(body, 'data'), 'id'),
  };
}

export function anthropicModelList(defaultBaseUrl: string, version: string): ModelListing {
  return {
    request: ({ provider, credential }) => ({
      method: 'GET',
      url: `${baseUrlSetting(provider, defaultBaseUrl)}/models?limit=1000`,
      headers: { 'x-api-key': requireSecret(provider, credential, 'api_key'), 'anthropic-version': version },
    }),
    parse: (body) => ids(listOf(body, 'data'), 'id'),
  };
}

export function geminiModelList(defaultBaseUrl: string): ModelListing {
  return {
    request: ({ provider, credential }) => ({
      method: 'GET',
      url: `${baseUrlSetting(provider, defaultBaseUrl)}/models?pageSize=1000`,
      headers: { 'x-goog-api-key': requireSecret(provider, credential, 'api_key') },
    }),
    parse(body) {
      const generating = listOf(body, 'models').filter((model) => {
        const methods = model['supportedGenerationMethods'];
        return !Array.isArray(methods) || methods.includes('generateContent');
      });
      return ids(generating, 'name').map((name) => name.replace(/^models\//, ''));
    },
  };
}
