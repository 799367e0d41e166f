/** Which bearer token a Vertex credential yields: a ready `access_token`, or one from its service account. */
import { GatewayError } from '../../core/errors';
import type { PrepareInput } from '../contract';
import { serviceAccountAccessToken } from './access-token';
import { parseServiceAccount } from './service-account';

export interface VertexAuth {
  /** The service account's project, the default for the `project` setting. */
  projectId: string | undefined;
  token(): Promise<string>;
}

/** Parsed eagerly, so a bad credential fails before any network call. */
export function vertexAuth(input: PrepareInput): VertexAuth {
  const { provider, credential } = input;
  // An explicit token wins: the operator pasted it on purpose (e.g. from `gcloud auth print-access-token`).
  const accessToken = credential.secret['access_token'];
  if (accessToken) return { projectId: undefined, token: () => Promise.resolve(accessToken) };
  if (!credential.secret['service_account']) {
    throw new GatewayError(
      'invalid_request',
      `Provider "${provider.name}": credential "${credential.label}" has neither "service_account" nor "access_token"`,
    );
  }
  const account = parseServiceAccount(provider, credential);
  return {
    projectId: account.projectId,
    token: () => serviceAccountAccessToken(account, input.services, input.signal),
  };
}
