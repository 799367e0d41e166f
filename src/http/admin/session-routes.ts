/**
 * Console sign-in and sign-out. The session token travels only in an httpOnly, SameSite=Strict
 * cookie scoped to /admin (Secure behind https); the answer body never holds it.
 */
import { z } from 'zod';
import { GatewayError } from '../../core/errors';
import type { ConsoleSessions } from '../../control-plane/auth/console-sessions';
import { SESSION_COOKIE, sessionToken } from './admin-auth';
import { ACTOR_HEADER, objectBody, optionalString } from './admin-route-kit';
import type { AdminRoute } from './admin-route-kit';

const signInSchema = z.strictObject({ username: z.string().min(1), password: z.string().min(1) });

function isHttps(request: Request): boolean {
  return new URL(request.url).protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https';
}

function cookie(request: Request, value: string, maxAgeSeconds: number): string {
  const secure = isHttps(request) ? '; Secure' : '';
  return `${SESSION_COOKIE}=${value}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

export function sessionRoutes(sessions: ConsoleSessions | undefined): AdminRoute[] {
  const needSessions = (): ConsoleSessions => {
    if (sessions === undefined)
      throw new GatewayError('not_found', 'Console sign-in is not enabled on this gateway.');
    return sessions;
  };
  return [
    {
      method: 'post',
      path: '/admin/session',
      tag: 'Console',
      summary: 'Sign in to the console (sets an httpOnly session cookie)',
      body: signInSchema,
      open: true,
      handler: async (call) => {
        const body = objectBody(call.body);
        const username = optionalString(body, 'username');
        const password = optionalString(body, 'password');
        if (username === undefined || password === undefined)
          throw new GatewayError('invalid_request', 'username and password: required', {
            param: username === undefined ? 'username' : 'password',
          });
        const live = needSessions();
        const { token, user } = await live.signIn(username, password, call.sourceAddress);
        return new Response(JSON.stringify({ user: { name: user.name, admin: user.isAdmin } }), {
          status: 200,
          headers: {
            'content-type': 'application/json',
            'set-cookie': cookie(call.request, token, Math.floor(live.ttlMs / 1000)),
            [ACTOR_HEADER]: user.name,
          },
        });
      },
    },
    {
      method: 'get',
      path: '/admin/session',
      tag: 'Console',
      summary: 'Who is signed in (by session cookie or API key)',
      handler: (call) =>
        Promise.resolve({
          user: { name: call.identity.user.name, admin: call.identity.user.isAdmin },
          via: call.identity.key.id === 'console-session' ? 'session' : 'api-key',
        }),
    },
    {
      method: 'delete',
      path: '/admin/session',
      tag: 'Console',
      summary: 'Sign out: ends the session and clears its cookie',
      status: 204,
      handler: async (call) => {
        const token = sessionToken(call.request);
        if (token !== undefined) await needSessions().signOut(token);
        return new Response(null, { status: 204, headers: { 'set-cookie': cookie(call.request, '', 0) } });
      },
    },
  ];
}
