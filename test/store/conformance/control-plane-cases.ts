/** Conformance cases for the schema and for loading and saving the control plane. */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { migrateToLatest } from '../../../src/store/persistence/migrate';
import { migrations } from '../../../src/store/persistence/migrations/index';
import { sampleData } from '../fixtures';
import type { ConformanceContext } from './conformance';
import { collections, copy, expectSameData, mutateRecord, withoutRecord } from './support';

export function controlPlaneCases(ctx: ConformanceContext): void {
  it('migrates an empty database to the latest schema, and a second run finds nothing to do', async () => {
    const { store } = ctx;
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
      store.db,
    );
    expect(applied.rows.map((row) => row.name)).toEqual(Object.keys(migrations).sort());
    expect(await migrateToLatest(store.db as Kysely<unknown>)).toEqual([]);
    const empty = collections(await store.loadControlPlane());
    expect(Object.keys(empty).length).toBeGreaterThan(0);
    for (const [key, list] of Object.entries(empty)) expect({ [key]: list }).toEqual({ [key]: [] });
    expect(Number.isSafeInteger(await store.readControlPlaneVersion())).toBe(true);
  });

  it('round-trips every record type', async () => {
    const data = await sampleData();
    await ctx.store.saveControlPlane(data);
    const loaded = await ctx.store.loadControlPlane();
    // The fixture must give every collection rows, or a new table would go untested here.
    for (const [key, list] of Object.entries(collections(data))) {
      expect(
        list.length,
        `sampleData() has no ${key}; add some so every backend stores them`,
      ).toBeGreaterThan(0);
    }
    expectSameData(loaded, data);
  });

  it('keeps Unicode, quotes, long names, integer limits and nulls exactly', async () => {
    const data = await sampleData();
    const [provider, other] = data.providers;
    provider!.name = 'Ωmega-供应商-🚀';
    provider!.settings = {
      ключ: 'значение',
      emoji: '👩‍💻 e\u0301',
      quote: `it's "quoted" \\ back\\slash`,
      like: '100% _x_',
      rtl: 'مرحبا',
      nested: { empty: '', none: null, list: [1.5, -2, true] },
    };
    // 200 characters is the column's limit: Postgres and MySQL count characters, not bytes.
    other!.name = '🦊'.repeat(200);
    const credential = data.credentials[0]!;
    credential.label = 'ラベル';
    credential.secret = { api_key: 'sk-ü-🔑', empty: '' };
    credential.weight = 2147483647;
    credential.rpm = null;
    credential.tpm = 2147483647;
    data.routeMembers[0]!.model = 'modèle/🦙-70b:latest';
    data.users[0]!.name = 'Zoë Ångström';
    // Names are compared byte for byte: "FAST" and "fast" are two aliases on every backend.
    data.aliases.push({
      ...data.aliases[0]!,
      id: 'a-case',
      name: data.aliases[0]!.name.toUpperCase(),
      position: 9,
    });
    await ctx.store.saveControlPlane(data);
    expectSameData(await ctx.store.loadControlPlane(), data);
  });

  it('updates the changed fields of a record in every collection in place', async () => {
    const data = await sampleData();
    await ctx.store.saveControlPlane(data);
    const next = copy(data);
    for (const list of Object.values(collections(next))) {
      if (list[0] !== undefined) list[0] = mutateRecord(list[0]);
    }
    await ctx.store.saveControlPlane(next);
    expectSameData(await ctx.store.loadControlPlane(), next);
  });

  it('deletes records by id from every collection, with the records that refer to them', async () => {
    const data = await sampleData();
    await ctx.store.saveControlPlane(data);
    let next = copy(data);
    for (const key of Object.keys(collections(data))) {
      const last = collections(next)[key]?.at(-1);
      if (last !== undefined) next = withoutRecord(next, last.id);
    }
    await ctx.store.saveControlPlane(next);
    expectSameData(await ctx.store.loadControlPlane(), next);

    const empty = Object.fromEntries(Object.keys(collections(data)).map((key) => [key, []]));
    await ctx.store.saveControlPlane(empty as unknown as typeof data);
    expectSameData(await ctx.store.loadControlPlane(), empty as unknown as typeof data);
  });

  it('renames in one save: a freed name reused, names swapped, a name passed along', async () => {
    const data = await sampleData();
    await ctx.store.saveControlPlane(data);
    const next = copy(data);
    const route = next.routes[0]!;
    next.routes.push({ ...route, id: 'r-reuse', name: route.name });
    route.name = `${route.name}-old`;
    const [p1, p2] = next.providers;
    [p1!.name, p2!.name] = [p2!.name, p1!.name];
    const [u1, u2] = next.users;
    [u1!.name, u2!.name] = [u2!.name, u1!.name];
    const [c1, c2] = next.credentials.filter((c) => c.providerId === p1!.id);
    [c1!.label, c2!.label] = [c2!.label, c1!.label];
    // a0 takes a1's name while a1 moves on to a new one; a0 comes first, so order alone won't do.
    const [a0, a1] = next.aliases;
    a0!.name = a1!.name;
    a1!.name = `${a1!.name}-2`;
    await ctx.store.saveControlPlane(next);
    expectSameData(await ctx.store.loadControlPlane(), next);
  });

  it('cascades a deleted parent row to the rows that refer to it', async () => {
    const data = await sampleData();
    await ctx.store.saveControlPlane(data);
    const db = ctx.store.db;
    const provider = data.providers[0]!.id;
    const route = data.routes[0]!.id;
    const user = data.users[0]!.id;
    await db.deleteFrom('providers').where('id', '=', provider).execute();
    await db.deleteFrom('routes').where('id', '=', route).execute();
    await db.deleteFrom('users').where('id', '=', user).execute();
    const expected = withoutRecord(withoutRecord(withoutRecord(data, provider), route), user);
    expectSameData(await ctx.store.loadControlPlane(), expected);
  });

  it('rejects a reference to a missing row and keeps the previous state and version', async () => {
    const data = await sampleData();
    await ctx.store.saveControlPlane(data);
    const version = await ctx.store.readControlPlaneVersion();
    const broken = copy(data);
    broken.aliases = []; // a delete that must be undone
    broken.providers[0]!.channel = 'changed'; // an update that must be undone
    broken.credentials.push({ ...data.credentials[0]!, id: 'c-orphan', providerId: 'p-missing', label: 'x' });
    await expect(ctx.store.saveControlPlane(broken)).rejects.toThrow();
    expectSameData(await ctx.store.loadControlPlane(), data);
    expect(await ctx.store.readControlPlaneVersion()).toBe(version);
  });

  it('rejects a duplicate unique name and keeps the previous state', async () => {
    const data = await sampleData();
    await ctx.store.saveControlPlane(data);
    const broken = copy(data);
    broken.routes.push({ ...data.routes[0]!, id: 'r-dup' });
    await expect(ctx.store.saveControlPlane(broken)).rejects.toThrow();
    expectSameData(await ctx.store.loadControlPlane(), data);
  });

  it('saves, updates and deletes more than a thousand rows of one table', async () => {
    const data = await sampleData();
    const template = data.aliases[0]!;
    for (let i = 0; i < 1500; i++) {
      const id = `a-bulk-${String(i).padStart(4, '0')}`;
      data.aliases.push({ ...template, id, name: `bulk-${i}`, position: 100 + i });
    }
    await ctx.store.saveControlPlane(data);
    expect((await ctx.store.loadControlPlane()).aliases).toHaveLength(data.aliases.length);

    const next = copy(data);
    next.aliases = next.aliases
      .filter((alias) => !/^a-bulk-0/.test(alias.id)) // 1000 deletes
      .map((alias) => ({ ...alias, position: alias.position + 1 })); // the rest updated
    await ctx.store.saveControlPlane(next);
    expectSameData(await ctx.store.loadControlPlane(), next);
  });
}
