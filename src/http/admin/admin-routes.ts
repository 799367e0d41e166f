/**
 * The admin API so far: channel descriptors (the console renders provider forms from them),
 * credential health (view and reset), and "test connection" per provider. Records CRUD comes with
 * the control-plane issue; until then the bundle import/export is the way to change them.
 */
import type { Hono } from 'hono';
import type { ChannelRegistry } from '../../channel/registry';
import type { Clock } from '../../core/clock';
import { GatewayError, toGatewayError } from '../../core/errors';
import { newRequestId } from '../../core/ids';
import type { Logger } from '../../core/logger';
import type { KeyIdentity } from '../../control-plane/snapshot';
import type { HealthAdmin } from '../../pipeline/health-admin';
import type { ProbeResult } from '../../pipeline/provider-probe';
import { adminError, authenticateAdmin, type Authenticate } from './admin-auth';

export interface AdminDeps {
  authenticate: Authenticate;
  channels: ChannelRegistry;
  health: HealthAdmin;
  probe: (
    identity: KeyIdentity,
    provider: string,
    model: string,
    signal: AbortSignal,
  ) => Promise<ProbeResult>;
  pullModels: (provider: string, signal: AbortSignal) => Promise<string[]>;
  clock: Clock;
  logger: Logger;
}

type Handler = (request: Request, params: Record<string, string>, identity: KeyIdentity) => Promise<unknown>;

export function registerAdminRoutes(app: Hono, deps: AdminDeps): void {
  const route =
    (handler: Handler) => async (c: { req: { raw: Request; param(): Record<string, string> } }) => {
      const requestId = newRequestId(deps.clock.now());
      try {
        const identity = await authenticateAdmin(deps.authenticate, c.req.raw);
        const result = await handler(c.req.raw, c.req.param(), identity);
        return new Response(JSON.stringify(result), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        });
      } catch (error) {
        const failure = toGatewayError(error);
        if (failure.code === 'internal_error')
          deps.logger.error({ err: failure.cause, requestId }, 'admin error');
        return adminError(failure, requestId);
      }
    };

  app.get(
    '/admin/channels',
    route(() => Promise.resolve({ data: deps.channels.list().map((channel) => channel.descriptor) })),
  );

  app.get(
    '/admin/health',
    route(() => Promise.resolve({ data: deps.health.list(deps.clock.now()) })),
  );

  app.post(
    '/admin/health/reset',
    route(async (request) => {
      const body = await jsonBody(request);
      const filter = {
        provider: optionalString(body, 'provider'),
        credential: optionalString(body, 'credential'),
        model: optionalString(body, 'model'),
      };
      return { reset: deps.health.reset(filter) };
    }),
  );

  app.get(
    '/admin/providers/:name/models',
    route(async (request, params) => ({ data: await deps.pullModels(params['name'] ?? '', request.signal) })),
  );

  app.post(
    '/admin/providers/:name/test',
    route(async (request, params, identity) => {
      const body = await jsonBody(request);
      const model = optionalString(body, 'model');
      if (model === undefined)
        throw new GatewayError('invalid_request', 'model: required (the upstream model id to try)', {
          param: 'model',
        });
      return deps.probe(identity, params['name'] ?? '', model, request.signal);
    }),
  );
}

async function jsonBody(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (text.trim() === '') return {};
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    throw new GatewayError('invalid_json', 'Request body is not valid JSON.');
  }
  throw new GatewayError('invalid_request', 'Request body must be a JSON object.');
}

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw new GatewayError('invalid_request', `${key}: must be a non-empty string`, { param: key });
  }
  return value;
}
