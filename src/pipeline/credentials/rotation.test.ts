import { describe, expect, it } from 'vitest';
import { EMPTY_ALIAS_TABLE } from '../../control-plane/alias-table';
import type { CredentialRecord } from '../../control-plane/model';
import type { ProviderView } from '../../control-plane/snapshot';
import { CredentialRotation } from './rotation';

function credential(id: string, weight = 1): CredentialRecord {
  return { id, providerId: 'p', label: id, secret: {}, weight, enabled: true } as CredentialRecord;
}

function provider(credentials: CredentialRecord[], settings: Record<string, unknown> = {}): ProviderView {
  return {
    id: 'p',
    name: 'p',
    channel: 'openai',
    settings,
    credentials,
    models: [],
    aliases: EMPTY_ALIAS_TABLE,
  };
}

describe('CredentialRotation', () => {
  it('round-robins by weight and keeps the rest of the pool as fallback', () => {
    const rotation = new CredentialRotation();
    const pool = provider([credential('a', 2), credential('b', 1)]);
    const firsts: string[] = [];
    for (let i = 0; i < 300; i++) {
      const order = rotation.order(pool, 'k', 0);
      expect(order.map((c) => c.id).sort()).toEqual(['a', 'b']);
      firsts.push(order[0]!.id);
    }
    expect(firsts.filter((id) => id === 'a')).toHaveLength(200);
    expect(firsts.slice(0, 3)).toEqual(['a', 'a', 'b']);
  });

  it('keeps a subject on the credential that served it while the TTL rolls, then rotates again', () => {
    const rotation = new CredentialRotation();
    const pool = provider([credential('a'), credential('b'), credential('c')], {
      rotation: 'sticky',
      sticky_ttl_seconds: 10,
    });
    rotation.served(pool, 'c', 'alice', 0);
    for (let t = 0; t < 5; t++) expect(rotation.order(pool, 'alice', t * 1000)[0]?.id).toBe('c');
    rotation.served(pool, 'c', 'alice', 9_000); // rolls the window
    expect(rotation.order(pool, 'alice', 18_000)[0]?.id).toBe('c');
    expect(rotation.order(pool, 'bob', 0).map((c) => c.id)).toHaveLength(3);
    const later = new Set(Array.from({ length: 6 }, () => rotation.order(pool, 'alice', 40_000)[0]?.id));
    expect(later.size).toBeGreaterThan(1);
  });

  it('ignores stickiness on round-robin providers and for credentials no longer in the pool', () => {
    const rotation = new CredentialRotation();
    const rr = provider([credential('a'), credential('b')]);
    rotation.served(rr, 'b', 'alice', 0);
    const firsts = [rotation.order(rr, 'alice', 1)[0]?.id, rotation.order(rr, 'alice', 2)[0]?.id];
    expect(firsts).toEqual(['a', 'b']);
    const sticky = provider([credential('a'), credential('b')], { rotation: 'sticky' });
    rotation.served(sticky, 'gone', 'alice', 0);
    expect(rotation.order(sticky, 'alice', 1)).toHaveLength(2);
  });
});
