import { describe, expect, it } from 'vitest';
import { emptyControlPlaneData, type ControlPlaneData } from './model';
import { compileAccess, compilePattern, patternProblem } from './permissions';
import { buildSnapshot } from './snapshot';

describe('grant patterns', () => {
  it('matches model and route names without crossing "/"', () => {
    const gpt = compilePattern('gpt-*');
    expect(gpt.test('gpt-4o')).toBe(true);
    expect(gpt.test('gpt-')).toBe(true);
    expect(gpt.test('xgpt-4o')).toBe(false);
    expect(gpt.test('gpt-x/evil')).toBe(false);
    expect(compilePattern('claude-?').test('claude-3')).toBe(true);
    expect(compilePattern('claude-?').test('claude-35')).toBe(false);
    // Regex characters are literal.
    expect(compilePattern('a.b+c').test('a.b+c')).toBe(true);
    expect(compilePattern('a.b+c').test('axbbc')).toBe(false);
  });

  it('matches provider/model names by provider, then any model id (slashes included)', () => {
    const oa = compilePattern('oa/*');
    expect(oa.test('oa/gpt-4o')).toBe(true);
    expect(oa.test('oa/meta-llama/llama-3')).toBe(true);
    expect(oa.test('oab/gpt-4o')).toBe(false);
    expect(oa.test('gpt-4o')).toBe(false);
    const anyProvider = compilePattern('*/gpt-4o');
    expect(anyProvider.test('az/gpt-4o')).toBe(true);
    expect(anyProvider.test('a/b/gpt-4o')).toBe(false);
  });

  it('rejects empty, blank and one-sided provider patterns', () => {
    expect(patternProblem('')).toMatch(/empty/);
    expect(patternProblem('gpt 4')).toMatch(/white space/);
    expect(patternProblem('/gpt')).toMatch(/provider/);
    expect(patternProblem('oa/')).toMatch(/provider/);
    expect(patternProblem('oa/*')).toBeNull();
  });

  it('unites lists, and "*" alone grants everything', () => {
    const access = compileAccess([['fast'], [], ['oa/*']]);
    expect(access.all).toBe(false);
    expect(access.allows('fast')).toBe(true);
    expect(access.allows('oa/x')).toBe(true);
    expect(access.allows('slow')).toBe(false);
    expect(compileAccess([[], ['*']]).all).toBe(true);
    expect(compileAccess([['*']]).allows('a/b/c')).toBe(true);
    expect(compileAccess([]).allows('anything')).toBe(false);
  });
});

function tenancy(): ControlPlaneData {
  const data = emptyControlPlaneData();
  data.orgs.push({ id: 'o1', name: 'acme', enabled: true, permissions: ['gpt-*'] });
  data.teams.push(
    { id: 't1', orgId: 'o1', name: 'red', enabled: true, permissions: ['claude-fast'] },
    { id: 't2', orgId: 'o1', name: 'blue', enabled: true, permissions: [] },
  );
  const user = (id: string, teamId: string | null, isAdmin = false) => ({
    id,
    name: id,
    isAdmin,
    enabled: true,
    createdAt: '2026-01-01T00:00:00Z',
    passwordHash: null,
    orgId: 'o1',
    teamId,
    permissions: id === 'ann' ? ['oa/o1-*'] : [],
  });
  data.users.push(user('ann', 't1'), user('bob', 't2'), user('root', null, true));
  const key = (userId: string, permissions: string[] = []) => ({
    id: `k-${userId}`,
    userId,
    label: 'k',
    digest: `d-${userId}`,
    hint: '',
    enabled: true,
    expiresAt: null,
    createdAt: '2026-01-01T00:00:00Z',
    permissions,
    sealedKey: null,
  });
  data.userKeys.push(key('ann', ['embed-1']), key('bob'), key('root'));
  return data;
}

describe('the snapshot chain key -> user -> team -> org', () => {
  it('unites the grants along the chain; admins may use everything', () => {
    const snapshot = buildSnapshot(tenancy(), 1);
    const ann = snapshot.keysByDigest.get('d-ann')!.access;
    for (const name of ['embed-1', 'oa/o1-mini', 'claude-fast', 'gpt-4o'])
      expect(ann.allows(name)).toBe(true);
    expect(ann.allows('claude-slow')).toBe(false);
    const bob = snapshot.keysByDigest.get('d-bob')!.access;
    expect(bob.allows('gpt-4o')).toBe(true);
    expect(bob.allows('claude-fast')).toBe(false);
    expect(snapshot.keysByDigest.get('d-root')!.access.all).toBe(true);
  });

  it('leaves out the keys and users beneath a disabled team or org', () => {
    const data = tenancy();
    data.teams[0]!.enabled = false;
    let snapshot = buildSnapshot(data, 1);
    expect(snapshot.keysByDigest.has('d-ann')).toBe(false);
    expect(snapshot.usersByName.has('ann')).toBe(false);
    expect(snapshot.keysByDigest.has('d-bob')).toBe(true);
    data.orgs[0]!.enabled = false;
    snapshot = buildSnapshot(data, 2);
    expect(snapshot.keysByDigest.size).toBe(0);
    expect(snapshot.usersByName.size).toBe(0);
  });
});
