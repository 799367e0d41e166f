/**
 * Azure OpenAI requests. Chat Completions go to the deployment URL with an `api-version` (or to the
 * v1 API when `api_version` is "v1"); Responses go to the v1 API, the only GA route Azure has for
 * it. Models map to deployments through the `deployments` setting; `{model}` in an endpoint
 * override means the deployment.
 */
import { GatewayError } from '../../core/errors';
import { replaceTopLevelStringField } from '../../core/json';
import type { CredentialContext, PrepareInput, ProviderContext, UpstreamRequest } from '../contract';
import { endpointOverride } from '../endpoints';
import { stringMapSetting } from '../map-settings';
import { unsupportedOperation } from '../routing';
import { baseUrlSetting, optionalStringSetting } from '../settings';
import { AZURE_DEFAULT_API_VERSION, AZURE_V1 } from './descriptor';

function badSetting(provider: ProviderContext, message: string): GatewayError {
  return new GatewayError('invalid_request', `Provider "${provider.name}": ${message}`);
}

/** The deployment serving a model: its `deployments` entry, else the model id itself. */
export function deploymentFor(provider: ProviderContext, upstreamModel: string): string {
  return stringMapSetting(provider, 'deployments')[upstreamModel] ?? upstreamModel;
}

function resourceEndpoint(provider: ProviderContext): string {
  if (optionalStringSetting(provider, 'base_url') === undefined) {
    throw badSetting(
      provider,
      'setting "base_url" is required (the resource endpoint, e.g. https://myres.openai.azure.com)',
    );
  }
  return baseUrlSetting(provider, '');
}

function defaultUrl(
  provider: ProviderContext,
  wire: 'openai-chat' | 'openai-responses',
  deployment: string,
): string {
  const base = resourceEndpoint(provider);
  if (wire === 'openai-responses') return `${base}/openai/v1/responses`;
  const apiVersion = optionalStringSetting(provider, 'api_version') ?? AZURE_DEFAULT_API_VERSION;
  if (apiVersion === AZURE_V1) return `${base}/openai/v1/chat/completions`;
  return (
    `${base}/openai/deployments/${encodeURIComponent(deployment)}/chat/completions` +
    `?api-version=${encodeURIComponent(apiVersion)}`
  );
}

/** An Entra ID token when the credential has one (it outranks a key), else the resource key. */
function authHeaders(provider: ProviderContext, credential: CredentialContext): Record<string, string> {
  const bearer = credential.secret['bearer'];
  if (bearer) return { authorization: `Bearer ${bearer}` };
  const key = credential.secret['api_key'];
  if (key) return { 'api-key': key };
  throw badSetting(provider, `credential "${credential.label}" has no "api_key" or "bearer"`);
}

export function prepareAzure(input: PrepareInput): UpstreamRequest {
  const { provider, credential, operation } = input;
  if (
    operation.operation !== 'generate-content' ||
    (operation.wire !== 'openai-chat' && operation.wire !== 'openai-responses')
  ) {
    throw unsupportedOperation('azure', operation);
  }
  const deployment = deploymentFor(provider, input.upstreamModel);
  const url =
    endpointOverride(provider, operation, deployment) ?? defaultUrl(provider, operation.wire, deployment);
  const headers = { 'content-type': 'application/json', ...authHeaders(provider, credential) };
  // The v1 API reads the deployment from the body's `model`; deployment URLs ignore it. So the body
  // always names the deployment, whichever URL (or override) is used.
  const body =
    deployment === input.upstreamModel
      ? input.body
      : replaceTopLevelStringField(input.body, 'model', deployment);
  return { method: 'POST', url, headers, body };
}
