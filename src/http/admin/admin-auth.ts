/** Admin API authentication: a Bearer API key of an enabled admin user (console sessions come later). */
import { GatewayError } from '../../core/errors';
import type { KeyIdentity } from '../../control-plane/snapshot';
import { extractUserKey } from '../../pipeline/authenticate';

export type Authenticate = (presentedKey: string | undefined) => Promise<KeyIdentity>;

export async function authenticateAdmin(authenticate: Authenticate, request: Request): Promise<KeyIdentity> {
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => (headers[name] = value));
  const identity = await authenticate(extractUserKey(headers, null));
  if (!identity.user.isAdmin)
    throw new GatewayError('permission_denied', 'This key does not belong to an admin user.');
  return identity;
}

/** Admin API errors: JSON with the stable code and a message naming the problem. */
export function adminError(error: GatewayError, requestId: string): Response {
  const body = {
    error: { code: error.code, message: error.message, param: error.param ?? null },
    request_id: requestId,
  };
  return new Response(JSON.stringify(body), {
    status: error.status,
    headers: { 'content-type': 'application/json' },
  });
}
