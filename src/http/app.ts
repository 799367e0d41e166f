/**
 * createApp(deps): the Hono app. No globals and nothing done at import time: everything the app
 * needs comes in through deps, so tests and runtimes build as many apps as they like.
 */
import { Hono } from 'hono';
import type { CacheBackend } from '../control-plane/cache-port';
import type { Clock } from '../core/clock';
import { GatewayError } from '../core/errors';
import { newRequestId } from '../core/ids';
import type { Logger } from '../core/logger';
import type { GenerateContentPipeline } from '../pipeline/generate-content';
import { registerAdminRoutes, type AdminDeps } from './admin/admin-routes';
import { errorResponse } from './error-response';
import { registerSelfUsageRoutes, type SelfUsageReader } from './self-usage-routes';
import { registerSelfLimitsRoutes } from './self-limits-routes';
import { LimitStateReader } from '../pipeline/quotas/limit-state-reader';
import { gatewayHandler } from './gateway-handler';
import { InFlightLimit } from './in-flight';
import { webRequestIo, type RequestIo } from './request-io';
import { registerModelListRoutes } from './model-list-routes';
import { GATEWAY_ROUTES, wireForUnmatchedPath } from './route-table';

export interface AppDeps {
  pipeline: GenerateContentPipeline;
  clock: Clock;
  logger: Logger;
  /** Largest request body accepted (413 beyond). */
  maxBodyBytes: number;
  /** Gateway requests in flight at once before new ones are shed with 503 (default 1024). */
  maxInFlight?: number;
  io?: RequestIo;
  /** Shared ephemeral state (counters, rate-limit admission, leases, pub/sub); see docs/cache.md. */
  cache?: CacheBackend;
  /** Reports readiness for /health; false while shutting down. */
  ready?: () => boolean;
  /** The admin API; absent in apps that serve only the gateway. */
  admin?: AdminDeps;
  /** Users' own usage reads (/v1/gproxy/usage); absent = not served. */
  selfUsage?: SelfUsageReader;
}

export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  const handlerDeps = {
    pipeline: deps.pipeline,
    clock: deps.clock,
    logger: deps.logger,
    io: deps.io ?? webRequestIo,
    maxBodyBytes: deps.maxBodyBytes,
    inFlight: new InFlightLimit(deps.maxInFlight),
  };

  app.get('/health', (c) => {
    const ready = deps.ready?.() ?? true;
    // in_flight: gateway requests being served now (load balancers and shutdown checks read it).
    return c.json(
      { status: ready ? 'ok' : 'shutting-down', in_flight: handlerDeps.inFlight.count },
      ready ? 200 : 503,
    );
  });

  if (deps.admin !== undefined) registerAdminRoutes(app, deps.admin);
  if (deps.selfUsage !== undefined)
    registerSelfUsageRoutes(app, {
      reader: deps.selfUsage,
      authenticate: (key) => deps.pipeline.authenticate(key),
      clock: deps.clock,
      logger: deps.logger,
    });

  registerSelfLimitsRoutes(app, {
    reader: new LimitStateReader({ cache: deps.cache, now: () => deps.clock.now() }),
    snapshot: () => deps.pipeline.snapshot,
    authenticate: (key) => deps.pipeline.authenticate(key),
    clock: deps.clock,
    logger: deps.logger,
  });

  registerModelListRoutes(app, handlerDeps);
  for (const route of GATEWAY_ROUTES) {
    app.on(route.method, route.path, gatewayHandler(route, handlerDeps));
  }

  app.notFound((c) => {
    const requestId = newRequestId(deps.clock.now());
    const path = new URL(c.req.url).pathname;
    const error = new GatewayError('not_found', `No such endpoint: ${c.req.method} ${path}`);
    return errorResponse(wireForUnmatchedPath(path), error, requestId, deps.logger);
  });

  app.onError((error, c) => {
    const requestId = newRequestId(deps.clock.now());
    return errorResponse(wireForUnmatchedPath(new URL(c.req.url).pathname), error, requestId, deps.logger);
  });

  return app;
}
