/**
 * A user's own usage, read with the user's own API key (any key of the user; the same key lookup
 * as gateway calls): `GET /v1/gproxy/usage` (usage records) and `GET /v1/gproxy/usage/rollups`
 * (hourly sums). Always filtered to the caller's user; `?key_only=true` narrows the rollups to the
 * key presented. Filters and paging as on the admin API (docs/admin-api.md).
 */
import type { Context, Hono } from 'hono';
import type { Page, UsageQuery } from '../control-plane/audit-record';
import type { UsageRecord } from '../control-plane/usage-record';
import type { UsageRollup, UsageRollupQuery } from '../control-plane/usage-rollup';
import type { KeyIdentity } from '../control-plane/snapshot';
import type { Clock } from '../core/clock';
import { newRequestId } from '../core/ids';
import type { Logger } from '../core/logger';
import { extractUserKey } from '../pipeline/authenticate';
import { text, usageFiltersOf } from './admin/log-routes';
import { errorResponse } from './error-response';

export interface SelfUsageReader {
  queryUsage(query: UsageQuery): Promise<Page<UsageRecord>>;
  queryUsageRollups(query: UsageRollupQuery): Promise<Page<UsageRollup>>;
}

export interface SelfUsageDeps {
  reader: SelfUsageReader;
  authenticate: (presentedKey: string | undefined) => Promise<KeyIdentity>;
  clock: Clock;
  logger: Logger;
}

export const SELF_USAGE_PATH = '/v1/gproxy/usage';

/** What every self-service route needs: the caller's key lookup, and where errors go. */
export type SelfServiceDeps = Pick<SelfUsageDeps, 'authenticate' | 'clock' | 'logger'>;

/**
 * A self-service handler: authenticates the presented user key (the headers gateway calls accept,
 * or `?key=`), answers what `read` returns for that identity as JSON, and errors in the OpenAI
 * error format.
 */
export function selfService(
  deps: SelfServiceDeps,
  read: (identity: KeyIdentity, query: URLSearchParams) => Promise<unknown>,
): (c: Context) => Promise<Response> {
  return async (c: Context): Promise<Response> => {
    const requestId = newRequestId(deps.clock.now());
    try {
      const url = new URL(c.req.url);
      const headers: Record<string, string> = {};
      c.req.raw.headers.forEach((value, name) => (headers[name] = value));
      const identity = await deps.authenticate(extractUserKey(headers, url.searchParams.get('key')));
      const body = await read(identity, url.searchParams);
      return c.json(body, 200, { 'x-gproxy-request-id': requestId });
    } catch (error) {
      return errorResponse('openai-chat', error, requestId, deps.logger);
    }
  };
}

export function registerSelfUsageRoutes(app: Hono, deps: SelfUsageDeps): void {
  const serve = (read: (identity: KeyIdentity, query: URLSearchParams) => Promise<unknown>) =>
    selfService(deps, read);

  app.get(
    SELF_USAGE_PATH,
    serve((identity, query) =>
      deps.reader.queryUsage({
        userId: identity.user.id,
        endState: text(query, 'end_state'),
        ...usageFiltersOf(query),
      }),
    ),
  );
  app.get(
    `${SELF_USAGE_PATH}/rollups`,
    serve((identity, query) =>
      deps.reader.queryUsageRollups({
        userId: identity.user.id,
        userKeyId: query.get('key_only') === 'true' ? identity.key.id : undefined,
        ...usageFiltersOf(query),
      }),
    ),
  );
}
