/**
 * The Upstash-style REST cache backend: Redis semantics over HTTPS and `fetch`, so it also runs
 * where TCP sockets do not (Cloudflare Workers). Data operations share the Redis backend's
 * commands and Lua scripts (EVALSHA, falling back to EVAL); pub/sub uses one SSE stream per
 * subscribed channel. Each operation is one HTTP request.
 */
import type {
  CacheMessageHandler,
  CacheUnavailableError,
  Unsubscribe,
} from '../../../control-plane/cache-port';
import type { Logger } from '../../../core/logger';
import { silentLogger } from '../../../core/logger';
import type { RedisArg } from '../shared/redis-protocol-cache';
import { RedisProtocolCache } from '../shared/redis-protocol-cache';
import type { FetchLike, UpstashRestOptions } from './rest-client';
import { UpstashCommandError, UpstashRestClient } from './rest-client';
import { UpstashChannel, type ChannelHandler } from './upstash-channel';

export interface UpstashCacheOptions extends UpstashRestOptions {
  keyPrefix?: string;
  channelPrefix?: string;
  logger?: Logger;
  /** Longest pause between reconnections of a dropped subscription stream (default 5000). */
  maxReconnectBackoffMs?: number;
}

export class UpstashCacheBackend extends RedisProtocolCache {
  readonly kind = 'upstash';
  readonly client: UpstashRestClient;
  private readonly channelPrefix: string;
  private readonly logger: Logger;
  private readonly fetch: FetchLike;
  private readonly timeoutMs: number;
  private readonly maxBackoffMs: number;
  private readonly channels = new Map<string, { channel: UpstashChannel; ready: Promise<void> }>();
  private closed = false;

  constructor(options: UpstashCacheOptions) {
    super(options.keyPrefix ?? '');
    this.client = new UpstashRestClient(options);
    this.channelPrefix = options.channelPrefix ?? '';
    this.logger = options.logger ?? silentLogger;
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.timeoutMs = options.requestTimeoutMs ?? 5000;
    this.maxBackoffMs = options.maxReconnectBackoffMs ?? 5000;
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.command(['PUBLISH', this.channelPrefix + channel, message]);
  }

  async subscribe(channel: string, handler: CacheMessageHandler): Promise<Unsubscribe> {
    if (this.closed) throw this.closedError();
    const name = this.channelPrefix + channel;
    const subscription = { handler, active: true };
    const stream = await this.openChannel(name, subscription);
    return () => {
      subscription.active = false;
      stream.handlers.delete(subscription);
      if (stream.handlers.size === 0 && this.channels.get(name)?.channel === stream) {
        this.channels.delete(name);
        stream.close();
      }
      return Promise.resolve();
    };
  }

  /** Adds the handler to the channel's stream (opened and confirmed), shared by the channel's handlers. */
  private async openChannel(name: string, subscription: ChannelHandler): Promise<UpstashChannel> {
    for (;;) {
      let entry = this.channels.get(name);
      if (entry === undefined) {
        const created = new UpstashChannel(name, {
          client: this.client,
          fetch: this.fetch,
          logger: this.logger,
          confirmTimeoutMs: this.timeoutMs,
          maxBackoffMs: this.maxBackoffMs,
        });
        entry = { channel: created, ready: created.start() };
        this.channels.set(name, entry);
        entry.ready.catch(() => {
          if (this.channels.get(name)?.channel === created) this.channels.delete(name);
        });
      }
      await entry.ready;
      if (this.closed) throw this.closedError();
      // The last handler may have left (closing the stream) while this call waited.
      if (this.channels.get(name) === entry) {
        entry.channel.handlers.add(subscription);
        return entry.channel;
      }
    }
  }

  async ping(): Promise<void> {
    await this.command(['PING']);
  }

  close(): Promise<void> {
    this.closed = true;
    for (const { channel } of this.channels.values()) channel.close();
    this.channels.clear();
    return Promise.resolve();
  }

  protected command(args: readonly RedisArg[]): Promise<unknown> {
    if (this.closed) return Promise.reject(this.closedError());
    return this.client.command(args);
  }

  protected async sha1(source: string): Promise<string> {
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-1', new TextEncoder().encode(source)));
    let hex = '';
    for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
    return hex;
  }

  protected isNoScript(error: unknown): boolean {
    return error instanceof UpstashCommandError && error.message.startsWith('NOSCRIPT');
  }

  private closedError(): CacheUnavailableError {
    return this.client.unavailable('the cache is closed');
  }
}
