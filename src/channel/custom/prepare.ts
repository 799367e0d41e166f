/**
 * Custom endpoint requests: the wire's own channel preparation (OpenAI, Anthropic or Gemini style,
 * honouring `base_url` and `endpoints`), then the provider's auth placement and static headers.
 */
import { GatewayError } from '../../core/errors';
import { prepareAnthropic } from '../anthropic/prepare';
import type { PrepareInput, ProviderContext, UpstreamRequest } from '../contract';
import { prepareGemini } from '../gemini/prepare';
import { withExtraHeaders } from '../map-settings';
import { OPENAI_DEFAULT_BASE_URL } from '../openai/descriptor';
import { prepareOpenAiStyle } from '../openai/prepare';
import { unsupportedOperation } from '../routing';
import { optionalStringSetting, requireSecret } from '../settings';
import { authValue, customAuthPlacement } from './auth';
import { CUSTOM_DEFAULT_WIRE, CUSTOM_WIRES } from './descriptor';
import type { CustomWire } from './descriptor';

interface WirePreparation {
  prepare: (input: PrepareInput) => UpstreamRequest;
  /** The header that preparation puts the key in. */
  authHeader: string;
}

// The default base URLs of the delegates never apply: a custom provider must name its base_url.
const openAiStyle = (input: PrepareInput): UpstreamRequest =>
  prepareOpenAiStyle(input, {
    channelId: 'custom',
    defaultBaseUrl: OPENAI_DEFAULT_BASE_URL,
    wires: ['openai-chat', 'openai-responses'],
    keyRequired: true,
  });

const BY_WIRE: Record<CustomWire, WirePreparation> = {
  'openai-chat': { prepare: openAiStyle, authHeader: 'authorization' },
  'openai-responses': { prepare: openAiStyle, authHeader: 'authorization' },
  claude: { prepare: prepareAnthropic, authHeader: 'x-api-key' },
  gemini: { prepare: prepareGemini, authHeader: 'x-goog-api-key' },
};

function isCustomWire(value: unknown): value is CustomWire {
  return (CUSTOM_WIRES as readonly unknown[]).includes(value);
}

/** The `wire` setting when it is valid; undefined when it names no wire a custom endpoint speaks. */
export function customWireOf(provider: ProviderContext): CustomWire | undefined {
  const value = provider.settings['wire'];
  if (value === undefined || value === null || value === '') return CUSTOM_DEFAULT_WIRE;
  return isCustomWire(value) ? value : undefined;
}

export function prepareCustom(input: PrepareInput): UpstreamRequest {
  const { provider, credential, operation } = input;
  const wire = customWireOf(provider);
  if (wire === undefined) {
    throw new GatewayError(
      'invalid_request',
      `Provider "${provider.name}": setting "wire" must be one of ${CUSTOM_WIRES.join(', ')}`,
    );
  }
  if (operation.operation !== 'generate-content' || operation.wire !== wire) {
    throw unsupportedOperation('custom', operation);
  }
  if (optionalStringSetting(provider, 'base_url') === undefined) {
    throw new GatewayError('invalid_request', `Provider "${provider.name}": setting "base_url" is required`);
  }
  const { prepare, authHeader } = BY_WIRE[wire];
  let request = prepare(input);
  const placement = customAuthPlacement(provider, authHeader);
  if (placement !== undefined) {
    const headers = { ...request.headers };
    delete headers[authHeader];
    headers[placement.header] = authValue(placement, requireSecret(provider, credential, 'api_key'));
    request = { ...request, headers };
  }
  return withExtraHeaders(request, provider, [placement?.header ?? authHeader]);
}
