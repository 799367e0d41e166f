/**
 * The order a provider's credentials are tried in. `round_robin` (default) spreads requests over
 * the pool by weight (a credential of weight 2 starts twice as many requests as one of weight 1);
 * `sticky` keeps a user key on the credential that last served it for a rolling TTL (so prompt
 * caches stay warm), falling back to round robin. Every other credential stays in the order as a
 * fallback, so failover still reaches the whole pool.
 */
import type { CredentialRecord } from '../../control-plane/model';
import type { ProviderView } from '../../control-plane/snapshot';

const MAX_STICKY_ENTRIES = 100_000;

export type RotationMode = 'round_robin' | 'sticky';

export interface RotationSettings {
  mode: RotationMode;
  stickyTtlMs: number;
}

export function rotationSettingsOf(settings: Readonly<Record<string, unknown>>): RotationSettings {
  const ttl = settings['sticky_ttl_seconds'];
  return {
    mode: settings['rotation'] === 'sticky' ? 'sticky' : 'round_robin',
    stickyTtlMs: typeof ttl === 'number' && ttl > 0 ? ttl * 1000 : 3_600_000,
  };
}

export class CredentialRotation {
  private readonly turns = new Map<string, number>();
  private readonly sticky = new Map<string, { credentialId: string; expiresAt: number }>();

  /** The credentials of `provider` in the order to try them for this request. */
  order(provider: ProviderView, subject: string, now: number): readonly CredentialRecord[] {
    const pool = provider.credentials;
    if (pool.length <= 1) return pool;
    const settings = rotationSettingsOf(provider.settings);
    const rotated = this.roundRobin(provider.id, pool);
    if (settings.mode !== 'sticky') return rotated;
    const held = this.sticky.get(stickyKey(provider.id, subject));
    if (held === undefined || held.expiresAt <= now) return rotated;
    const first = rotated.find((c) => c.id === held.credentialId);
    return first === undefined ? rotated : [first, ...rotated.filter((c) => c !== first)];
  }

  /** A credential served the subject: sticky providers keep it for the rolling TTL. */
  served(provider: ProviderView, credentialId: string, subject: string, now: number): void {
    const settings = rotationSettingsOf(provider.settings);
    if (settings.mode !== 'sticky') return;
    const key = stickyKey(provider.id, subject);
    if (this.sticky.size >= MAX_STICKY_ENTRIES && !this.sticky.has(key)) {
      for (const [old, entry] of this.sticky) if (entry.expiresAt <= now) this.sticky.delete(old);
      if (this.sticky.size >= MAX_STICKY_ENTRIES) {
        const oldest = this.sticky.keys().next();
        if (oldest.done !== true) this.sticky.delete(oldest.value);
      }
    }
    this.sticky.delete(key); // re-insert: Map order doubles as recency
    this.sticky.set(key, { credentialId, expiresAt: now + settings.stickyTtlMs });
  }

  /** Smooth weighted rotation: turn n starts at the credential owning slot n of the weight cycle. */
  private roundRobin(providerId: string, pool: readonly CredentialRecord[]): CredentialRecord[] {
    const weights = pool.map((c) => Math.max(1, Math.floor(c.weight)));
    const total = weights.reduce((a, b) => a + b, 0);
    const turn = this.turns.get(providerId) ?? 0;
    this.turns.set(providerId, (turn + 1) % (total * 1_000_000));
    let slot = turn % total;
    let start = 0;
    for (; start < pool.length; start++) {
      const weight = weights[start] ?? 1;
      if (slot < weight) break;
      slot -= weight;
    }
    return [...pool.slice(start), ...pool.slice(0, start)];
  }
}

function stickyKey(providerId: string, subject: string): string {
  return `${providerId}\u0000${subject}`;
}
