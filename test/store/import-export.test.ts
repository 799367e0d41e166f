import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/core/digest';
import { BundleValidationError } from '../../src/control-plane/bundle-errors';
import { parseBundle } from '../../src/control-plane/bundle';
import { exportBundle, importBundle } from '../../src/control-plane/import-export';
import { buildSnapshot } from '../../src/control-plane/snapshot';
import type { KyselyControlPlaneStore } from '../../src/store/persistence/kysely-store';
import { openSqliteStore } from '../../src/store/persistence/sqlite/open-sqlite';
import { normalize, sampleData } from './fixtures';

const README_EXAMPLE = {
  version: 1,
  providers: [
    {
      name: 'oa',
      channel: 'openai',
      settings: { base_url: 'http://127.0.0.1:9001/v1' },
      enabled: true,
      credentials: [{ label: 'main', secret: { api_key: 'sk-upstream' }, weight: 1, enabled: true }],
    },
  ],
  routes: [
    {
      name: 'gpt-fast',
      strategy: 'failover',
      enabled: true,
      members: [{ provider: 'oa', model: 'gpt-4o-mini', tier: 0, weight: 1, enabled: true }],
    },
  ],
  aliases: [{ name: 'fast', target: 'gpt-fast' }],
  users: [
    {
      name: 'alice',
      admin: false,
      enabled: true,
      keys: [{ label: 'laptop', key: 'sk-gp-alice-0001', enabled: true, expires_at: null }],
    },
  ],
};

describe('bundle import/export on SQLite', () => {
  let store: KyselyControlPlaneStore;
  let other: KyselyControlPlaneStore;
  beforeEach(async () => {
    store = await openSqliteStore({ file: ':memory:' });
    other = await openSqliteStore({ file: ':memory:' });
  });
  afterEach(async () => {
    await store.close();
    await other.close();
  });

  it('imports the documented example into a working snapshot', async () => {
    const result = await importBundle(store, README_EXAMPLE);
    expect(result.saved).toBe(true);
    expect(result.changes).toEqual([
      'create provider "oa"',
      'create credential "oa/main"',
      'create route "gpt-fast"',
      'create member oa/gpt-4o-mini of route "gpt-fast"',
      'create alias "fast"',
      'create user "alice"',
      'create key "alice/laptop"',
    ]);
    const snapshot = buildSnapshot(await store.loadControlPlane(), 1);
    expect(snapshot.routesByName.get('gpt-fast')?.members[0]?.provider.credentials[0]?.secret).toEqual({
      api_key: 'sk-upstream',
    });
    expect(snapshot.keysByDigest.get(await sha256Hex('sk-gp-alice-0001'))?.user.name).toBe('alice');
    expect(snapshot.aliases.get('fast')).toBe('gpt-fast');

    const again = await importBundle(store, README_EXAMPLE);
    expect(again).toEqual({ changes: [], saved: false });
  });

  it('round-trips export -> import -> export losslessly, into the same and into a fresh store', async () => {
    const data = await sampleData();
    await store.saveControlPlane(data);
    const exported = exportBundle(await store.loadControlPlane(), { includeSecrets: true });
    // What export writes is valid bundle JSON, also after serialization.
    const json: unknown = JSON.parse(JSON.stringify(exported));
    expect(parseBundle(json)).toEqual(exported);
    expect(exported.orgs[0]).toEqual({
      name: 'acme',
      enabled: true,
      permissions: ['gpt-*'],
      teams: [{ name: 'red', enabled: true, permissions: ['oa/*', 'fast'] }],
    });
    expect(exported.users.find((u) => u.name === 'alice')).toMatchObject({
      org: 'acme',
      team: 'red',
      permissions: ['claude-?'],
    });

    expect(await importBundle(store, json)).toEqual({ changes: [], saved: false });
    expect(normalize(await store.loadControlPlane())).toEqual(normalize(data));

    await importBundle(other, json);
    const copy = await other.loadControlPlane();
    expect(exportBundle(copy, { includeSecrets: true })).toEqual(exported);
    // Keys moved as digests: the same plaintext key authenticates on the copy.
    expect(buildSnapshot(copy, 1).keysByDigest.get(await sha256Hex('sk-gp-alice-0001'))?.user.name).toBe(
      'alice',
    );
  });

  it('exports credential settings and budgets, and imports them into a fresh store', async () => {
    await store.saveControlPlane(await sampleData());
    const exported = exportBundle(await store.loadControlPlane());
    const credentials = exported.providers.find((p) => p.name === 'oa')?.credentials;
    expect(credentials?.map((c) => [c.label, c.settings, c.rpm, c.tpm])).toEqual([
      [
        'backup',
        { proxy: 'socks5://127.0.0.1:1080', tls: { minVersion: 'TLSv1.3', alpnProtocols: ['h2'] } },
        60,
        100000,
      ],
      ['main', {}, null, null],
      ['off', {}, null, null],
    ]);
    const withSecrets = exportBundle(await store.loadControlPlane(), { includeSecrets: true });
    await importBundle(other, JSON.parse(JSON.stringify(withSecrets)));
    const backup = (await other.loadControlPlane()).credentials.find((c) => c.label === 'backup');
    expect(backup).toMatchObject({
      secret: { api_key: 'sk-b' },
      settings: { proxy: 'socks5://127.0.0.1:1080', tls: { minVersion: 'TLSv1.3', alpnProtocols: ['h2'] } },
      rpm: 60,
      tpm: 100000,
    });
  });

  it('imports a bundle written before credential settings existed: no settings, no budgets', async () => {
    await importBundle(store, README_EXAMPLE);
    expect((await store.loadControlPlane()).credentials).toEqual([
      expect.objectContaining({ label: 'main', settings: {}, weight: 1, rpm: null, tpm: null }),
    ]);
  });

  it('leaves secrets out unless asked, and such an export re-imports keeping stored secrets', async () => {
    await store.saveControlPlane(await sampleData());
    const bare = exportBundle(await store.loadControlPlane());
    const text = JSON.stringify(bare);
    expect(text).not.toContain('sk-upstream');
    expect(text).not.toContain('"secret"');
    expect(text).not.toContain('sk-gp-alice');
    expect(bare.users[0]!.keys![0]).toEqual({
      label: 'laptop',
      digest: await sha256Hex('sk-gp-alice-0001'),
      enabled: true,
      expires_at: null,
      permissions: ['direct'],
    });

    expect(await importBundle(store, JSON.parse(text))).toEqual({ changes: [], saved: false });
    const oa = (await store.loadControlPlane()).credentials.find((c) => c.id === 'c-oa-main');
    expect(oa?.secret).toEqual({ api_key: 'sk-upstream' });

    // Into an empty store the missing secrets are an error, not silently empty credentials.
    await expect(importBundle(other, JSON.parse(text))).rejects.toThrow(
      /providers\[\d\]\.credentials\[\d\]\.secret: Required for a new credential/,
    );
  });

  it('writes nothing when any part of the bundle is invalid', async () => {
    await store.saveControlPlane(await sampleData());
    const before = await store.loadControlPlane();
    const bundle = {
      version: 1,
      providers: [
        { name: 'new', channel: 'openai', credentials: [{ label: 'k', secret: { api_key: 'x' } }] },
      ],
      aliases: [{ name: 'broken', target: 'nowhere' }],
    };
    await expect(importBundle(store, bundle)).rejects.toBeInstanceOf(BundleValidationError);
    expect(await store.loadControlPlane()).toEqual(before);
  });

  it('computes changes without saving on a dry run', async () => {
    const result = await importBundle(store, README_EXAMPLE, { dryRun: true });
    expect(result.saved).toBe(false);
    expect(result.changes).toContain('create provider "oa"');
    expect(await store.countUsers()).toBe(0);
    expect((await store.loadControlPlane()).providers).toEqual([]);
  });

  it('imports examples/bundle.json', async () => {
    const json: unknown = JSON.parse(
      await readFile(new URL('../../examples/bundle.json', import.meta.url), 'utf8'),
    );
    await importBundle(store, json);
    const snapshot = buildSnapshot(await store.loadControlPlane(), 1);
    expect(
      snapshot.routesByName.get('demo')?.members.map((m) => [m.provider.channel, m.member.model]),
    ).toEqual([['mock', 'mock-1']]);
    expect(snapshot.aliases.get('fast')).toBe('demo');
    expect(snapshot.aliases.get('gpt-4o-mini')).toBe('demo');
    const demo = snapshot.keysByDigest.get(await sha256Hex('sk-gp-demo-0000000000000000000000000000'));
    expect(demo?.user.name).toBe('demo');
  });
});
