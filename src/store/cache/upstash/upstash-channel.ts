/**
 * One channel subscription over the Upstash-style SSE endpoint `POST <base>/subscribe/<channel>`.
 * The stream's events carry `data: subscribe,<channel>,<count>` once the server has subscribed,
 * then `data: message,<channel>,<message>` per message. The first connection must succeed (the
 * subscribe call rejects otherwise); after that a dropped stream is reopened with a back-off, and
 * messages published meanwhile are missed (pub/sub keeps no history).
 */
import type { CacheMessageHandler } from '../../../control-plane/cache-port';
import type { Logger } from '../../../core/logger';
import { SseDecoder } from '../../../core/sse';
import type { FetchLike, UpstashRestClient } from './rest-client';

export interface ChannelSettings {
  client: UpstashRestClient;
  fetch: FetchLike;
  logger: Logger;
  /** How long the first connection may take to confirm (ms). */
  confirmTimeoutMs: number;
  /** Longest pause between reconnection attempts (ms). */
  maxBackoffMs: number;
}

export interface ChannelHandler {
  handler: CacheMessageHandler;
  active: boolean;
}

export class UpstashChannel {
  readonly handlers = new Set<ChannelHandler>();
  private readonly stop = new AbortController();

  constructor(
    private readonly channel: string,
    private readonly settings: ChannelSettings,
  ) {}

  /** Opens the stream; resolves once the server confirmed the subscription. */
  start(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let confirmed = false;
      const timer = setTimeout(() => {
        if (confirmed) return;
        reject(this.settings.client.unavailable(`no subscription confirmation for '${this.channel}'`));
        this.close();
      }, this.settings.confirmTimeoutMs);
      const onConfirmed = (): void => {
        if (confirmed) return;
        confirmed = true;
        clearTimeout(timer);
        resolve();
      };
      void this.run(onConfirmed, (error) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      });
    });
  }

  close(): void {
    for (const subscription of this.handlers) subscription.active = false;
    this.handlers.clear();
    this.stop.abort();
  }

  private async run(onConfirmed: () => void, onFirstFailure: (error: unknown) => void): Promise<void> {
    let ever = false;
    let attempt = 0;
    while (!this.stop.signal.aborted) {
      try {
        await this.stream(() => {
          ever = true;
          attempt = 0;
          onConfirmed();
        });
        if (!ever) throw this.settings.client.unavailable(`subscription stream for '${this.channel}' ended`);
      } catch (error) {
        if (this.stop.signal.aborted) return;
        if (!ever) {
          onFirstFailure(error);
          this.close();
          return;
        }
        this.settings.logger.warn(
          { err: error, channel: this.channel },
          'upstash subscription dropped; reconnecting',
        );
      }
      if (this.stop.signal.aborted) return;
      await pause(Math.min(100 * 2 ** attempt++, this.settings.maxBackoffMs), this.stop.signal);
    }
  }

  /** One connection: resolves when the stream ends, rejects when it fails. */
  private async stream(onConfirmed: () => void): Promise<void> {
    const { client } = this.settings;
    let response: Response;
    try {
      response = await this.settings.fetch(
        `${client.baseUrl}/subscribe/${encodeURIComponent(this.channel)}`,
        {
          method: 'POST',
          headers: { Authorization: client.authorization(), Accept: 'text/event-stream' },
          signal: this.stop.signal,
        },
      );
    } catch (error) {
      throw client.unavailable(error instanceof Error ? error.message : String(error), error);
    }
    if (!response.ok || response.body === null) {
      await response.body?.cancel();
      throw client.unavailable(`subscribe answered HTTP ${response.status}`);
    }
    const reader = response.body.getReader();
    const decoder = new SseDecoder({ oversized: 'skip' });
    try {
      for (;;) {
        const { done, value } = await reader.read();
        const events = done ? decoder.end() : decoder.push(value);
        for (const event of events) this.onEvent(event.data, onConfirmed);
        if (done) return;
      }
    } finally {
      reader.releaseLock();
    }
  }

  private onEvent(data: string, onConfirmed: () => void): void {
    const message = `message,${this.channel},`;
    if (data.startsWith(message)) {
      this.deliver(data.slice(message.length));
    } else if (data.startsWith(`subscribe,${this.channel},`)) {
      onConfirmed();
    }
  }

  private deliver(message: string): void {
    for (const subscription of this.handlers) {
      if (!subscription.active) continue;
      try {
        subscription.handler(message);
      } catch (error) {
        this.settings.logger.error({ err: error, channel: this.channel }, 'cache subscriber failed');
      }
    }
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
