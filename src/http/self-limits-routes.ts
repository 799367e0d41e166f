/**
 * A user's own quotas and rate limits with their state, read with the user's own API key (the same
 * key lookup as `/v1/gproxy/usage`): `GET /v1/gproxy/limits` answers every quota and rate limit on
 * the presented key's chain (key, user, team, org) as admission applies them — never another
 * user's. See docs/tenancy.md, "Reading quota and rate-limit state".
 */
import type { Hono } from 'hono';
import type { Snapshot } from '../control-plane/snapshot';
import type { LimitStateReader } from '../pipeline/quotas/limit-state-reader';
import { selfService, type SelfServiceDeps } from './self-usage-routes';

export const SELF_LIMITS_PATH = '/v1/gproxy/limits';

export interface SelfLimitsDeps extends SelfServiceDeps {
  reader: LimitStateReader;
  /** The snapshot admission reads now (its quota and rate-limit books). */
  snapshot: () => Snapshot;
}

export function registerSelfLimitsRoutes(app: Hono, deps: SelfLimitsDeps): void {
  app.get(
    SELF_LIMITS_PATH,
    selfService(deps, async ({ user, key }) => {
      const snapshot = deps.snapshot();
      const state = await deps.reader.read(
        snapshot.quotas.chain(user, key),
        snapshot.rateLimits.chain(user, key),
      );
      return { user: user.name, key: key.label, ...state };
    }),
  );
}
