import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/errors';
import type { AliasRecord, ControlPlaneData } from '../control-plane/model';
import { buildSnapshot } from '../control-plane/snapshot';
import { resolveModel } from './resolve';

let position = 0;
const alias = (
  name: string,
  target: string,
  kind: AliasRecord['kind'] = 'exact',
  providerId: string | null = null,
): AliasRecord => ({ id: `a${position}`, name, target, kind, providerId, position: position++ });

const data: ControlPlaneData = {
  orgs: [],
  teams: [],
  providers: [
    { id: 'p1', name: 'oa', channel: 'openai', settings: {}, enabled: true },
    { id: 'p2', name: 'an', channel: 'anthropic', settings: {}, enabled: true },
  ],
  credentials: [],
  providerModels: [],
  routes: [{ id: 'r1', name: 'gpt-fast', strategy: 'failover', enabled: true, affinity: null }],
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
    alias('fast', 'gpt-fast'),
    alias('quick', 'fast'),
    alias('pinned', 'oa/gpt-4.1'),
    alias('loop-a', 'loop-b'),
    alias('loop-b', 'loop-a'),
    // Regex aliases: full match, groups in the target, first match in configured order.
    alias('claude-(\\d)-(.+)', 'an/claude-$2-$1', 'regex'),
    alias('claude-.*', 'an/claude-fallback', 'regex'),
    alias('gpt-fa.t', 'never-reached', 'regex'),
    alias('grow-(.*)', 'grow-x$1', 'regex'),
    // Provider-scoped: renames that provider's own model ids.
    alias('sonnet', 'claude-sonnet-4-5', 'exact', 'p2'),
    alias('haiku-(.+)', 'claude-haiku-$1', 'regex', 'p2'),
  ],
  users: [],
  userKeys: [],
  instanceSettings: [],
  priceRules: [],
  rateLimits: [],
  quotas: [],
  ruleSets: [],
};
const snapshot = buildSnapshot(data, 1);

const modelOf = (name: string, scope?: string): string | undefined =>
  resolveModel(snapshot, name, scope).members[0]?.upstreamModel;

describe('resolveModel', () => {
  it('resolves a route name to its members in tier order', () => {
    const resolution = resolveModel(snapshot, 'gpt-fast');
    expect(resolution.routeName).toBe('gpt-fast');
    expect(resolution.route?.id).toBe('r1');
    expect(resolution.members.map((m) => m.upstreamModel)).toEqual(['gpt-4o-mini', 'gpt-4o']);
    expect(resolution.members.map((m) => m.member?.id)).toEqual(['m1', 'm2']);
  });

  it('follows aliases, including an alias of an alias', () => {
    expect(resolveModel(snapshot, 'fast').routeName).toBe('gpt-fast');
    expect(resolveModel(snapshot, 'quick').routeName).toBe('gpt-fast');
  });

  it('addresses a provider directly as provider/model, also through an alias', () => {
    expect(resolveModel(snapshot, 'oa/o3')).toMatchObject({
      routeName: null,
      route: null,
      members: [{ upstreamModel: 'o3', member: null }],
    });
    expect(modelOf('pinned')).toBe('gpt-4.1');
    // Model ids may themselves contain slashes (e.g. OpenRouter ids): only the first one splits.
    expect(modelOf('oa/meta/llama-3')).toBe('meta/llama-3');
  });

  it('matches regex aliases against the whole name and substitutes their groups', () => {
    expect(resolveModel(snapshot, 'claude-4-sonnet').members[0]).toMatchObject({
      provider: { name: 'an' },
      upstreamModel: 'claude-sonnet-4',
    });
    // Not a full match of the first pattern (no digit): the next pattern in order answers.
    expect(modelOf('claude-opus')).toBe('claude-fallback');
    // A partial match is no match: "xclaude-1-a" matches neither pattern.
    expect(() => resolveModel(snapshot, 'xclaude-1-a')).toThrow(GatewayError);
  });

  it('looks names up as an exact alias, then a route, then the patterns', () => {
    // "gpt-fa.t" matches "gpt-fast", but a route of that name comes first.
    expect(resolveModel(snapshot, 'gpt-fast').routeName).toBe('gpt-fast');
    expect(() => resolveModel(snapshot, 'gpt-faxt')).toThrow(GatewayError); // -> never-reached
    expect(resolveModel(snapshot, 'fast').routeName).toBe('gpt-fast');
  });

  it("applies a provider's own aliases in provider/model addressing and on scoped endpoints", () => {
    expect(modelOf('an/sonnet')).toBe('claude-sonnet-4-5');
    expect(modelOf('an/haiku-4-5')).toBe('claude-haiku-4-5');
    expect(modelOf('sonnet', 'an')).toBe('claude-sonnet-4-5');
    expect(modelOf('haiku-3', 'an')).toBe('claude-haiku-3');
    // Unknown ids pass through as the provider's own model ids.
    expect(modelOf('claude-opus-4-1', 'an')).toBe('claude-opus-4-1');
    // Scoped endpoints ignore global aliases and routes.
    expect(modelOf('fast', 'oa')).toBe('fast');
    // Another provider's aliases do not apply.
    expect(modelOf('oa/sonnet')).toBe('sonnet');
  });

  it('answers a scoped endpoint of an unknown provider with not_found', () => {
    try {
      resolveModel(snapshot, 'gpt-4o', 'nope');
      expect.unreachable();
    } catch (error) {
      expect((error as GatewayError).code).toBe('not_found');
      expect((error as GatewayError).status).toBe(404);
    }
  });

  it('answers unknown names, unknown providers and alias cycles with model_not_found', () => {
    for (const name of ['nope', 'zz/gpt-4o', 'oa/', 'loop-a', 'grow-1']) {
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
