/**
 * Control-plane invalidation over the cache backend's pub/sub. After an admin write has been
 * persisted, the writer announces the new version stamp on `gproxy:control-plane`; every
 * instance's SnapshotWatcher hears it and reloads at once instead of at its next poll. Delivery is
 * best effort (an instance that is reconnecting misses it), so the poll stays as the fallback.
 */
import type { Logger } from '../core/logger';
import type { CacheBackend, Unsubscribe } from './cache-port';

export const CONTROL_PLANE_CHANNEL = 'gproxy:control-plane';

/**
 * Announces that the control plane changed. Call it after the write is persisted, with the
 * version stamp the write produced (`readControlPlaneVersion()` afterwards). Never rejects: the
 * write already happened and instances will still see it at their next poll; a failed announce is
 * logged and resolves to false.
 */
export async function announceControlPlaneChange(
  cache: Pick<CacheBackend, 'publish'>,
  version: number,
  logger?: Logger,
): Promise<boolean> {
  try {
    await cache.publish(CONTROL_PLANE_CHANNEL, String(version));
    return true;
  } catch (error) {
    logger?.warn(
      { err: error, version },
      'control-plane change not announced; other instances pick it up at their next poll',
    );
    return false;
  }
}

/**
 * Calls `onChange` for each announcement, with the announced version (undefined when the message
 * is not a version number: treat it as "something changed"). Resolves once subscribed.
 */
export function onControlPlaneChange(
  cache: Pick<CacheBackend, 'subscribe'>,
  onChange: (version: number | undefined) => void,
): Promise<Unsubscribe> {
  return cache.subscribe(CONTROL_PLANE_CHANNEL, (message) => {
    const version = Number(message);
    onChange(message.trim() !== '' && Number.isFinite(version) ? version : undefined);
  });
}
