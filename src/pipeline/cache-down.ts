/**
 * What admission does when the cache backend cannot be reached (instance setting
 * `limits_when_cache_down`): `allow` admits without counting and logs why; `refuse` (the default)
 * answers 503 in the client's format. Shared by rate limits and quotas.
 */
import { GatewayError } from '../core/errors';
import type { Logger } from '../core/logger';
import {
  CacheUnavailableError,
  type AdmissionBucket,
  type CacheBackend,
  type ConsumeResult,
} from '../control-plane/cache-port';
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

/** What an admission keeper (rate limits, quotas) brings to its one `consume`. */
export interface AdmissionDeps {
  cache: CacheBackend | undefined;
  logger: Logger;
  now: () => number;
}

/**
 * The one atomic `consume` of an admission. Resolves to the cache, its answer and the time used;
 * to null when the cache cannot be reached (or none is configured) and the operator allows
 * uncounted admission; rejects with 503 when they do not. `what` names the check in the log.
 */
export async function consumeForAdmission(
  what: string,
  deps: AdmissionDeps,
  buckets: readonly AdmissionBucket[],
  snapshot: Snapshot,
  requestId: string,
): Promise<{ cache: CacheBackend; result: ConsumeResult; now: number } | null> {
  const { cache, logger } = deps;
  const now = deps.now();
  try {
    if (cache === undefined) throw new CacheUnavailableError('none', 'no cache backend configured');
    return { cache, result: await cache.consume(buckets, now), now };
  } catch (error) {
    if (!(error instanceof CacheUnavailableError)) throw error;
    return admitWhenCacheDown(what, snapshot, requestId, error, logger);
  }
}
