/**
 * The Redis cache backend (ioredis, Node only): a command connection for everything but pub/sub,
 * plus a subscriber connection opened on the first subscribe. Scripts go by EVALSHA and fall back
 * to EVAL when the server does not know them yet (restart, SCRIPT FLUSH, failover). When Redis is
 * down, operations reject with CacheUnavailableError; the caller decides how to degrade.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { CacheMessageHandler, Unsubscribe } from '../../../control-plane/cache-port';
import { CacheUnavailableError } from '../../../control-plane/cache-port';
import type { Logger } from '../../../core/logger';
import { silentLogger } from '../../../core/logger';
import type { RedisArg } from '../shared/redis-protocol-cache';
import { RedisProtocolCache } from '../shared/redis-protocol-cache';
import { connectRedis, createRedisConnection, type RedisConnectionSettings } from './redis-connection';
import { isReplyError, redisTarget, translateRedisError } from './redis-errors';
import { RedisSubscriber } from './redis-subscriber';

export interface RedisCacheOptions {
  /** `redis://[user:password@]host[:port][/db]` or `rediss://…` (TLS). */
  url: string;
  /** Prepended to every key, e.g. `gproxy:` (default none). */
  keyPrefix?: string;
  /** Prepended to every pub/sub channel (default none). */
  channelPrefix?: string;
  /** Default 5000. */
  connectTimeoutMs?: number;
  /** A command without a reply by then rejects (default 2000). */
  commandTimeoutMs?: number;
  logger?: Logger;
}

/** Opens the backend and waits for Redis to answer; rejects with CacheUnavailableError if it does not. */
export async function openRedisCache(options: RedisCacheOptions): Promise<RedisCacheBackend> {
  const cache = new RedisCacheBackend(options);
  try {
    await cache.connect();
  } catch (error) {
    await cache.close();
    throw error;
  }
  await warnOnEviction(cache, options.logger ?? silentLogger);
  return cache;
}

/**
 * Counters, leases and sessions must not be evicted to make room: a Redis whose maxmemory policy
 * is not `noeviction` drops keys one by one (quota counters come back at the next reconcile with
 * the ledger; rate-limit windows, leases and sessions do not). Says so at start; a server that
 * does not allow CONFIG (managed services) is not asked twice.
 */
async function warnOnEviction(cache: RedisCacheBackend, logger: Logger): Promise<void> {
  let policy: string | undefined;
  try {
    const reply = await cache.configGet('maxmemory-policy');
    policy = reply ?? undefined;
  } catch {
    return;
  }
  if (policy !== undefined && policy !== 'noeviction') {
    logger.warn(
      { policy },
      'redis: maxmemory-policy is not noeviction; Redis may evict limit counters, leases and ' +
        'sessions under memory pressure (docs/cache.md)',
    );
  }
}

export class RedisCacheBackend extends RedisProtocolCache {
  readonly kind = 'redis';
  private readonly target: string;
  private readonly connection: Redis;
  private readonly subscriber: RedisSubscriber;
  private readonly channelPrefix: string;
  private closed = false;

  constructor(options: RedisCacheOptions) {
    super(options.keyPrefix ?? '');
    this.target = redisTarget(options.url);
    this.channelPrefix = options.channelPrefix ?? '';
    const logger = options.logger ?? silentLogger;
    const settings: RedisConnectionSettings = {
      url: options.url,
      target: this.target,
      connectTimeoutMs: options.connectTimeoutMs ?? 5000,
      commandTimeoutMs: options.commandTimeoutMs ?? 2000,
      logger,
    };
    this.connection = createRedisConnection(settings, 'commands');
    this.subscriber = new RedisSubscriber(
      () => createRedisConnection(settings, 'subscriber'),
      this.target,
      logger,
    );
  }

  /** One server setting (`CONFIG GET`), null when it has none; rejects when CONFIG is not allowed. */
  async configGet(name: string): Promise<string | null> {
    const reply = await this.command(['CONFIG', 'GET', name]);
    return Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : null;
  }

  /** Connects the command connection (openRedisCache calls it). */
  connect(): Promise<void> {
    return connectRedis(this.connection, this.target);
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.command(['PUBLISH', this.channelPrefix + channel, message]);
  }

  subscribe(channel: string, handler: CacheMessageHandler): Promise<Unsubscribe> {
    if (this.closed) return Promise.reject(this.closedError());
    return this.subscriber.subscribe(this.channelPrefix + channel, handler);
  }

  async ping(): Promise<void> {
    await this.command(['PING']);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.subscriber.close();
    try {
      if (this.connection.status === 'ready') await this.connection.quit();
      else this.connection.disconnect();
    } catch {
      this.connection.disconnect();
    }
  }

  protected async command(args: readonly RedisArg[]): Promise<unknown> {
    if (this.closed) throw this.closedError();
    const [name, ...rest] = args;
    try {
      return await this.connection.call(String(name), rest);
    } catch (error) {
      throw translateRedisError(this.target, error);
    }
  }

  protected sha1(source: string): Promise<string> {
    return Promise.resolve(createHash('sha1').update(source).digest('hex'));
  }

  protected isNoScript(error: unknown): boolean {
    return isReplyError(error) && error.message.startsWith('NOSCRIPT');
  }

  private closedError(): CacheUnavailableError {
    return new CacheUnavailableError('redis', `${this.target}: the cache is closed`);
  }
}
