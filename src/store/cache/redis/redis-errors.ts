/**
 * Sorts ioredis failures: an error reply from the server (wrong type, script error) is a bug in
 * the caller or the script and passes through; the replies of a server that cannot serve right now
 * (a replica after failover: READONLY; still loading; out of memory; no master or cluster) and
 * anything else (refused, dropped, timed out, offline) mean Redis cannot be used and become
 * CacheUnavailableError.
 */
import { CacheUnavailableError } from '../../../control-plane/cache-port';
import { isUnavailableReply } from '../shared/unavailable-replies';

export function isReplyError(error: unknown): error is Error {
  return error instanceof Error && error.name === 'ReplyError';
}

export function translateRedisError(target: string, error: unknown): Error {
  if (error instanceof CacheUnavailableError) return error;
  if (isReplyError(error) && !isUnavailableReply(error.message)) return error;
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
