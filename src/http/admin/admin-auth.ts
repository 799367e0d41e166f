/**
 * Admin API authentication: a Bearer API key of an enabled admin user, or a console session cookie
 * (control-plane/auth/console-sessions.ts). A cookie alone never authorises a state-changing request
 * from another site: those must carry an Origin header naming this server (or a configured console
 * origin), which browsers always send on cross-site writes.
 */
import { GatewayError } from '../../core/errors';
import type { ConsoleSessions } from '../../control-plane/auth/console-sessions';
import { ALLOW_ALL } from '../../control-plane/permissions';
import type { UserRecord } from '../../control-plane/model';
import type { KeyIdentity } from '../../control-plane/snapshot';
import { extractUserKey } from '../../pipeline/authenticate';

export type Authenticate = (presentedKey: string | undefined) => Promise<KeyIdentity>;

export const SESSION_COOKIE = 'gproxy_session';

export interface AdminAuth {
  authenticate: Authenticate;
  /** Console sessions; absent = API keys only. */
  sessions?: ConsoleSessions | undefined;
  /** Origins besides the server's own that may send cookie-authenticated writes (a separately served console). */
  consoleOrigins?: readonly string[] | undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export async function authenticateAdmin(
  auth: AdminAuth | Authenticate,
  request: Request,
): Promise<KeyIdentity> {
  const deps = typeof auth === 'function' ? { authenticate: auth } : auth;
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => (headers[name] = value));
  const presented = extractUserKey(headers, null);
  const token = presented === undefined ? sessionToken(request) : undefined;
  if (token !== undefined && deps.sessions !== undefined) {
    const user = await deps.sessions.resolve(token);
    if (user === null)
      throw new GatewayError('unauthenticated', 'Your console session has ended; sign in again.');
    if (!SAFE_METHODS.has(request.method)) checkOrigin(request, deps.consoleOrigins ?? []);
    return consoleIdentity(user);
  }
  const identity = await deps.authenticate(presented);
  if (!identity.user.isAdmin)
    throw new GatewayError('permission_denied', 'This key does not belong to an admin user.');
  return identity;
}

export function sessionToken(request: Request): string | undefined {
  const cookie = request.headers.get('cookie');
  if (cookie === null) return undefined;
  for (const part of cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) return rest.join('=') || undefined;
  }
  return undefined;
}

function checkOrigin(request: Request, allowed: readonly string[]): void {
  const origin = request.headers.get('origin');
  const own = new URL(request.url).origin;
  if (origin !== null && (origin === own || allowed.includes(origin))) return;
  throw new GatewayError(
    'permission_denied',
    origin === null
      ? 'Origin header required for console writes.'
      : `Origin ${origin} may not change this gateway with a console session.`,
  );
}

/**
 * A console session has no API key; provider tests run under it are recorded with this
 * stand-in key (id `console-session`), so the usage record still names the admin.
 */
function consoleIdentity(user: UserRecord): KeyIdentity {
  return {
    user,
    key: {
      id: 'console-session',
      userId: user.id,
      label: 'console session',
      digest: '',
      hint: '',
      enabled: true,
      expiresAt: null,
      createdAt: user.createdAt,
      permissions: [],
      sealedKey: null,
    },
    // Only admins hold console sessions, and admins may use every model.
    access: ALLOW_ALL,
  };
}

/** Admin API errors: JSON with the stable code and a message naming the problem. */
export function adminError(error: GatewayError, requestId: string): Response {
  const body = {
    error: { code: error.code, message: error.message, param: error.param ?? null },
    request_id: requestId,
  };
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  return new Response(JSON.stringify(body), { status: error.status, headers });
}
