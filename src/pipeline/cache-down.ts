/**
 * What admission does when the cache backend cannot be reached (instance setting
 * `limits_when_cache_down`): `allow` admits without counting and logs why; `refuse` (the default)
 * answers 503 in the client's format. Shared by rate limits and quotas.
 */
import { GatewayError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { CacheUnavailableError } from '../control-plane/cache-port';
import type { Snapshot } from '../control-plane/snapshot';

/** `what` names the check in the log and the error: `rate limits`, `quotas`. */
export function admitWhenCacheDown(
  what: string,
  snapshot: Snapshot,
  requestId: string,
  error: CacheUnavailableError,
  logger: Logger,
): null {
  if (snapshot.settings.limits_when_cache_down === 'allow') {
    logger.warn(
      { requestId, error: error.message },
      `${what}: cache backend unavailable; admitted without counting (limits_when_cache_down: allow)`,
    );
    return null;
  }
  const named = what.charAt(0).toUpperCase() + what.slice(1);
  throw new GatewayError('overloaded', `${named} cannot be checked right now; try again shortly.`, {
    status: 503,
    retryAfterSeconds: 1,
    cause: error,
  });
}
