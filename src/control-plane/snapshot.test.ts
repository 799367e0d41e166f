import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../core/digest';
import { ALICE_KEY, BOB_KEY, sampleData } from '../../test/store/fixtures';
import { buildSnapshot } from './snapshot';

describe('buildSnapshot', () => {
  it('indexes enabled providers with their enabled credentials in label order', async () => {
    const snapshot = buildSnapshot(await sampleData(), 7);
    expect(snapshot.version).toBe(7);
    expect([...snapshot.providersByName.keys()]).toEqual(['oa']);
    const oa = snapshot.providersByName.get('oa')!;
    expect(oa).toMatchObject({
      id: 'p-oa',
      channel: 'openai',
      settings: { base_url: 'http://127.0.0.1:9001/v1' },
    });
    expect(oa.credentials.map((c) => c.label)).toEqual(['backup', 'main']);
  });

  it('keeps enabled routes with enabled members of enabled providers, by tier then position', async () => {
    const snapshot = buildSnapshot(await sampleData(), 1);
    expect([...snapshot.routesByName.keys()]).toEqual(['gpt-fast']);
    const route = snapshot.routesByName.get('gpt-fast')!;
    expect(route.strategy).toBe('failover');
    expect(route.members.map((m) => m.member.model)).toEqual(['gpt-4.1-mini', 'gpt-4o-mini', 'gpt-4o']);
    // Members point at the same provider view the name index holds.
    expect(route.members[0]!.provider).toBe(snapshot.providersByName.get('oa'));
  });

  it('finds enabled keys of enabled users by digest only', async () => {
    const snapshot = buildSnapshot(await sampleData(), 1);
    const alice = snapshot.keysByDigest.get(await sha256Hex(ALICE_KEY));
    expect(alice?.user.name).toBe('alice');
    expect(alice?.key.id).toBe('k-alice');
    expect(snapshot.keysByDigest.has(await sha256Hex('sk-gp-alice-old'))).toBe(false); // key disabled
    expect(snapshot.keysByDigest.has(await sha256Hex(BOB_KEY))).toBe(false); // user disabled
    expect(snapshot.keysByDigest.size).toBe(1);
  });

  it('maps aliases in configured order', async () => {
    const data = await sampleData();
    data.aliases.reverse();
    const snapshot = buildSnapshot(data, 1);
    expect([...snapshot.aliases.entries()]).toEqual([
      ['fast', 'gpt-fast'],
      ['direct', 'oa/gpt-4o'],
    ]);
  });

  it('compiles regex aliases once, per scope, and keeps route affinity', async () => {
    const data = await sampleData();
    data.aliases.push(
      { id: 'a-re', name: 'gpt-(.*)', target: 'oa/gpt-$1', kind: 'regex', providerId: null, position: 2 },
      { id: 'a-oa', name: 'mini', target: 'gpt-4o-mini', kind: 'exact', providerId: 'p-oa', position: 3 },
      { id: 'a-an', name: 'haiku', target: 'claude-haiku', kind: 'exact', providerId: 'p-an', position: 4 },
    );
    data.routes[0]!.affinity = { subject: 'session', ttlSeconds: 60 };
    const snapshot = buildSnapshot(data, 1);
    expect(snapshot.globalAliases.patterns.map((p) => [p.source, p.pattern.test('gpt-4o')])).toEqual([
      ['gpt-(.*)', true],
    ]);
    expect(snapshot.globalAliases.patterns[0]!.pattern.test('xgpt-4o')).toBe(false);
    expect(snapshot.aliases.has('gpt-(.*)')).toBe(false);
    expect([...snapshot.providersByName.get('oa')!.aliases.exact]).toEqual([['mini', 'gpt-4o-mini']]);
    expect(snapshot.routesByName.get('gpt-fast')!.affinity).toEqual({ subject: 'session', ttlSeconds: 60 });
  });

  it('is frozen and leaves the input untouched', async () => {
    const data = await sampleData();
    const before = structuredClone(data);
    const snapshot = buildSnapshot(data, 1);
    const oa = snapshot.providersByName.get('oa')!;
    expect(Object.isFrozen(snapshot)).toBe(true);
    expect(Object.isFrozen(oa)).toBe(true);
    expect(Object.isFrozen(oa.settings)).toBe(true);
    expect(Object.isFrozen(oa.settings.nested)).toBe(true);
    expect(Object.isFrozen(oa.credentials[0])).toBe(true);
    expect(Object.isFrozen(snapshot.routesByName.get('gpt-fast')!.members)).toBe(true);
    expect(() => (oa.credentials as unknown[]).push(1)).toThrow(TypeError);
    expect(data).toEqual(before);
    expect(Object.isFrozen(data.providers[0])).toBe(false);
  });
});
