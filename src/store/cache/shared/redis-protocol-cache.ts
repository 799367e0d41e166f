/**
 * Everything but pub/sub for backends that speak Redis commands (ioredis over TCP, Upstash over
 * REST): the same commands and Lua scripts, so both behave alike by construction. Subclasses
 * supply the transport (`command`, `script`) and pub/sub.
 */
import type {
  AdmissionBucket,
  CacheBackend,
  CacheMessageHandler,
  CacheTtlOptions,
  ConsumeResult,
  PeekBucket,
  ReleaseBucket,
  Unsubscribe,
} from '../../../control-plane/cache-port';
import {
  checkInteger,
  checkTtl,
  countOf,
  kvKey,
  leaseKey,
  planConsume,
  planPeek,
  planRelease,
  refusal,
} from './bucket-plan';
import type { LuaScript } from './scripts';
import {
  CONSUME_SCRIPT,
  INCR_WITH_TTL_SCRIPT,
  RELEASE_LEASE_SCRIPT,
  RELEASE_SCRIPT,
  RENEW_LEASE_SCRIPT,
} from './scripts';

export type RedisArg = string | number;

export abstract class RedisProtocolCache implements CacheBackend {
  abstract readonly kind: string;

  /** @param keyPrefix prepended to every key (the layout is in bucket-plan.ts). */
  protected constructor(protected readonly keyPrefix: string) {}

  /** Runs one command and returns its reply (nil as null). */
  protected abstract command(args: readonly RedisArg[]): Promise<unknown>;
  /** The SHA-1 of a script's source, as EVALSHA names it (hex). */
  protected abstract sha1(source: string): Promise<string>;
  /** Whether `error` is the server's NOSCRIPT reply. */
  protected abstract isNoScript(error: unknown): boolean;

  private readonly shas = new Map<string, Promise<string>>();
  private readonly loaded = new Set<string>();

  abstract publish(channel: string, message: string): Promise<void>;
  abstract subscribe(channel: string, handler: CacheMessageHandler): Promise<Unsubscribe>;
  abstract ping(): Promise<void>;
  abstract close(): Promise<void>;

  /**
   * Runs a script in one round trip: EVALSHA once the server is known to have it; EVAL before
   * (which caches it there) and again after a NOSCRIPT reply (restart, SCRIPT FLUSH, failover).
   */
  protected async script(
    script: LuaScript,
    keys: readonly string[],
    args: readonly RedisArg[],
  ): Promise<unknown> {
    let pending = this.shas.get(script.source);
    if (pending === undefined) this.shas.set(script.source, (pending = this.sha1(script.source)));
    const sha = await pending;
    if (this.loaded.has(sha)) {
      try {
        return await this.command(['EVALSHA', sha, keys.length, ...keys, ...args]);
      } catch (error) {
        if (!this.isNoScript(error)) throw error;
        this.loaded.delete(sha);
      }
    }
    const reply = await this.command(['EVAL', script.source, keys.length, ...keys, ...args]);
    this.loaded.add(sha);
    return reply;
  }

  async get(key: string): Promise<string | null> {
    return nullableString(await this.command(['GET', this.keyPrefix + kvKey(key)]));
  }

  async set(key: string, value: string, options: CacheTtlOptions = {}): Promise<void> {
    checkTtl(options.ttlMs);
    const ttl = options.ttlMs === undefined ? [] : ['PX', options.ttlMs];
    await this.command(['SET', this.keyPrefix + kvKey(key), value, ...ttl]);
  }

  async delete(key: string): Promise<boolean> {
    return integer(await this.command(['DEL', this.keyPrefix + kvKey(key)])) > 0;
  }

  async incrBy(key: string, by: number, options: CacheTtlOptions = {}): Promise<number> {
    checkInteger('by', by, Number.MIN_SAFE_INTEGER);
    checkTtl(options.ttlMs);
    const full = this.keyPrefix + kvKey(key);
    if (options.ttlMs === undefined) return integer(await this.command(['INCRBY', full, by]));
    return integer(await this.script(INCR_WITH_TTL_SCRIPT, [full], [by, options.ttlMs]));
  }

  async consume(buckets: readonly AdmissionBucket[], nowMs: number): Promise<ConsumeResult> {
    const planned = planConsume(buckets, nowMs);
    if (planned.length === 0) return { allowed: true, remaining: [] };
    const args: RedisArg[] = [];
    for (const b of planned) args.push(b.limit, b.cost, b.ttlMs, b.gauge ? 1 : 0);
    const reply = integers(
      await this.script(
        CONSUME_SCRIPT,
        planned.map((b) => this.keyPrefix + b.key),
        args,
      ),
    );
    const [status, ...rest] = reply;
    if (status === 0) return refusal(planned, rest);
    if (status !== 1 || rest.length !== planned.length) throw unexpected(reply);
    return { allowed: true, remaining: planned.map((b, i) => b.limit - (rest[i] ?? 0)) };
  }

  async release(buckets: readonly ReleaseBucket[], consumedAtMs: number): Promise<void> {
    const planned = planRelease(buckets, consumedAtMs);
    if (planned.length === 0) return;
    const args: RedisArg[] = [];
    for (const b of planned) args.push(b.cost, b.ttlMs, b.gauge ? 1 : 0);
    await this.script(
      RELEASE_SCRIPT,
      planned.map((b) => this.keyPrefix + b.key),
      args,
    );
  }

  /** One MGET: reads leave TTLs alone, and a missing key reads as nil (0). */
  async peek(buckets: readonly PeekBucket[], nowMs: number): Promise<number[]> {
    const keys = planPeek(buckets, nowMs);
    if (keys.length === 0) return [];
    const reply = await this.command(['MGET', ...keys.map((key) => this.keyPrefix + key)]);
    if (!Array.isArray(reply) || reply.length !== keys.length) throw unexpected(reply);
    return keys.map((key, i) => {
      const value: unknown = reply[i];
      return countOf(key, typeof value === 'number' ? String(value) : nullableString(value));
    });
  }

  async acquireLease(key: string, ttlMs: number): Promise<string | null> {
    checkInteger('ttlMs', ttlMs, 1);
    const token = crypto.randomUUID();
    const reply = await this.command(['SET', this.keyPrefix + leaseKey(key), token, 'NX', 'PX', ttlMs]);
    return reply === null ? null : token;
  }

  async renewLease(key: string, token: string, ttlMs: number): Promise<boolean> {
    checkInteger('ttlMs', ttlMs, 1);
    return (
      integer(await this.script(RENEW_LEASE_SCRIPT, [this.keyPrefix + leaseKey(key)], [token, ttlMs])) === 1
    );
  }

  async releaseLease(key: string, token: string): Promise<boolean> {
    return integer(await this.script(RELEASE_LEASE_SCRIPT, [this.keyPrefix + leaseKey(key)], [token])) === 1;
  }
}

function unexpected(reply: unknown): Error {
  return new Error(`unexpected reply from the cache backend: ${JSON.stringify(reply)}`);
}

function nullableString(reply: unknown): string | null {
  if (reply === null || typeof reply === 'string') return reply;
  throw unexpected(reply);
}

function integer(reply: unknown): number {
  if (typeof reply === 'number' && Number.isInteger(reply)) return reply;
  throw unexpected(reply);
}

function integers(reply: unknown): number[] {
  if (!Array.isArray(reply)) throw unexpected(reply);
  return reply.map((item: unknown) => integer(item));
}
