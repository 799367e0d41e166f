import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../core/digest';
import type { ControlPlaneData } from '../control-plane/model';
import { buildSnapshot } from '../control-plane/snapshot';
import { Authenticator, extractUserKey } from './authenticate';

async function snapshotWith(expiresAt: string | null, enabled = true) {
  const data: ControlPlaneData = {
    orgs: [],
    teams: [],
    providers: [],
    credentials: [],
    providerModels: [],
    routes: [],
    routeMembers: [],
    aliases: [],
    users: [
      {
        id: 'u1',
        name: 'alice',
        isAdmin: false,
        enabled,
        createdAt: '2026-01-01T00:00:00Z',
        passwordHash: null,
        orgId: null,
        teamId: null,
        permissions: [],
      },
    ],
    userKeys: [
      {
        id: 'k1',
        userId: 'u1',
        label: 'laptop',
        digest: await sha256Hex('sk-gp-alice'),
        hint: 'sk-gp-alic…',
        enabled: true,
        expiresAt,
        createdAt: '2026-01-01T00:00:00Z',
        permissions: [],
        sealedKey: null,
      },
    ],
    instanceSettings: [],
    priceRules: [],
    rateLimits: [],
    quotas: [],
    ruleSets: [],
  };
  return buildSnapshot(data, 1);
}

describe('extractUserKey', () => {
  it('reads the key from each place an SDK sends it', () => {
    expect(extractUserKey({ authorization: 'Bearer sk-1' }, null)).toBe('sk-1');
    expect(extractUserKey({ authorization: 'bearer  sk-2 ' }, null)).toBe('sk-2');
    expect(extractUserKey({ 'x-api-key': 'sk-3' }, null)).toBe('sk-3');
    expect(extractUserKey({ 'x-goog-api-key': 'sk-4' }, null)).toBe('sk-4');
    expect(extractUserKey({}, 'sk-5')).toBe('sk-5');
    expect(extractUserKey({ authorization: 'Basic abc' }, null)).toBeUndefined();
    expect(extractUserKey({}, null)).toBeUndefined();
  });
});

describe('Authenticator', () => {
  const now = Date.parse('2026-06-01T00:00:00Z');
  const auth = new Authenticator({ now: () => now });

  it('finds the user of a valid key', async () => {
    const identity = await auth.authenticate(await snapshotWith(null), 'sk-gp-alice');
    expect(identity.user.name).toBe('alice');
  });

  it('rejects missing, unknown, expired keys and keys of disabled users with 401', async () => {
    const cases: [() => Promise<unknown>, RegExp][] = [
      [async () => auth.authenticate(await snapshotWith(null), undefined), /Missing API key/],
      [async () => auth.authenticate(await snapshotWith(null), 'sk-gp-bob'), /Invalid API key/],
      [async () => auth.authenticate(await snapshotWith('2026-05-01T00:00:00Z'), 'sk-gp-alice'), /expired/],
      [async () => auth.authenticate(await snapshotWith(null, false), 'sk-gp-alice'), /Invalid API key/],
    ];
    for (const [attempt, message] of cases) {
      await expect(attempt()).rejects.toMatchObject({
        code: 'unauthenticated',
        status: 401,
        message: expect.stringMatching(message),
      });
    }
  });

  it('accepts a key whose expiry is still ahead', async () => {
    await expect(
      auth.authenticate(await snapshotWith('2026-07-01T00:00:00Z'), 'sk-gp-alice'),
    ).resolves.toBeDefined();
  });
});
