/** The fields of a Google service-account key file that the token exchange needs. */
import { GatewayError } from '../../core/errors';
import { tryParseJson } from '../../core/json';
import type { CredentialContext, ProviderContext } from '../contract';

export const GOOGLE_TOKEN_URI = 'https://oauth2.googleapis.com/token';

export interface ServiceAccount {
  clientEmail: string;
  /** PEM, PKCS#8 (`-----BEGIN PRIVATE KEY-----`). */
  privateKey: string;
  /** Sent as the JWT `kid` so Google picks the right public key without trying each. */
  privateKeyId: string | undefined;
  tokenUri: string;
  projectId: string | undefined;
}

function bad(provider: ProviderContext, credential: CredentialContext, message: string): GatewayError {
  return new GatewayError(
    'invalid_request',
    `Provider "${provider.name}": credential "${credential.label}" service_account ${message}`,
  );
}

function stringField(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Reads `secret.service_account` (the key file's JSON text); bad content is a configuration error. */
export function parseServiceAccount(
  provider: ProviderContext,
  credential: CredentialContext,
): ServiceAccount {
  const text = credential.secret['service_account'] ?? '';
  const parsed = tryParseJson(text);
  if (
    !parsed.ok ||
    typeof parsed.value !== 'object' ||
    parsed.value === null ||
    Array.isArray(parsed.value)
  ) {
    throw bad(provider, credential, 'is not a JSON object');
  }
  const record = parsed.value as Record<string, unknown>;
  const clientEmail = stringField(record, 'client_email');
  const privateKey = stringField(record, 'private_key');
  if (clientEmail === undefined) throw bad(provider, credential, 'has no "client_email"');
  if (privateKey === undefined) throw bad(provider, credential, 'has no "private_key"');
  const tokenUri = stringField(record, 'token_uri') ?? GOOGLE_TOKEN_URI;
  if (!/^https?:\/\//.test(tokenUri)) throw bad(provider, credential, '"token_uri" is not an http(s) URL');
  return {
    clientEmail,
    privateKey,
    privateKeyId: stringField(record, 'private_key_id'),
    tokenUri,
    projectId: stringField(record, 'project_id'),
  };
}
