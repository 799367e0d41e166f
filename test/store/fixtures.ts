/** Sample control-plane data and usage records shared by the store and control-plane tests. */
import { sha256Hex } from '../../src/core/digest';
import type { ControlPlaneData } from '../../src/control-plane/model';
import type { UsageRecord } from '../../src/control-plane/usage-record';

export const ALICE_KEY = 'sk-gp-alice-0001';
export const BOB_KEY = 'sk-gp-bob-0000001';

export async function sampleData(): Promise<ControlPlaneData> {
  return {
    providers: [
      {
        id: 'p-oa',
        name: 'oa',
        channel: 'openai',
        settings: { base_url: 'http://127.0.0.1:9001/v1', nested: { a: [1, 2] } },
        enabled: true,
      },
      { id: 'p-an', name: 'an', channel: 'anthropic', settings: {}, enabled: false },
    ],
    credentials: [
      {
        id: 'c-oa-main',
        providerId: 'p-oa',
        label: 'main',
        secret: { api_key: 'sk-upstream' },
        settings: {},
        weight: 1,
        rpm: null,
        tpm: null,
        enabled: true,
      },
      {
        id: 'c-oa-b',
        providerId: 'p-oa',
        label: 'backup',
        secret: { api_key: 'sk-b' },
        settings: { proxy: 'socks5://127.0.0.1:1080', tls: { minVersion: 'TLSv1.3', alpnProtocols: ['h2'] } },
        weight: 2,
        rpm: 60,
        tpm: 100000,
        enabled: true,
      },
      {
        id: 'c-oa-off',
        providerId: 'p-oa',
        label: 'off',
        secret: { api_key: 'sk-off' },
        settings: {},
        weight: 1,
        rpm: null,
        tpm: null,
        enabled: false,
      },
      {
        id: 'c-an',
        providerId: 'p-an',
        label: 'main',
        secret: { api_key: 'sk-an' },
        settings: {},
        weight: 1,
        rpm: null,
        tpm: null,
        enabled: true,
      },
    ],
    routes: [
      { id: 'r-fast', name: 'gpt-fast', strategy: 'failover', enabled: true },
      { id: 'r-off', name: 'off-route', strategy: 'failover', enabled: false },
    ],
    routeMembers: [
      {
        id: 'm-3',
        routeId: 'r-fast',
        providerId: 'p-oa',
        model: 'gpt-4o',
        tier: 1,
        weight: 1,
        enabled: true,
        position: 0,
      },
      {
        id: 'm-1',
        routeId: 'r-fast',
        providerId: 'p-oa',
        model: 'gpt-4o-mini',
        tier: 0,
        weight: 1,
        enabled: true,
        position: 2,
      },
      {
        id: 'm-2',
        routeId: 'r-fast',
        providerId: 'p-oa',
        model: 'gpt-4.1-mini',
        tier: 0,
        weight: 1,
        enabled: true,
        position: 1,
      },
      {
        id: 'm-off',
        routeId: 'r-fast',
        providerId: 'p-oa',
        model: 'disabled',
        tier: 0,
        weight: 1,
        enabled: false,
        position: 3,
      },
      {
        id: 'm-an',
        routeId: 'r-fast',
        providerId: 'p-an',
        model: 'claude',
        tier: 0,
        weight: 1,
        enabled: true,
        position: 4,
      },
      {
        id: 'm-offroute',
        routeId: 'r-off',
        providerId: 'p-oa',
        model: 'x',
        tier: 0,
        weight: 1,
        enabled: true,
        position: 0,
      },
    ],
    aliases: [
      { id: 'a-fast', name: 'fast', target: 'gpt-fast', position: 0 },
      { id: 'a-direct', name: 'direct', target: 'oa/gpt-4o', position: 1 },
    ],
    users: [
      { id: 'u-alice', name: 'alice', isAdmin: false, enabled: true, createdAt: '2025-01-01T00:00:00.000Z' },
      { id: 'u-bob', name: 'bob', isAdmin: true, enabled: false, createdAt: '2025-01-02T00:00:00.000Z' },
    ],
    userKeys: [
      {
        id: 'k-alice',
        userId: 'u-alice',
        label: 'laptop',
        digest: await sha256Hex(ALICE_KEY),
        hint: 'sk-gp-alic…',
        enabled: true,
        expiresAt: null,
        createdAt: '2025-01-01T00:00:00.000Z',
      },
      {
        id: 'k-alice-old',
        userId: 'u-alice',
        label: 'old',
        digest: await sha256Hex('sk-gp-alice-old'),
        hint: 'sk-gp-alic…',
        enabled: false,
        expiresAt: '2030-01-01T00:00:00.000Z',
        createdAt: '2025-01-01T00:00:00.000Z',
      },
      {
        id: 'k-bob',
        userId: 'u-bob',
        label: 'main',
        digest: await sha256Hex(BOB_KEY),
        hint: 'sk-gp-bob-…',
        enabled: true,
        expiresAt: null,
        createdAt: '2025-01-02T00:00:00.000Z',
      },
    ],
  };
}

export function usage(requestId: string, overrides: Partial<UsageRecord> = {}): UsageRecord {
  return {
    requestId,
    createdAt: '2025-03-01T12:00:00.000Z',
    userId: 'u-alice',
    userKeyId: 'k-alice',
    operation: 'generate-content',
    clientWire: 'openai-chat',
    upstreamWire: 'claude',
    requestedModel: 'fast',
    routeName: 'gpt-fast',
    providerName: 'oa',
    credentialLabel: 'main',
    upstreamModel: 'gpt-4o-mini',
    stream: true,
    status: 200,
    endState: 'complete',
    errorCode: null,
    attempts: 1,
    inputTokens: 10,
    outputTokens: 20,
    cachedInputTokens: 3,
    cacheCreationTokens: 0,
    reasoningTokens: 5,
    usageSource: 'upstream-reported',
    latencyMs: 123,
    firstByteMs: 45,
    ...overrides,
  };
}

/** Sorts every collection by id so data read back in store order compares with the input. */
export function normalize(data: ControlPlaneData): ControlPlaneData {
  const byId = <T extends { id: string }>(list: T[]): T[] => [...list].sort((a, b) => (a.id < b.id ? -1 : 1));
  return {
    providers: byId(data.providers),
    credentials: byId(data.credentials),
    routes: byId(data.routes),
    routeMembers: byId(data.routeMembers),
    aliases: byId(data.aliases),
    users: byId(data.users),
    userKeys: byId(data.userKeys),
  };
}
