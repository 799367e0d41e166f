import { describe, expect, it } from 'vitest';
import { emptyControlPlaneData } from '../control-plane/model';
import { compileAccess } from '../control-plane/permissions';
import { buildSnapshot } from '../control-plane/snapshot';
import { authorize } from './authorize';
import { resolveModel } from './resolve';

function snapshot() {
  const data = emptyControlPlaneData();
  for (const [id, name] of [
    ['p1', 'oa'],
    ['p2', 'an'],
  ] as const)
    data.providers.push({ id, name, channel: 'openai', settings: {}, enabled: true });
  data.routes.push({ id: 'r1', name: 'smart', strategy: 'failover', enabled: true, affinity: null });
  data.routeMembers.push(
    {
      id: 'm1',
      routeId: 'r1',
      providerId: 'p1',
      model: 'gpt-4o',
      tier: 0,
      weight: 1,
      enabled: true,
      position: 0,
    },
    {
      id: 'm2',
      routeId: 'r1',
      providerId: 'p2',
      model: 'claude-x',
      tier: 0,
      weight: 1,
      enabled: true,
      position: 1,
    },
  );
  data.aliases.push({
    id: 'a1',
    name: 'gpt-smart',
    target: 'smart',
    kind: 'exact',
    providerId: null,
    position: 0,
  });
  return buildSnapshot(data, 1);
}

const check = (patterns: string[], model: string, scope?: string) => {
  const resolution = resolveModel(snapshot(), model, scope);
  const allowed = authorize(compileAccess([patterns]), model, scope, resolution);
  return resolution.members.filter(allowed).map((m) => `${m.provider.name}/${m.upstreamModel}`);
};

describe('authorize', () => {
  it('allows a whole route by the requested name or the route name', () => {
    expect(check(['gpt-*'], 'gpt-smart')).toEqual(['oa/gpt-4o', 'an/claude-x']);
    expect(check(['smart'], 'gpt-smart')).toEqual(['oa/gpt-4o', 'an/claude-x']);
    expect(check(['*'], 'smart')).toEqual(['oa/gpt-4o', 'an/claude-x']);
  });

  it('narrows a route to the members whose provider/model is granted', () => {
    expect(check(['an/*'], 'smart')).toEqual(['an/claude-x']);
  });

  it('checks provider/model names on direct addressing and scoped endpoints', () => {
    expect(check(['oa/*'], 'oa/gpt-4o')).toEqual(['oa/gpt-4o']);
    expect(check(['oa/*'], 'gpt-4o', 'oa')).toEqual(['oa/gpt-4o']);
    // A plain model pattern does not reach a provider's models through its scoped endpoint.
    expect(() => check(['gpt-*'], 'gpt-4o', 'oa')).toThrow(/permission/);
  });

  it('denies with 403 naming only the requested model', () => {
    let caught: unknown;
    try {
      check(['claude-*'], 'gpt-smart');
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'permission_denied', status: 403 });
    expect(String((caught as Error).message)).toBe(
      "You do not have permission to use the model 'gpt-smart'.",
    );
    expect(() => check([], 'smart')).toThrow(/permission/);
  });
});
