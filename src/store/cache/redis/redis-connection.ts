/**
 * ioredis connections configured to fail fast: no offline queue (a command issued while Redis is
 * away rejects at once instead of waiting), no retry or resend of commands in flight when the
 * connection drops (a counter or admission script must not run twice), and a command timeout.
 * ioredis keeps reconnecting in the background; operations work again once it is back.
 */
import { Redis } from 'ioredis';
import type { Logger } from '../../../core/logger';
import { translateRedisError } from './redis-errors';

export interface RedisConnectionSettings {
  url: string;
  target: string;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  logger: Logger;
}

const lastErrors = new WeakMap<Redis, Error>();

export function createRedisConnection(
  settings: RedisConnectionSettings,
  role: 'commands' | 'subscriber',
): Redis {
  const connection = new Redis(settings.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    autoResubscribe: true,
    connectTimeout: settings.connectTimeoutMs,
    // A subscriber waits for messages indefinitely; only request/response commands time out.
    ...(role === 'commands' ? { commandTimeout: settings.commandTimeoutMs } : {}),
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
  });
  let healthy = true;
  connection.on('error', (error: Error) => {
    lastErrors.set(connection, error);
    // One line per outage, not one per reconnection attempt.
    if (healthy)
      settings.logger.warn({ err: error, target: settings.target, role }, 'redis cache connection error');
    healthy = false;
  });
  connection.on('ready', () => {
    if (!healthy) settings.logger.info({ target: settings.target, role }, 'redis cache connection restored');
    healthy = true;
  });
  return connection;
}

/** Connects and waits until ready; on failure disconnects and rejects with the reason Redis gave. */
export async function connectRedis(connection: Redis, target: string): Promise<void> {
  try {
    await connection.connect();
  } catch (error) {
    connection.disconnect();
    throw translateRedisError(target, lastErrors.get(connection) ?? error);
  }
}
