import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../core/digest';
import { sampleData } from '../../test/store/fixtures';
import { prepareBundle } from './bundle';
import { BundleValidationError } from './bundle-errors';
import { planImport } from './import-plan';
import type { ControlPlaneData } from './model';

const NOW = new Date('2025-06-01T00:00:00.000Z');

async function plan(current: ControlPlaneData, json: unknown) {
  return planImport(current, await prepareBundle(json), { now: NOW });
}

async function rejection(current: ControlPlaneData, json: unknown): Promise<readonly string[]> {
  try {
    await plan(current, json);
  } catch (error) {
    if (error instanceof BundleValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected the import to be rejected');
}

describe('planImport', () => {
  it('updates records by name keeping their ids, and keeps records the bundle does not name', async () => {
    const current = await sampleData();
    const { next, changes } = await plan(current, {
      version: 1,
      providers: [{ name: 'oa', channel: 'openai', settings: { base_url: 'http://new/v1' } }],
      routes: [{ name: 'new-route', members: [{ provider: 'an', model: 'claude' }] }],
    });
    const oa = next.providers.find((p) => p.name === 'oa')!;
    expect(oa).toEqual({
      id: 'p-oa',
      name: 'oa',
      channel: 'openai',
      settings: { base_url: 'http://new/v1' },
      enabled: true,
    });
    // Credentials were not listed: all four kept. Provider "an", route "gpt-fast", users: untouched.
    expect(next.credentials).toEqual(current.credentials);
    expect(next.providers.find((p) => p.name === 'an')).toEqual(current.providers[1]);
    expect(next.routeMembers.filter((m) => m.routeId === 'r-fast')).toEqual(
      current.routeMembers.filter((m) => m.routeId === 'r-fast'),
    );
    expect(next.users).toEqual(current.users);
    const created = next.routes.find((r) => r.name === 'new-route')!;
    expect(created.id).not.toBe('');
    expect(next.routeMembers.filter((m) => m.routeId === created.id)).toEqual([
      expect.objectContaining({
        providerId: 'p-an',
        model: 'claude',
        tier: 0,
        weight: 1,
        enabled: true,
        position: 0,
      }),
    ]);
    expect(changes).toEqual([
      'update provider "oa" (settings)',
      'create route "new-route"',
      'create member an/claude of route "new-route"',
    ]);
    expect(current.providers[0]!.settings).toEqual({
      base_url: 'http://127.0.0.1:9001/v1',
      nested: { a: [1, 2] },
    });
  });

  it('replaces listed credentials: same label keeps id, missing secret keeps the stored one, others go', async () => {
    const current = await sampleData();
    const { next, changes } = await plan(current, {
      version: 1,
      providers: [
        {
          name: 'oa',
          channel: 'openai',
          settings: current.providers[0]!.settings,
          credentials: [
            { label: 'main', weight: 5 },
            {
              label: 'fresh',
              secret: { api_key: 'sk-fresh' },
              settings: { proxy: 'http://127.0.0.1:3128' },
              rpm: 60,
            },
          ],
        },
      ],
    });
    const creds = next.credentials.filter((c) => c.providerId === 'p-oa');
    expect(creds).toEqual([
      {
        id: 'c-oa-main',
        providerId: 'p-oa',
        label: 'main',
        secret: { api_key: 'sk-upstream' },
        settings: {},
        weight: 5,
        rpm: null,
        tpm: null,
        enabled: true,
      },
      expect.objectContaining({
        label: 'fresh',
        secret: { api_key: 'sk-fresh' },
        settings: { proxy: 'http://127.0.0.1:3128' },
        rpm: 60,
        tpm: null,
      }),
    ]);
    expect(next.credentials.find((c) => c.id === 'c-an')).toBeDefined();
    expect(changes).toEqual([
      'update credential "oa/main" (weight)',
      'create credential "oa/fresh"',
      'delete credential "oa/backup"',
      'delete credential "oa/off"',
    ]);
    expect(changes.join('\n')).not.toContain('sk-');
  });

  it('updates credential settings and budgets by label, reporting field names only', async () => {
    const current = await sampleData();
    const { next, changes } = await plan(current, {
      version: 1,
      providers: [
        {
          name: 'oa',
          channel: 'openai',
          settings: current.providers[0]!.settings,
          credentials: [
            { label: 'main', settings: { tls: { minVersion: 'TLSv1.3' } }, tpm: 5000 },
            // An old-style entry: no settings or budgets, which resets them to none.
            { label: 'backup', weight: 2 },
            { label: 'off', enabled: false },
          ],
        },
      ],
    });
    expect(next.credentials.find((c) => c.id === 'c-oa-main')).toMatchObject({
      settings: { tls: { minVersion: 'TLSv1.3' } },
      rpm: null,
      tpm: 5000,
    });
    expect(next.credentials.find((c) => c.id === 'c-oa-b')).toMatchObject({
      secret: { api_key: 'sk-b' },
      settings: {},
      rpm: null,
      tpm: null,
    });
    expect(changes).toEqual([
      'update credential "oa/main" (settings, tpm)',
      'update credential "oa/backup" (settings, rpm, tpm)',
    ]);
    expect(changes.join('\n')).not.toContain('socks5');
  });

  it('refuses a new credential without a secret', async () => {
    const issues = await rejection(await sampleData(), {
      version: 1,
      providers: [{ name: 'new', channel: 'openai', credentials: [{ label: 'main' }] }],
    });
    expect(issues).toEqual([
      'providers[0].credentials[0].secret: Required for a new credential (a bundle exported without secrets can only update existing ones)',
    ]);
  });

  it('replaces route members in bundle order; same provider+model keeps its id', async () => {
    const current = await sampleData();
    const { next } = await plan(current, {
      version: 1,
      routes: [
        {
          name: 'gpt-fast',
          members: [
            { provider: 'oa', model: 'gpt-4o-mini', tier: 1 },
            { provider: 'oa', model: 'o3' },
          ],
        },
      ],
    });
    const members = next.routeMembers.filter((m) => m.routeId === 'r-fast');
    expect(members).toEqual([
      {
        id: 'm-1',
        routeId: 'r-fast',
        providerId: 'p-oa',
        model: 'gpt-4o-mini',
        tier: 1,
        weight: 1,
        enabled: true,
        position: 0,
      },
      expect.objectContaining({ model: 'o3', position: 1 }),
    ]);
    expect(members[1]!.id).not.toMatch(/^m-/);
  });

  it('checks member providers and alias targets against the bundle and the store', async () => {
    const issues = await rejection(await sampleData(), {
      version: 1,
      providers: [{ name: 'gm', channel: 'gemini' }],
      routes: [
        {
          name: 'r',
          members: [
            { provider: 'gm', model: 'x' },
            { provider: 'ghost', model: 'y' },
          ],
        },
      ],
      aliases: [
        { name: 'ok-route', target: 'gpt-fast' },
        { name: 'ok-new-route', target: 'r' },
        { name: 'ok-direct', target: 'gm/gemini-2.5-flash' },
        { name: 'bad-provider', target: 'ghost/model' },
        { name: 'bad-route', target: 'nothing' },
        { name: 'bad-empty-model', target: 'oa/' },
      ],
    });
    expect(issues).toEqual([
      'routes[0].members[1].provider: Unknown provider "ghost"',
      'aliases[3].target: "ghost/model" is neither a route nor provider/model with a known provider',
      'aliases[4].target: "nothing" is neither a route nor provider/model with a known provider',
      'aliases[5].target: "oa/" is neither a route nor provider/model with a known provider',
    ]);
  });

  it('updates alias targets in place and appends new aliases in bundle order', async () => {
    const { next, changes } = await plan(await sampleData(), {
      version: 1,
      aliases: [
        { name: 'z-new', target: 'gpt-fast' },
        { name: 'direct', target: 'oa/o3' },
        { name: 'a-new', target: 'gpt-fast' },
      ],
    });
    const ordered = [...next.aliases].sort((a, b) => a.position - b.position);
    expect(ordered.map((a) => [a.name, a.target, a.position])).toEqual([
      ['fast', 'gpt-fast', 0],
      ['direct', 'oa/o3', 1],
      ['z-new', 'gpt-fast', 2],
      ['a-new', 'gpt-fast', 3],
    ]);
    expect(next.aliases.find((a) => a.name === 'direct')!.id).toBe('a-direct');
    expect(changes).toEqual([
      'create alias "z-new"',
      'update alias "direct" (target)',
      'create alias "a-new"',
    ]);
  });

  it('merges users and replaces listed keys, matching by label', async () => {
    const current = await sampleData();
    const { next, changes } = await plan(current, {
      version: 1,
      users: [
        {
          name: 'alice',
          admin: true,
          keys: [
            { label: 'laptop', digest: current.userKeys[0]!.digest, enabled: false },
            { label: 'phone', key: 'sk-gp-alice-phone', expires_at: '2026-01-01T00:00:00Z' },
          ],
        },
        { name: 'carol', keys: [{ label: 'main', digest: 'AB'.repeat(32) }] },
      ],
    });
    const alice = next.users.find((u) => u.name === 'alice')!;
    expect(alice).toEqual({ ...current.users[0], isAdmin: true });
    const keys = next.userKeys.filter((k) => k.userId === 'u-alice');
    expect(keys).toEqual([
      { ...current.userKeys[0], enabled: false },
      expect.objectContaining({
        label: 'phone',
        digest: await sha256Hex('sk-gp-alice-phone'),
        hint: 'sk-gp-alic…',
        expiresAt: '2026-01-01T00:00:00Z',
        createdAt: NOW.toISOString(),
      }),
    ]);
    const carol = next.users.find((u) => u.name === 'carol')!;
    expect(carol).toMatchObject({ isAdmin: false, enabled: true, createdAt: NOW.toISOString() });
    expect(next.userKeys.find((k) => k.userId === carol.id)).toMatchObject({
      digest: 'ab'.repeat(32),
      hint: 'sha256:abababab…',
    });
    expect(next.users.find((u) => u.name === 'bob')).toEqual(current.users[1]);
    expect(changes).toEqual([
      'update user "alice" (isAdmin)',
      'update key "alice/laptop" (enabled)',
      'create key "alice/phone"',
      'delete key "alice/old"',
      'create user "carol"',
      'create key "carol/main"',
    ]);
  });

  it('refuses a key that another user already holds', async () => {
    const issues = await rejection(await sampleData(), {
      version: 1,
      users: [{ name: 'carol', keys: [{ label: 'stolen', key: 'sk-gp-alice-0001' }] }],
    });
    expect(issues).toEqual(['users[0].keys[0]: This key is already in use by user "alice"']);
  });

  it('reports no changes when the bundle matches the store', async () => {
    const current = await sampleData();
    const { next, changes } = await plan(current, {
      version: 1,
      providers: [
        {
          name: 'oa',
          channel: 'openai',
          settings: { nested: { a: [1, 2] }, base_url: 'http://127.0.0.1:9001/v1' },
        },
      ],
      aliases: [{ name: 'fast', target: 'gpt-fast' }],
    });
    expect(changes).toEqual([]);
    expect(next).toEqual(current);
  });
});
