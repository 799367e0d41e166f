import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/errors';
import type { ControlPlaneData } from '../control-plane/model';
import { buildSnapshot } from '../control-plane/snapshot';
import { resolveModel } from './resolve';

const data: ControlPlaneData = {
  providers: [{ id: 'p1', name: 'oa', channel: 'openai', settings: {}, enabled: true }],
  credentials: [],
  routes: [{ id: 'r1', name: 'gpt-fast', strategy: 'failover', enabled: true }],
  routeMembers: [
    {
      id: 'm2',
      routeId: 'r1',
      providerId: 'p1',
      model: 'gpt-4o',
      tier: 1,
      weight: 1,
      enabled: true,
      position: 0,
    },
    {
      id: 'm1',
      routeId: 'r1',
      providerId: 'p1',
      model: 'gpt-4o-mini',
      tier: 0,
      weight: 1,
      enabled: true,
      position: 1,
    },
  ],
  aliases: [
    { id: 'a1', name: 'fast', target: 'gpt-fast', position: 0 },
    { id: 'a2', name: 'quick', target: 'fast', position: 1 },
    { id: 'a3', name: 'pinned', target: 'oa/gpt-4.1', position: 2 },
    { id: 'a4', name: 'loop-a', target: 'loop-b', position: 3 },
    { id: 'a5', name: 'loop-b', target: 'loop-a', position: 4 },
  ],
  users: [],
  userKeys: [],
};
const snapshot = buildSnapshot(data, 1);

describe('resolveModel', () => {
  it('resolves a route name to its members in tier order', () => {
    const resolution = resolveModel(snapshot, 'gpt-fast');
    expect(resolution.routeName).toBe('gpt-fast');
    expect(resolution.members.map((m) => m.upstreamModel)).toEqual(['gpt-4o-mini', 'gpt-4o']);
  });

  it('follows aliases, including an alias of an alias', () => {
    expect(resolveModel(snapshot, 'fast').routeName).toBe('gpt-fast');
    expect(resolveModel(snapshot, 'quick').routeName).toBe('gpt-fast');
  });

  it('addresses a provider directly as provider/model, also through an alias', () => {
    expect(resolveModel(snapshot, 'oa/o3')).toMatchObject({
      routeName: null,
      members: [{ upstreamModel: 'o3' }],
    });
    expect(resolveModel(snapshot, 'pinned').members[0]?.upstreamModel).toBe('gpt-4.1');
    // Model ids may themselves contain slashes (e.g. OpenRouter ids): only the first one splits.
    expect(resolveModel(snapshot, 'oa/meta/llama-3').members[0]?.upstreamModel).toBe('meta/llama-3');
  });

  it('answers unknown names, unknown providers and alias cycles with model_not_found', () => {
    for (const name of ['nope', 'zz/gpt-4o', 'oa/', 'loop-a']) {
      expect(() => resolveModel(snapshot, name)).toThrow(GatewayError);
      try {
        resolveModel(snapshot, name);
      } catch (error) {
        expect((error as GatewayError).code).toBe('model_not_found');
        expect((error as GatewayError).status).toBe(404);
      }
    }
  });
});
