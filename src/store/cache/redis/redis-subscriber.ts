/**
 * The subscriber side of the Redis backend: a dedicated connection (a subscribed RESP2
 * connection can run nothing else), opened on the first subscribe, shared by every handler.
 * ioredis reconnects and re-subscribes on its own after an outage; messages published while it
 * was away are lost, which is why snapshot invalidation keeps polling as its fallback.
 */
import type { Redis } from 'ioredis';
import type { CacheMessageHandler, Unsubscribe } from '../../../control-plane/cache-port';
import type { Logger } from '../../../core/logger';
import { connectRedis } from './redis-connection';
import { translateRedisError } from './redis-errors';

interface Subscription {
  handler: CacheMessageHandler;
  active: boolean;
}

export class RedisSubscriber {
  private connection: Redis | undefined;
  private connecting: Promise<Redis> | undefined;
  private readonly channels = new Map<string, Set<Subscription>>();

  constructor(
    private readonly open: () => Redis,
    private readonly target: string,
    private readonly logger: Logger,
  ) {}

  async subscribe(channel: string, handler: CacheMessageHandler): Promise<Unsubscribe> {
    const connection = await this.connect();
    const subscription: Subscription = { handler, active: true };
    let set = this.channels.get(channel);
    if (set === undefined) this.channels.set(channel, (set = new Set()));
    set.add(subscription);
    try {
      // Resolves once Redis confirmed: messages published from now on reach the handler.
      await connection.subscribe(channel);
    } catch (error) {
      this.remove(channel, subscription);
      throw translateRedisError(this.target, error);
    }
    return async () => {
      if (!this.remove(channel, subscription)) return;
      try {
        await connection.unsubscribe(channel);
      } catch (error) {
        // The handler is already detached; a dead connection holds no subscription to clean up.
        this.logger.debug({ err: error, channel }, 'redis unsubscribe failed');
      }
    };
  }

  async close(): Promise<void> {
    for (const set of this.channels.values()) for (const subscription of set) subscription.active = false;
    this.channels.clear();
    const connection = this.connection ?? (await this.connecting?.catch(() => undefined));
    this.connection = undefined;
    this.connecting = undefined;
    if (connection === undefined) return;
    try {
      await connection.quit();
    } catch {
      connection.disconnect();
    }
  }

  /** Detaches a subscription; true when it was the channel's last one (unsubscribe from Redis). */
  private remove(channel: string, subscription: Subscription): boolean {
    if (!subscription.active) return false;
    subscription.active = false;
    const set = this.channels.get(channel);
    set?.delete(subscription);
    if (set === undefined || set.size > 0) return false;
    this.channels.delete(channel);
    return true;
  }

  private connect(): Promise<Redis> {
    if (this.connection !== undefined) return Promise.resolve(this.connection);
    this.connecting ??= (async () => {
      const connection = this.open();
      connection.on('message', (channel: string, message: string) => this.deliver(channel, message));
      try {
        await connectRedis(connection, this.target);
      } catch (error) {
        this.connecting = undefined;
        throw error;
      }
      this.connection = connection;
      return connection;
    })();
    return this.connecting;
  }

  private deliver(channel: string, message: string): void {
    for (const subscription of this.channels.get(channel) ?? []) {
      if (!subscription.active) continue;
      try {
        subscription.handler(message);
      } catch (error) {
        this.logger.error({ err: error, channel }, 'cache subscriber failed');
      }
    }
  }
}
