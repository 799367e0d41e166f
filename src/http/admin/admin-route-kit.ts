/**
 * One declaration per admin endpoint: method, path, what it does, its body schema and its handler.
 * The same list mounts the Hono routes and writes the OpenAPI document (openapi.ts), so the
 * document cannot drift from what is served. Every answer is JSON; every error is
 * `{ error: { code, message, param }, request_id }` with a stable code (docs/admin-api.md).
 */
import type { Context, Hono } from 'hono';
import type { z } from 'zod';
import type { Clock } from '../../core/clock';
import { GatewayError, toGatewayError } from '../../core/errors';
import { newId, newRequestId } from '../../core/ids';
import type { Logger } from '../../core/logger';
import type { AuditRecord } from '../../control-plane/audit-record';
import type { KeyIdentity } from '../../control-plane/snapshot';
import { adminError, authenticateAdmin, type AdminAuth } from './admin-auth';

export type AdminMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface AdminCall {
  request: Request;
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  identity: KeyIdentity;
  /** The parsed JSON body (`{}` when empty); only for post, put and patch. */
  body: unknown;
  /** The caller's network address when the runtime knows it. */
  sourceAddress: string | null;
}

export interface AdminRoute {
  method: AdminMethod;
  /** Hono path syntax: `/admin/providers/:name`. */
  path: string;
  tag: string;
  summary: string;
  /** Documents the request body (validation happens in the handler, by the same schema). */
  body?: z.ZodType;
  /** Query parameters: name -> description. */
  query?: Readonly<Record<string, string>>;
  /** Success status: 200 by default, 201 for creations, 204 for deletions (no body). */
  status?: 200 | 201 | 204;
  /** Served without authentication (the OpenAPI document, console sign-in). */
  open?: boolean;
  handler: (call: AdminCall) => Promise<unknown>;
}

export interface AdminKitDeps {
  auth: AdminAuth;
  clock: Clock;
  logger: Logger;
  /** Receives one record per mutation (every method but GET); absent = no audit trail. */
  audit?: ((record: AuditRecord) => Promise<void>) | undefined;
}

export function mountAdminRoutes(app: Hono, routes: readonly AdminRoute[], deps: AdminKitDeps): void {
  for (const route of routes) {
    app.on(route.method.toUpperCase(), route.path, async (c: Context) => {
      const requestId = newRequestId(deps.clock.now());
      const request = c.req.raw;
      const sourceAddress = addressOf(c);
      let identity: KeyIdentity | undefined;
      let response: Response;
      try {
        identity = route.open === true ? undefined : await authenticateAdmin(deps.auth, request);
        const body =
          route.method === 'post' || route.method === 'put' || route.method === 'patch'
            ? await jsonBody(request)
            : undefined;
        const result = await route.handler({
          request,
          params: c.req.param(),
          query: new URL(request.url).searchParams,
          identity: identity as KeyIdentity,
          body,
          sourceAddress,
        });
        response = toResponse(result, route.status ?? 200);
      } catch (error) {
        const failure = toGatewayError(error);
        if (failure.code === 'internal_error')
          deps.logger.error({ err: failure.cause, requestId }, 'admin error');
        response = adminError(failure, requestId);
      }
      if (route.method !== 'get' && deps.audit !== undefined) {
        const record: AuditRecord = {
          id: newId(),
          createdAt: new Date(deps.clock.now()).toISOString(),
          actor: identity?.user.name ?? (response.headers.get(ACTOR_HEADER) || null),
          action: `${route.method.toUpperCase()} ${route.path}`,
          target: new URL(request.url).pathname,
          status: response.status,
          sourceAddress,
        };
        response.headers.delete(ACTOR_HEADER);
        await deps
          .audit(record)
          .catch((error: unknown) =>
            deps.logger.error({ err: error, requestId }, 'audit record not written'),
          );
      }
      return response;
    });
  }
}

/** An open route (sign-in) names its actor for the audit trail with this header; never sent out. */
export const ACTOR_HEADER = 'x-gproxy-audit-actor';

/** A handler may answer a Response itself (to set cookies); anything else becomes JSON. */
function toResponse(result: unknown, status: number): Response {
  if (result instanceof Response) return result;
  if (status === 204) return new Response(null, { status });
  return new Response(JSON.stringify(result), { status, headers: { 'content-type': 'application/json' } });
}

/** The peer address: Node's socket (via @hono/node-server's env) or the edge's client-IP header. */
function addressOf(c: Context): string | null {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? c.req.header('cf-connecting-ip') ?? null;
}

async function jsonBody(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new GatewayError('invalid_json', 'Request body is not valid JSON.');
  }
}

/** A JSON-object body, for handlers that read fields by hand. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body === 'object' && body !== null && !Array.isArray(body))
    return body as Record<string, unknown>;
  throw new GatewayError('invalid_request', 'Request body must be a JSON object.');
}

export function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw new GatewayError('invalid_request', `${key}: must be a non-empty string`, { param: key });
  }
  return value;
}

/** `?flag=true|1` -> true; absent -> false; anything else is a clear 400. */
export function booleanQuery(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  if (value === null || value === '' || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  throw new GatewayError('invalid_request', `${name}: must be true or false`, { param: name });
}
