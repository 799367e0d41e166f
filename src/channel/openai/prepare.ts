/** OpenAI-style requests: Bearer auth, optional organization/project headers, the body as given. */
import type { UpstreamWireKind } from '../../protocol/operation';
import type { PrepareInput, UpstreamRequest } from '../contract';
import { endpointOverride } from '../endpoints';
import { pickClientHeaders } from '../headers';
import { unsupportedOperation } from '../routing';
import { baseUrlSetting, optionalStringSetting, requireSecret } from '../settings';
import { OPENAI_DEFAULT_BASE_URL } from './descriptor';

/** Client headers that change what the API does and carry no client credential. */
const FORWARDED_HEADERS = ['openai-beta'] as const;

/** What differs between the OpenAI channel and the OpenAI-compatible presets built on it. */
export interface OpenAiStyleOptions {
  /** Named in errors. */
  channelId: string;
  defaultBaseUrl: string;
  /** The OpenAI wires this channel serves (a preset may have Chat Completions only). */
  wires: readonly UpstreamWireKind[];
  /** False for local servers (Ollama, vLLM, LM Studio): Bearer auth only when the credential has a key. */
  keyRequired: boolean;
}

const OPENAI_OPTIONS: OpenAiStyleOptions = {
  channelId: 'openai',
  defaultBaseUrl: OPENAI_DEFAULT_BASE_URL,
  wires: ['openai-chat', 'openai-responses'],
  keyRequired: true,
};

function pathFor(input: PrepareInput, options: OpenAiStyleOptions): string {
  const { operation, wire } = input.operation;
  if (operation === 'generate-content' && options.wires.includes(wire)) {
    if (wire === 'openai-chat') return '/chat/completions';
    if (wire === 'openai-responses') return '/responses';
  }
  throw unsupportedOperation(options.channelId, input.operation);
}

export function prepareOpenAiStyle(input: PrepareInput, options: OpenAiStyleOptions): UpstreamRequest {
  const { provider, credential } = input;
  const path = pathFor(input, options);
  const url =
    endpointOverride(provider, input.operation, input.upstreamModel) ??
    baseUrlSetting(provider, options.defaultBaseUrl) + path;
  const headers: Record<string, string> = {
    ...pickClientHeaders(input.clientHeaders, FORWARDED_HEADERS),
    'content-type': 'application/json',
  };
  const key = options.keyRequired
    ? requireSecret(provider, credential, 'api_key')
    : credential.secret['api_key'];
  if (key) headers['authorization'] = `Bearer ${key}`;
  const organization = optionalStringSetting(provider, 'organization');
  if (organization) headers['openai-organization'] = organization;
  const project = optionalStringSetting(provider, 'project');
  if (project) headers['openai-project'] = project;
  return { method: 'POST', url, headers, body: input.body };
}

export function prepareOpenAi(input: PrepareInput): UpstreamRequest {
  return prepareOpenAiStyle(input, OPENAI_OPTIONS);
}
