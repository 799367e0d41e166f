/**
 * Console sign-in: username + argon2id password -> an opaque session token (httpOnly cookie).
 * Sessions live in the cache backend (shared by every instance when it is Redis or Upstash) under
 * the token's SHA-256, never the token itself, with a sliding expiry. Every use revalidates the
 * user against the current snapshot, so disabling a user or taking away admin ends their sessions
 * at once. Sign-in attempts are throttled per user name and per source address.
 */
import { GatewayError } from '../../core/errors';
import { sha256Hex } from '../../core/digest';
import type { CacheBackend } from '../cache-port';
import type { UserRecord } from '../model';
import type { Snapshot } from '../snapshot';
import { hashPassword, verifyPassword } from './passwords';

export interface ConsoleSessionOptions {
  cache: CacheBackend;
  snapshot: () => Snapshot;
  now: () => number;
  /** Sliding lifetime of a session (default 12 h). */
  ttlMs?: number;
  /** Sign-in attempts allowed per user name and per address, each per minute. */
  attemptsPerUser?: number;
  attemptsPerAddress?: number;
}

interface StoredSession {
  userId: string;
  userName: string;
  createdAt: number;
}

const KEY_PREFIX = 'gproxy:session:';
const DEFAULT_TTL_MS = 12 * 3_600_000;

export class ConsoleSessions {
  readonly ttlMs: number;
  /** Verified against when the user is unknown, so both failures take the same time. */
  private readonly decoy: Promise<string> = hashPassword('decoy password, never matches');

  constructor(private readonly options: ConsoleSessionOptions) {
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  }

  /** Resolves to a new session token for an enabled admin with that password; throws otherwise. */
  async signIn(
    userName: string,
    password: string,
    address: string | null,
  ): Promise<{ token: string; user: UserRecord }> {
    // Every attempt takes a unit up front (so parallel guesses cannot slip past the limit); a
    // successful sign-in gives its unit back, so only failures count.
    const attemptedAt = this.options.now();
    const buckets = [
      {
        key: `gproxy:login:user:${userName}`,
        limit: this.options.attemptsPerUser ?? 5,
        windowMs: 60_000,
        cost: 1,
      },
      {
        key: `gproxy:login:addr:${address ?? 'unknown'}`,
        limit: this.options.attemptsPerAddress ?? 20,
        windowMs: 60_000,
        cost: 1,
      },
    ];
    const verdict = await this.options.cache.consume(buckets, attemptedAt);
    if (!verdict.allowed)
      throw new GatewayError('rate_limited', 'Too many sign-in attempts; try again later.', {
        retryAfterSeconds: Math.max(1, Math.ceil(verdict.retryAfterMs / 1000)),
      });
    const user = this.options.snapshot().usersByName.get(userName);
    const hash = user?.passwordHash ?? (await this.decoy);
    const matches = await verifyPassword(password, hash);
    if (user === undefined || user.passwordHash === null || !matches)
      throw new GatewayError('unauthenticated', 'Wrong user name or password.');
    if (!user.isAdmin) throw new GatewayError('permission_denied', 'The console is for admin users.');
    await this.options.cache.release(buckets, attemptedAt);
    const token = randomToken();
    const session: StoredSession = { userId: user.id, userName: user.name, createdAt: this.options.now() };
    await this.options.cache.set(await keyOf(token), JSON.stringify(session), { ttlMs: this.ttlMs });
    return { token, user };
  }

  /** The signed-in admin for a token, or null; extends the session's life on every use. */
  async resolve(token: string): Promise<UserRecord | null> {
    const key = await keyOf(token);
    const text = await this.options.cache.get(key);
    if (text === null) return null;
    const session = JSON.parse(text) as StoredSession;
    const user = this.options.snapshot().usersByName.get(session.userName);
    if (user === undefined || user.id !== session.userId || !user.isAdmin) {
      await this.options.cache.delete(key);
      return null;
    }
    await this.options.cache.set(key, text, { ttlMs: this.ttlMs });
    return user;
  }

  async signOut(token: string): Promise<void> {
    await this.options.cache.delete(await keyOf(token));
  }
}

async function keyOf(token: string): Promise<string> {
  return `${KEY_PREFIX}${await sha256Hex(token)}`;
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
