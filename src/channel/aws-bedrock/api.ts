/**
 * Which Bedrock API serves a request: InvokeModel with Claude's Messages body (`invoke`), or the
 * model-agnostic Converse API (`converse`). The provider's `api` setting decides; without it,
 * Anthropic model ids keep InvokeModel (Claude clients pass through untouched) and every other
 * model uses Converse, the one API all of Bedrock's text models speak.
 */
import { GatewayError } from '../../core/errors';
import { isAnthropicModelId } from '../../protocol/wires/bedrock-converse/generate-content/model-vendor';
import type { ProviderContext } from '../contract';

export type BedrockApi = 'invoke' | 'converse';

function isBedrockApi(value: unknown): value is BedrockApi {
  return value === 'invoke' || value === 'converse';
}

function defaultApi(upstreamModel: string | undefined): BedrockApi {
  // No model known (a caller outside the pipeline): the channel's original behaviour.
  if (upstreamModel === undefined) return 'invoke';
  return isAnthropicModelId(upstreamModel) ? 'invoke' : 'converse';
}

/** For routing, which must not throw: a bad `api` value falls back here and fails in prepare. */
export function routingApi(provider: ProviderContext, upstreamModel: string | undefined): BedrockApi {
  const value = provider.settings['api'];
  return isBedrockApi(value) ? value : defaultApi(upstreamModel);
}

/** The `api` setting checked: absent, or one of the two APIs. */
export function checkApiSetting(provider: ProviderContext): void {
  const value = provider.settings['api'];
  if (value === undefined || value === null || value === '' || isBedrockApi(value)) return;
  throw new GatewayError(
    'invalid_request',
    `Provider "${provider.name}": setting "api" must be "converse" or "invoke"`,
  );
}
