/**
 * The operator's view of credential health: the health book's entries with provider and
 * credential names from the snapshot, and resets by name. A reset reaches the other instances of
 * the deployment too (health-events.ts); the count is this instance's.
 */
import type { Snapshot } from '../control-plane/snapshot';
import type { HealthBook } from './health/health-book';
import type { HealthEntry } from './health/types';

export interface NamedHealthEntry extends HealthEntry {
  provider: string | null;
  credential: string | null;
}

export interface HealthAdmin {
  list(now: number): NamedHealthEntry[];
  /** Resets matching keys; returns how many. */
  reset(filter: { provider?: string; credential?: string; model?: string }): number;
}

export function createHealthAdmin(book: HealthBook, snapshots: { readonly current: Snapshot }): HealthAdmin {
  const names = (): Map<string, { provider: string; credential: string }> => {
    const map = new Map<string, { provider: string; credential: string }>();
    for (const provider of snapshots.current.providersByName.values()) {
      map.set(providerKey(provider.id), { provider: provider.name, credential: '-' });
      for (const credential of provider.credentials) {
        map.set(credential.id, { provider: provider.name, credential: credential.label });
      }
    }
    return map;
  };
  return {
    list(now) {
      const known = names();
      return book.list(now).map((entry) => {
        const name = known.get(entry.credentialId);
        return { ...entry, provider: name?.provider ?? null, credential: name?.credential ?? null };
      });
    },
    reset(filter) {
      const model = filter.model ?? null;
      if (filter.provider === undefined && filter.credential === undefined) {
        return book.resetCredentials(null, model);
      }
      const credentialIds: string[] = [];
      for (const [credentialId, name] of names()) {
        if (filter.provider !== undefined && name.provider !== filter.provider) continue;
        if (filter.credential !== undefined && name.credential !== filter.credential) continue;
        credentialIds.push(credentialId);
      }
      // Nothing matched by name: nothing to reset here, and nothing to tell the other instances.
      return credentialIds.length === 0 ? 0 : book.resetCredentials(credentialIds, model);
    },
  };
}

/** The health key of a provider whose channel needs no credential. */
export function providerKey(providerId: string): string {
  return `provider:${providerId}`;
}
