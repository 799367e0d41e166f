/**
 * Bedrock credentials: an IAM access key pair (with a session token for temporary credentials)
 * signs each request with SigV4; a Bedrock API key goes as a bearer token instead.
 */
import { GatewayError } from '../../core/errors';
import type { CredentialContext, ProviderContext } from '../contract';
import { requireSecret } from '../settings';
import type { AwsCredentials } from './sigv4';

export type BedrockAuth = { kind: 'sigv4'; credentials: AwsCredentials } | { kind: 'bearer'; apiKey: string };

/** Access keys win when both kinds are present, since they are the more specific configuration. */
export function bedrockAuth(provider: ProviderContext, credential: CredentialContext): BedrockAuth {
  const { secret } = credential;
  if (secret['access_key_id'] || secret['secret_access_key']) {
    const sessionToken = secret['session_token'];
    return {
      kind: 'sigv4',
      credentials: {
        accessKeyId: requireSecret(provider, credential, 'access_key_id'),
        secretAccessKey: requireSecret(provider, credential, 'secret_access_key'),
        ...(sessionToken ? { sessionToken } : {}),
      },
    };
  }
  const apiKey = secret['api_key'];
  if (!apiKey) {
    throw new GatewayError(
      'invalid_request',
      `Provider "${provider.name}": credential "${credential.label}" needs "access_key_id" and ` +
        '"secret_access_key", or "api_key"',
    );
  }
  return { kind: 'bearer', apiKey };
}
