/**
 * Bedrock runtime requests. Claude through InvokeModel: `POST {base}/model/{modelId}/invoke`, or
 * `/invoke-with-response-stream`, with the Claude Messages body reshaped by body.ts. Any model
 * through Converse: `POST {base}/model/{modelId}/converse`, or `/converse-stream`, with the body the
 * Converse codec encoded. Streams answer in AWS event-stream framing (adapt-response.ts). Auth is
 * SigV4 over the exact bytes sent, or a Bedrock API key as a bearer token.
 */
import { GatewayError } from '../../core/errors';
import type { PrepareInput, ProviderContext, UpstreamRequest } from '../contract';
import { endpointOverride } from '../endpoints';
import { unsupportedOperation } from '../routing';
import { baseUrlSetting, optionalStringSetting } from '../settings';
import { checkApiSetting } from './api';
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

type BedrockWire = 'claude' | 'bedrock-converse';

/** Each API's two operations: the whole answer, and the stream. */
const ACTIONS: Readonly<Record<BedrockWire, { whole: string; stream: string }>> = {
  claude: { whole: 'invoke', stream: 'invoke-with-response-stream' },
  'bedrock-converse': { whole: 'converse', stream: 'converse-stream' },
};

function requestHeaders(input: PrepareInput, wire: BedrockWire): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (input.stream) {
    headers['accept'] = EVENT_STREAM;
    // InvokeModel only: each chunk inside the event stream is JSON.
    if (wire === 'claude') headers['x-amzn-bedrock-accept'] = 'application/json';
  } else {
    headers['accept'] = 'application/json';
  }
  // Converse takes the guardrail in its body (converseBody); InvokeModel in these headers.
  const guardrail = wire === 'claude' ? guardrailSetting(input) : undefined;
  if (guardrail !== undefined) {
    headers['x-amzn-bedrock-guardrailidentifier'] = guardrail.guardrailIdentifier;
    headers['x-amzn-bedrock-guardrailversion'] = guardrail.guardrailVersion;
  }
  return headers;
}

function guardrailSetting(
  input: PrepareInput,
): { guardrailIdentifier: string; guardrailVersion: string } | undefined {
  const identifier = optionalStringSetting(input.provider, 'guardrail_identifier');
  if (identifier === undefined) return undefined;
  const version = optionalStringSetting(input.provider, 'guardrail_version') ?? 'DRAFT';
  return { guardrailIdentifier: identifier, guardrailVersion: version };
}

/** The Converse body as encoded, with the provider's guardrail in `guardrailConfig`. */
function converseBody(input: PrepareInput): string {
  const guardrail = guardrailSetting(input);
  if (guardrail === undefined) return input.body;
  const body = JSON.parse(input.body) as Record<string, unknown>;
  body['guardrailConfig'] = guardrail;
  return JSON.stringify(body);
}

/**
 * `{base}/model/{id}/{action}`, or the provider's endpoint override for the operation key. One
 * override serves both modes, as for Gemini: when streaming, a path ending in the whole-answer
 * action (`/invoke`, `/converse`) gets the stream action instead.
 */
function modelUrl(input: PrepareInput, region: string, wire: BedrockWire): string {
  const { provider, operation, upstreamModel, stream } = input;
  const actions = ACTIONS[wire];
  const override = endpointOverride(provider, operation, upstreamModel);
  if (override !== undefined) {
    if (!stream) return override;
    const queryAt = override.indexOf('?');
    const path = queryAt < 0 ? override : override.slice(0, queryAt);
    const query = queryAt < 0 ? '' : override.slice(queryAt);
    const whole = `/${actions.whole}`;
    return path.endsWith(whole) ? `${path.slice(0, -whole.length)}/${actions.stream}${query}` : override;
  }
  const base = baseUrlSetting(provider, bedrockRuntimeUrl(region));
  // One path segment whatever the id holds (`:` of versions, `/` of ARNs); sent and signed alike.
  return `${base}/model/${uriEncode(upstreamModel)}/${stream ? actions.stream : actions.whole}`;
}

export async function prepareBedrock(input: PrepareInput): Promise<UpstreamRequest> {
  const { provider, credential, operation } = input;
  const wire = operation.wire;
  if (operation.operation !== 'generate-content' || (wire !== 'claude' && wire !== 'bedrock-converse')) {
    throw unsupportedOperation(awsBedrockDescriptor.id, operation);
  }
  checkApiSetting(provider);
  const region = regionSetting(provider);
  const auth = bedrockAuth(provider, credential);
  const url = modelUrl(input, region, wire);
  const body =
    wire === 'claude'
      ? bedrockClaudeBody(input.body, input.clientHeaders['anthropic-beta'])
      : converseBody(input);
  const headers = requestHeaders(input, wire);
  // Rule-set edits go in before signing: SigV4 covers every header sent.
  input.editHeaders?.(headers);

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
