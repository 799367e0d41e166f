/**
 * Health shared between the instances of one deployment. When an instance's health book starts a
 * cooldown (429 with Retry-After, auth-dead), opens a breaker, or an operator resets it, the change
 * goes out as a small JSON message on the cache channel `gproxy:health`; every other instance
 * applies it to its own book, with the same absolute end time. Best effort, like all pub/sub here:
 * an instance that misses a message learns by itself, from its own next attempt.
 */
import type { CacheBackend } from '../../control-plane/cache-port';
import type { Logger } from '../../core/logger';
import { isSharedCache, OutageNotice } from '../shared-cache';
import type { HealthBook } from './health-book';
import type { HealthChange } from './types';

export const HEALTH_CHANNEL = 'gproxy:health';

/** One message on the channel: who sent it (to skip one's own) and the change. */
export interface HealthEvent {
  from: string;
  change: HealthChange;
}

export function encodeHealthEvent(event: HealthEvent): string {
  return JSON.stringify({ v: 1, from: event.from, ...event.change });
}

/** Null for anything that is not a well-formed version-1 event (ignored by the receiver). */
export function decodeHealthEvent(message: string): HealthEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const o = value as Record<string, unknown>;
  if (o['v'] !== 1 || !isText(o['from'])) return null;
  const change = decodeChange(o);
  return change === null ? null : { from: o['from'], change };
}

function decodeChange(o: Record<string, unknown>): HealthChange | null {
  const { kind, credentialId, model, until } = o;
  if (kind === 'reset') {
    const ids = o['credentialIds'];
    const credentialIds = ids === null ? null : Array.isArray(ids) && ids.every(isText) ? ids : undefined;
    if (credentialIds === undefined || !(model === null || isText(model))) return null;
    return { kind, credentialIds, model };
  }
  if (!isText(credentialId) || !isText(model) || !isTime(until)) return null;
  if (kind === 'cooldown') {
    const reason = o['reason'];
    if (reason !== 'rate-limited' && reason !== 'auth-dead') return null;
    return { kind, credentialId, model, reason, until };
  }
  const cooldownMs = o['cooldownMs'];
  if (kind !== 'breaker-open' || !isTime(cooldownMs)) return null;
  return { kind, credentialId, model, until, cooldownMs };
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export interface HealthSharingDeps {
  book: HealthBook;
  cache: CacheBackend | undefined;
  /** This process's id, unique per start: its own messages come back and are skipped. */
  instanceId: string;
  logger: Logger;
  now: () => number;
}

/**
 * Publishes this book's changes and applies the other instances'. Nothing to do unless the cache
 * is shared (memory: one process). Resolves once subscribed, to a function that stops both ways.
 * A failed subscription is logged, not fatal: this instance then only publishes.
 */
export async function shareHealth(deps: HealthSharingDeps): Promise<() => Promise<void>> {
  const { book, cache, instanceId, logger } = deps;
  if (!isSharedCache(cache)) return () => Promise.resolve();
  const notice = new OutageNotice(
    logger,
    'health sharing',
    'cooldowns and breaker openings stay on this instance until it answers',
  );
  let unsubscribe = (): Promise<void> => Promise.resolve();
  try {
    unsubscribe = await cache.subscribe(HEALTH_CHANNEL, (message) => {
      const event = decodeHealthEvent(message);
      if (event === null)
        logger.debug({ channel: HEALTH_CHANNEL }, 'health sharing: ignored a malformed message');
      else if (event.from !== instanceId) book.apply(event.change, deps.now());
    });
  } catch (error) {
    logger.warn(
      { error: error instanceof Error ? error.message : String(error) },
      'health sharing: could not subscribe; this instance will not hear other instances',
    );
  }
  const stopPublishing = book.onChange((change) => {
    const message = encodeHealthEvent({ from: instanceId, change });
    cache.publish(HEALTH_CHANNEL, message).then(
      () => notice.succeeded(),
      (error: unknown) => notice.failed(error),
    );
  });
  return async () => {
    stopPublishing();
    await unsubscribe();
  };
}
