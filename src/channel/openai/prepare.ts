/** OpenAI requests: Bearer auth, optional organization/project headers, the body as given. */
import type { PrepareInput, UpstreamRequest } from '../contract';
import { pickClientHeaders } from '../headers';
import { unsupportedOperation } from '../routing';
import { baseUrlSetting, optionalStringSetting, requireSecret } from '../settings';
import { OPENAI_DEFAULT_BASE_URL } from './descriptor';

/** Client headers that change what the API does and carry no client credential. */
const FORWARDED_HEADERS = ['openai-beta'] as const;

function pathFor(input: PrepareInput): string {
  if (input.operation.operation === 'generate-content') {
    if (input.operation.wire === 'openai-chat') return '/chat/completions';
    if (input.operation.wire === 'openai-responses') return '/responses';
  }
  throw unsupportedOperation('openai', input.operation);
}

export function prepareOpenAi(input: PrepareInput): UpstreamRequest {
  const { provider, credential } = input;
  const url = baseUrlSetting(provider, OPENAI_DEFAULT_BASE_URL) + pathFor(input);
  const headers: Record<string, string> = {
    ...pickClientHeaders(input.clientHeaders, FORWARDED_HEADERS),
    'content-type': 'application/json',
    authorization: `Bearer ${requireSecret(provider, credential, 'api_key')}`,
  };
  const organization = optionalStringSetting(provider, 'organization');
  if (organization) headers['openai-organization'] = organization;
  const project = optionalStringSetting(provider, 'project');
  if (project) headers['openai-project'] = project;
  return { method: 'POST', url, headers, body: input.body };
}
