/**
 * Conformance cases for the version stamp, first-boot users, the usage ledger, sealed secrets and
 * concurrent writers.
 */
import { expect, it } from 'vitest';
import { SecretEnvelopeError, isSealed, sealerFromEnv } from '../../../src/control-plane/secret-envelope';
import { KyselyControlPlaneStore } from '../../../src/store/persistence/kysely-store';
import { usageFromRow } from '../../../src/store/persistence/rows';
import { sampleData, usage } from '../fixtures';
import type { ConformanceContext } from './conformance';
import { copy, expectSameData } from './support';

const MASTER_KEY = Buffer.alloc(32, 0x2a).toString('base64');

export function writeCases(ctx: ConformanceContext): void {
  const usageRows = () =>
    ctx.store.db.selectFrom('usage_records').selectAll().orderBy('request_id').execute();
  const usageCount = async () => {
    const { n } = await ctx.store.db
      .selectFrom('usage_records')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return Number(n);
  };

  it('bumps the version on every control-plane write, never on reads, usage or a failed save', async () => {
    const { store } = ctx;
    const data = await sampleData();
    const start = await store.readControlPlaneVersion();
    await store.saveControlPlane(data);
    expect(await store.readControlPlaneVersion()).toBe(start + 1);
    await store.saveControlPlane(data); // unchanged data is still a write
    await store.loadControlPlane();
    await store.insertUsage([usage('req-v')]);
    await store.countUsers();
    expect(await store.readControlPlaneVersion()).toBe(start + 2);
    const broken = copy(data);
    broken.routes.push({ ...data.routes[0]!, id: 'r-dup' });
    await expect(store.saveControlPlane(broken)).rejects.toThrow();
    expect(await store.readControlPlaneVersion()).toBe(start + 2);
    await store.createUser({ ...data.users[0]!, id: 'u-new', name: 'new' }, []);
    expect(await store.readControlPlaneVersion()).toBe(start + 3);
    for (let i = 0; i < 3; i++) await store.saveControlPlane(await store.loadControlPlane());
    expect(await store.readControlPlaneVersion()).toBe(start + 6);
  });

  it('creates a user with keys, counts users, and rejects a second user of that name', async () => {
    const { store } = ctx;
    const data = await sampleData();
    const [alice] = data.users;
    expect(await store.countUsers()).toBe(0);
    const keys = data.userKeys.filter((key) => key.userId === alice!.id);
    await store.createUser(alice!, keys);
    expect(await store.countUsers()).toBe(1);
    const loaded = await store.loadControlPlane();
    expect(loaded.users).toEqual([alice]);
    expect(loaded.userKeys.map((key) => key.id).sort()).toEqual(keys.map((key) => key.id).sort());

    const version = await store.readControlPlaneVersion();
    await expect(store.createUser({ ...alice!, id: 'u-other' }, [])).rejects.toThrow();
    expect(await store.countUsers()).toBe(1);
    expect(await store.readControlPlaneVersion()).toBe(version);
  });

  it('stores a usage record once per request id: repeats across batches and within one are ignored', async () => {
    const { store } = ctx;
    const first = usage('req-1');
    await store.insertUsage([first, usage('req-2')]);
    // A retried flush repeats req-1 (with other content) and repeats req-3 within one batch.
    await store.insertUsage([
      usage('req-1', { status: 500 }),
      usage('req-3'),
      usage('req-3', { status: 499 }),
    ]);
    await store.insertUsage([]);
    const rows = await usageRows();
    expect(rows.map((row) => row.request_id)).toEqual(['req-1', 'req-2', 'req-3']);
    expect(usageFromRow(rows[0]!)).toEqual(first);
  });

  it('keeps nulls, flags and Unicode in usage records', async () => {
    const records = [
      usage('req-null', {
        userId: null,
        userKeyId: null,
        upstreamWire: null,
        requestedModel: null,
        routeName: null,
        providerName: null,
        credentialLabel: null,
        upstreamModel: null,
        errorCode: 'upstream_timeout',
        stream: false,
        firstByteMs: null,
        usageSource: 'none',
      }),
      usage('req-ü-🚀', { requestedModel: 'modèle-🦙', providerName: 'Ωmega-供应商', latencyMs: 2147483647 }),
    ];
    await ctx.store.insertUsage(records);
    const rows = await usageRows();
    expect(rows.map(usageFromRow).sort((a, b) => (a.requestId < b.requestId ? -1 : 1))).toEqual(
      [...records].sort((a, b) => (a.requestId < b.requestId ? -1 : 1)),
    );
  });

  it('stores usage batches of more than a thousand records, and a replay adds nothing', async () => {
    const records = Array.from({ length: 2500 }, (_, i) => usage(`req-bulk-${i}`, { inputTokens: i }));
    await ctx.store.insertUsage(records);
    expect(await usageCount()).toBe(2500);
    await ctx.store.insertUsage([...records.slice(1000), usage('req-bulk-new')]);
    expect(await usageCount()).toBe(2501);
  });

  it('seals credential secrets with a master key and opens them again', async () => {
    const keyed = new KyselyControlPlaneStore(ctx.store.db, { sealer: await sealerFromEnv(MASTER_KEY) });
    const data = await sampleData();
    await keyed.saveControlPlane(data);
    const stored = async () =>
      Object.fromEntries(
        (await ctx.store.db.selectFrom('credentials').select(['id', 'secret']).execute()).map((row) => [
          row.id,
          row.secret,
        ]),
      );
    const sealed = await stored();
    expect(Object.keys(sealed).sort()).toEqual(data.credentials.map((c) => c.id).sort());
    for (const credential of data.credentials) {
      const value = sealed[credential.id]!;
      expect(isSealed(value)).toBe(true);
      for (const secret of Object.values(credential.secret)) expect(value).not.toContain(secret);
    }
    expectSameData(await keyed.loadControlPlane(), data);
    // Without the key the load fails, naming the credential; it never returns ciphertext.
    await expect(ctx.store.loadControlPlane()).rejects.toBeInstanceOf(SecretEnvelopeError);

    // Saving unchanged secrets keeps their envelopes; a changed secret gets a new one.
    const next = copy(data);
    next.credentials[0]!.secret = { api_key: 'sk-rotated' };
    await keyed.saveControlPlane(next);
    const after = await stored();
    for (const credential of data.credentials.slice(1))
      expect(after[credential.id]).toBe(sealed[credential.id]);
    expect(after[data.credentials[0]!.id]).not.toBe(sealed[data.credentials[0]!.id]);
    expectSameData(await keyed.loadControlPlane(), next);
  });

  it('serialises concurrent saves: every save applies, none loses the version bump', async () => {
    const base = await sampleData();
    await ctx.store.saveControlPlane(base);
    const start = await ctx.store.readControlPlaneVersion();
    // Each writer is its own store object over the shared pool, as separate admin requests are.
    const variants = Array.from({ length: 8 }, (_, i) => {
      const data = copy(base);
      data.aliases[0]!.target = `target-${i}`;
      data.providers.push({ ...base.providers[0]!, id: `p-extra-${i}`, name: `extra-${i}` });
      data.credentials.push({ ...base.credentials[0]!, id: `c-extra-${i}`, providerId: `p-extra-${i}` });
      return data;
    });
    await Promise.all(
      variants.map((data) => new KyselyControlPlaneStore(ctx.store.db).saveControlPlane(data)),
    );
    expect(await ctx.store.readControlPlaneVersion()).toBe(start + variants.length);
    // The store equals whichever save committed last, never a mix of two.
    const loaded = await ctx.store.loadControlPlane();
    const winner = variants.find(
      (data) => data.aliases[0]!.target === loaded.aliases.find((a) => a.id === data.aliases[0]!.id)?.target,
    );
    expect(winner).toBeDefined();
    expectSameData(loaded, winner!);
  });

  it('serialises concurrent first-boot users and overlapping usage batches', async () => {
    const template = (await sampleData()).users[0]!;
    const start = await ctx.store.readControlPlaneVersion();
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        ctx.store.createUser({ ...template, id: `u-c${i}`, name: `user-${i}` }, []),
      ),
    );
    expect(await ctx.store.countUsers()).toBe(6);
    expect(await ctx.store.readControlPlaneVersion()).toBe(start + 6);

    // Four flushes racing over the same 300 request ids.
    const batch = (offset: number) => Array.from({ length: 200 }, (_, i) => usage(`req-race-${offset + i}`));
    await Promise.all(
      [batch(0), batch(100), batch(50), batch(0)].map((records) => ctx.store.insertUsage(records)),
    );
    expect(await usageCount()).toBe(300);
  });
}
