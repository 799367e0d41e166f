/**
 * Claude on Bedrock through InvokeModel: `POST {base}/model/{modelId}/invoke`, or
 * `/invoke-with-response-stream` for streams (answered in AWS event-stream framing, which
 * claude-stream.ts turns back into Claude SSE). The body is the Claude Messages body reshaped by
 * body.ts; auth is SigV4 over the exact bytes sent, or a Bedrock API key as a bearer token.
 */
import { GatewayError } from '../../core/errors';
import type { PrepareInput, ProviderContext, UpstreamRequest } from '../contract';
import { endpointOverride } from '../endpoints';
import { unsupportedOperation } from '../routing';
import { baseUrlSetting, optionalStringSetting } from '../settings';
import { bedrockAuth } from './auth';
import { bedrockClaudeBody } from './body';
import {
  BEDROCK_DEFAULT_REGION,
  BEDROCK_SIGNING_SERVICE,
  awsBedrockDescriptor,
  bedrockRuntimeUrl,
} from './descriptor';
import { signSigV4 } from './sigv4';
import { uriEncode } from './sigv4-canonical';

const EVENT_STREAM = 'application/vnd.amazon.eventstream';

/** The region goes into the host name and the signature, so only a region-shaped value is taken. */
function regionSetting(provider: ProviderContext): string {
  const region = optionalStringSetting(provider, 'region') ?? BEDROCK_DEFAULT_REGION;
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(region)) {
    throw new GatewayError(
      'invalid_request',
      `Provider "${provider.name}": region "${region}" is not an AWS region`,
    );
  }
  return region;
}

function requestHeaders(input: PrepareInput): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (input.stream) {
    // The HTTP answer is an event stream; each chunk inside it is JSON.
    headers['accept'] = EVENT_STREAM;
    headers['x-amzn-bedrock-accept'] = 'application/json';
  } else {
    headers['accept'] = 'application/json';
  }
  const guardrail = optionalStringSetting(input.provider, 'guardrail_identifier');
  if (guardrail !== undefined) {
    headers['x-amzn-bedrock-guardrailidentifier'] = guardrail;
    headers['x-amzn-bedrock-guardrailversion'] =
      optionalStringSetting(input.provider, 'guardrail_version') ?? 'DRAFT';
  }
  return headers;
}

/**
 * The InvokeModel URL: `{base}/model/{id}/invoke[-with-response-stream]`, or the provider's
 * `generate-content:claude` endpoint override. One override serves both modes, as for Gemini: when
 * streaming, a path ending in `/invoke` becomes `/invoke-with-response-stream`.
 */
function invokeUrl(input: PrepareInput, region: string): string {
  const { provider, operation, upstreamModel, stream } = input;
  const override = endpointOverride(provider, operation, upstreamModel);
  if (override !== undefined) {
    if (!stream) return override;
    const queryAt = override.indexOf('?');
    const path = queryAt < 0 ? override : override.slice(0, queryAt);
    const query = queryAt < 0 ? '' : override.slice(queryAt);
    return path.endsWith('/invoke') ? `${path}-with-response-stream${query}` : override;
  }
  const base = baseUrlSetting(provider, bedrockRuntimeUrl(region));
  // One path segment whatever the id holds (`:` of versions, `/` of ARNs); sent and signed alike.
  return `${base}/model/${uriEncode(upstreamModel)}/${stream ? 'invoke-with-response-stream' : 'invoke'}`;
}

export async function prepareBedrock(input: PrepareInput): Promise<UpstreamRequest> {
  const { provider, credential, operation } = input;
  if (operation.operation !== 'generate-content' || operation.wire !== 'claude') {
    throw unsupportedOperation(awsBedrockDescriptor.id, operation);
  }
  const region = regionSetting(provider);
  const auth = bedrockAuth(provider, credential);
  const url = invokeUrl(input, region);
  const body = bedrockClaudeBody(input.body, input.clientHeaders['anthropic-beta']);
  const headers = requestHeaders(input);

  if (auth.kind === 'bearer') {
    headers['authorization'] = `Bearer ${auth.apiKey}`;
    return { method: 'POST', url, headers, body };
  }
  // `host` is signed but not set: the transport derives the same value from the URL.
  const target = new URL(url);
  const signed = await signSigV4(
    {
      method: 'POST',
      path: target.pathname,
      query: target.search.slice(1),
      headers: { ...headers, host: target.host },
      body,
    },
    { credentials: auth.credentials, region, service: BEDROCK_SIGNING_SERVICE, now: input.services.now },
  );
  return { method: 'POST', url, headers: { ...headers, ...signed.headers }, body };
}
