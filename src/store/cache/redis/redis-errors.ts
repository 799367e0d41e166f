/**
 * Sorts ioredis failures: an error reply from the server (wrong type, script error) is a bug in
 * the caller or the script and passes through; anything else (refused, dropped, timed out,
 * offline) means Redis cannot be reached and becomes CacheUnavailableError.
 */
import { CacheUnavailableError } from '../../../control-plane/cache-port';

export function isReplyError(error: unknown): error is Error {
  return error instanceof Error && error.name === 'ReplyError';
}

export function translateRedisError(target: string, error: unknown): Error {
  if (isReplyError(error) || error instanceof CacheUnavailableError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new CacheUnavailableError('redis', `${target}: ${message}`, { cause: error });
}

/** `host:port` of a redis:// or rediss:// URL, never its password. */
export function redisTarget(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.hostname}:${parsed.port || '6379'}`;
  } catch {
    return 'redis';
  }
}
