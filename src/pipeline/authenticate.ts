/**
 * Authenticates a user API key against the snapshot, by digest. Digests of recently seen keys are
 * memoized (bounded) so the hot path does not hash every request; the snapshot stays the authority,
 * so a disabled or deleted key stops working as soon as the snapshot changes.
 */
import type { Clock } from '../core/clock';
import { sha256Hex } from '../core/digest';
import { GatewayError } from '../core/errors';
import type { KeyIdentity, Snapshot } from '../control-plane/snapshot';

const MAX_MEMOIZED = 10_000;

/** Reads the key from the places the three SDK families send it. */
export function extractUserKey(
  headers: Readonly<Record<string, string>>,
  queryKey: string | null,
): string | undefined {
  const authorization = headers['authorization'];
  if (authorization !== undefined) {
    const match = /^bearer\s+(.+)$/i.exec(authorization.trim());
    if (match?.[1]) return match[1].trim();
  }
  return headers['x-api-key'] || headers['x-goog-api-key'] || queryKey || undefined;
}

export class Authenticator {
  private readonly digests = new Map<string, string>();

  constructor(private readonly clock: Clock) {}

  async authenticate(snapshot: Snapshot, presentedKey: string | undefined): Promise<KeyIdentity> {
    if (presentedKey === undefined) {
      throw new GatewayError('unauthenticated', 'Missing API key: send it as "Authorization: Bearer <key>".');
    }
    const identity = snapshot.keysByDigest.get(await this.digestOf(presentedKey));
    if (identity === undefined) throw new GatewayError('unauthenticated', 'Invalid API key.');
    const expiresAt = identity.key.expiresAt;
    if (expiresAt !== null && Date.parse(expiresAt) <= this.clock.now()) {
      throw new GatewayError('unauthenticated', 'This API key has expired.');
    }
    return identity;
  }

  private async digestOf(key: string): Promise<string> {
    const known = this.digests.get(key);
    if (known !== undefined) return known;
    const digest = await sha256Hex(key);
    if (this.digests.size >= MAX_MEMOIZED) this.digests.clear();
    this.digests.set(key, digest);
    return digest;
  }
}
