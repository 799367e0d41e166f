import type { ChannelDescriptor } from '../contract';

export const BEDROCK_DEFAULT_REGION = 'us-east-1';
/** SigV4 signing name of the Bedrock runtime (its endpoint prefix is `bedrock-runtime`). */
export const BEDROCK_SIGNING_SERVICE = 'bedrock';

export function bedrockRuntimeUrl(region: string): string {
  return `https://bedrock-runtime.${region}.amazonaws.com`;
}

export const awsBedrockDescriptor: ChannelDescriptor = {
  id: 'aws-bedrock',
  displayName: 'AWS Bedrock',
  nativeWires: ['claude'],
  settings: [
    { key: 'region', label: 'AWS region', required: false, default: BEDROCK_DEFAULT_REGION },
    // No fixed default: it follows the region (https://bedrock-runtime.{region}.amazonaws.com).
    { key: 'base_url', label: 'Base URL (default from the region)', required: false },
    { key: 'guardrail_identifier', label: 'Guardrail identifier', required: false },
    { key: 'guardrail_version', label: 'Guardrail version', required: false },
    // No fixed default: InvokeModel for Anthropic model ids, Converse for every other model.
    { key: 'api', label: 'API: converse or invoke (default from the model)', required: false },
  ],
  // Either an access key pair (optionally with an STS session token) or a Bedrock API key.
  secretFields: ['access_key_id', 'secret_access_key', 'session_token', 'api_key'],
};
