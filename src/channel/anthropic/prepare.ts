/** Anthropic requests: `x-api-key` auth, the client's `anthropic-version`/`anthropic-beta`, the body as given. */
import type { PrepareInput, UpstreamRequest } from '../contract';
import { endpointOverride } from '../endpoints';
import { pickClientHeaders } from '../headers';
import { unsupportedOperation } from '../routing';
import { baseUrlSetting, requireSecret } from '../settings';
import { ANTHROPIC_DEFAULT_BASE_URL, ANTHROPIC_DEFAULT_VERSION } from './descriptor';

/** The version and betas select API behaviour the client was written against, so they follow the client. */
const FORWARDED_HEADERS = ['anthropic-version', 'anthropic-beta'] as const;

export function prepareAnthropic(input: PrepareInput): UpstreamRequest {
  const { provider, credential, operation } = input;
  if (operation.operation !== 'generate-content' || operation.wire !== 'claude') {
    throw unsupportedOperation('anthropic', operation);
  }
  const headers: Record<string, string> = {
    'anthropic-version': ANTHROPIC_DEFAULT_VERSION,
    ...pickClientHeaders(input.clientHeaders, FORWARDED_HEADERS),
    'content-type': 'application/json',
    'x-api-key': requireSecret(provider, credential, 'api_key'),
  };
  const beta = requiredBeta(input.body, headers['anthropic-beta']);
  if (beta !== undefined) headers['anthropic-beta'] = beta;
  const url =
    endpointOverride(provider, operation, input.upstreamModel) ??
    `${baseUrlSetting(provider, ANTHROPIC_DEFAULT_BASE_URL)}/messages`;
  return { method: 'POST', url, headers, body: input.body };
}

/** Structured outputs are a beta feature: a converted request using them must name the beta itself. */
const STRUCTURED_OUTPUTS_BETA = 'structured-outputs-2025-11-13';

function requiredBeta(body: string, clientBeta: string | undefined): string | undefined {
  if (!body.includes('"output_format"')) return undefined;
  const betas = (clientBeta ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  if (betas.includes(STRUCTURED_OUTPUTS_BETA)) return undefined;
  return [...betas, STRUCTURED_OUTPUTS_BETA].join(',');
}
