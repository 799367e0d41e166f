import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/core/digest';
import { ensureAdmin } from '../../src/control-plane/first-boot';
import type { KyselyControlPlaneStore } from '../../src/store/persistence/kysely-store';
import { openSqliteStore } from '../../src/store/persistence/sqlite/open-sqlite';

describe('ensureAdmin', () => {
  let store: KyselyControlPlaneStore;
  beforeEach(async () => {
    store = await openSqliteStore({ file: ':memory:' });
  });
  afterEach(async () => {
    await store.close();
  });

  it('creates one admin with a generated key, once, storing only its digest', async () => {
    const first = await ensureAdmin(store, {});
    expect(first.created).toBe(true);
    expect(first.user).toBe('admin');
    expect(first.key).toMatch(/^sk-gp-[0-9A-Za-z]{40}$/);

    const data = await store.loadControlPlane();
    expect(data.users).toEqual([expect.objectContaining({ name: 'admin', isAdmin: true, enabled: true })]);
    expect(data.userKeys).toEqual([
      expect.objectContaining({
        label: 'first-boot',
        digest: await sha256Hex(first.key!),
        enabled: true,
        expiresAt: null,
      }),
    ]);
    const rows = await store.db.selectFrom('user_keys').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(first.key);

    const second = await ensureAdmin(store, { adminKey: 'sk-gp-another-key' });
    expect(second).toEqual({ created: false });
    expect((await store.loadControlPlane()).userKeys).toHaveLength(1);
  });

  it('uses the operator-given key', async () => {
    const result = await ensureAdmin(store, { adminKey: 'sk-gp-operator-chosen-key' });
    expect(result).toEqual({ created: true, key: 'sk-gp-operator-chosen-key', user: 'admin' });
    const [key] = (await store.loadControlPlane()).userKeys;
    expect(key?.digest).toBe(await sha256Hex('sk-gp-operator-chosen-key'));
    expect(key?.hint).toBe('sk-gp-oper…');
  });

  it('generates a key when the given one is empty', async () => {
    const result = await ensureAdmin(store, { adminKey: '' });
    expect(result.key).toMatch(/^sk-gp-/);
  });

  it('does nothing when any user exists, admin or not', async () => {
    await store.createUser(
      {
        id: 'u1',
        name: 'alice',
        isAdmin: false,
        enabled: true,
        createdAt: '2025-01-01T00:00:00Z',
        passwordHash: null,
        orgId: null,
        teamId: null,
        permissions: [],
      },
      [],
    );
    expect(await ensureAdmin(store)).toEqual({ created: false });
    expect((await store.loadControlPlane()).users.map((u) => u.name)).toEqual(['alice']);
  });
});
