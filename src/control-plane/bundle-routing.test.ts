/** The routing parts of bundles: strategies, affinity, regex and provider-scoped aliases. */
import { describe, expect, it } from 'vitest';
import { sampleData } from '../../test/store/fixtures';
import { parseBundle, prepareBundle } from './bundle';
import { BundleValidationError } from './bundle-errors';
import { exportBundle } from './import-export';
import { planImport } from './import-plan';
import type { ControlPlaneData } from './model';

function issuesOf(json: unknown): readonly string[] {
  try {
    parseBundle(json);
  } catch (error) {
    if (error instanceof BundleValidationError) return error.issues;
    throw error;
  }
  return [];
}

async function plan(current: ControlPlaneData, json: unknown) {
  return planImport(current, await prepareBundle(json), { now: new Date('2025-06-01T00:00:00.000Z') });
}

async function planIssues(current: ControlPlaneData, json: unknown): Promise<readonly string[]> {
  try {
    await plan(current, json);
  } catch (error) {
    if (error instanceof BundleValidationError) return error.issues;
    throw error;
  }
  return [];
}

describe('routing in bundles', () => {
  it('accepts every strategy and affinity subject, with defaults', () => {
    const bundle = parseBundle({
      version: 1,
      routes: [
        { name: 'a', strategy: 'round_robin' },
        { name: 'b', strategy: 'weighted', affinity: { subject: 'session' } },
        { name: 'c', strategy: 'least_latency', affinity: { subject: 'conversation', ttl_seconds: 300 } },
        { name: 'd', affinity: null },
      ],
      aliases: [{ name: 'x', target: 'a' }],
    });
    expect(bundle.routes.map((r) => [r.strategy, r.affinity])).toEqual([
      ['round_robin', null],
      ['weighted', { subject: 'session', ttl_seconds: 3600 }],
      ['least_latency', { subject: 'conversation', ttl_seconds: 300 }],
      ['failover', null],
    ]);
    expect(bundle.aliases[0]).toEqual({ name: 'x', target: 'a', kind: 'exact', provider: null });
  });

  it('rejects bad strategies, affinity subjects, regexes and group references by field path', () => {
    expect(
      issuesOf({
        version: 1,
        routes: [
          { name: 'a', strategy: 'random' },
          { name: 'b', affinity: { subject: 'ip' } },
        ],
        aliases: [
          { name: 'gpt-(', target: 'a', kind: 'regex' },
          { name: 'gpt-(.*)', target: 'oa/$2', kind: 'regex' },
          { name: 'x', target: 'a', kind: 'glob' },
        ],
      }),
    ).toEqual([
      expect.stringMatching(/^routes\[0\]\.strategy: /),
      'routes[1].affinity.subject: Must be "user_key", "session" or "conversation"',
      'aliases[0].name: Not a valid regular expression (Invalid regular expression: /gpt-(/: Unterminated group)',
      'aliases[1].target: $2 refers to a group the pattern does not have (it has 1)',
      'aliases[2].kind: Must be "exact" or "regex"',
    ]);
  });

  it('allows one name per scope: globally and once per provider', () => {
    const aliases = [
      { name: 'fast', target: 'gpt-fast' },
      { name: 'fast', target: 'gpt-4o-mini', provider: 'oa' },
      { name: 'fast', target: 'claude-haiku', provider: 'an' },
      { name: 'fast', target: 'gpt-4o', provider: 'oa' },
    ];
    expect(issuesOf({ version: 1, aliases })).toEqual([
      'aliases[3].name: Duplicate alias name (first at aliases[1])',
    ]);
  });

  it('imports scoped and regex aliases, checks what it can of their targets, and exports them back', async () => {
    const current = await sampleData();
    expect(
      await planIssues(current, {
        version: 1,
        aliases: [
          { name: 'x', target: 'y', provider: 'ghost' },
          { name: 'gpt-(.*)', target: 'ghost/$1', kind: 'regex' },
          { name: 'claude-(.*)', target: 'nowhere', kind: 'regex' },
        ],
      }),
    ).toEqual([
      'aliases[0].provider: Unknown provider "ghost"',
      'aliases[1].target: "ghost/$1" is neither a route nor provider/model with a known provider',
      'aliases[2].target: "nowhere" is neither a route nor provider/model with a known provider',
    ]);

    const { next, changes } = await plan(current, {
      version: 1,
      routes: [{ name: 'gpt-fast', affinity: { subject: 'user_key', ttl_seconds: 600 } }],
      aliases: [
        { name: 'gpt-(.*)', target: 'oa/gpt-$1', kind: 'regex' },
        { name: 'claude-(.*)', target: '$1', kind: 'regex' },
        { name: 'fast', target: 'gpt-4o-mini', provider: 'oa' },
      ],
    });
    expect(changes).toEqual([
      'update route "gpt-fast" (affinity)',
      'create alias "gpt-(.*)"',
      'create alias "claude-(.*)"',
      'create alias "fast" of provider "oa"',
    ]);
    const exported = exportBundle(next);
    expect(exported.routes.find((r) => r.name === 'gpt-fast')?.affinity).toEqual({
      subject: 'user_key',
      ttl_seconds: 600,
    });
    expect(exported.aliases).toEqual([
      { name: 'fast', target: 'gpt-fast', kind: 'exact', provider: null },
      { name: 'direct', target: 'oa/gpt-4o', kind: 'exact', provider: null },
      { name: 'gpt-(.*)', target: 'oa/gpt-$1', kind: 'regex', provider: null },
      { name: 'claude-(.*)', target: '$1', kind: 'regex', provider: null },
      { name: 'fast', target: 'gpt-4o-mini', kind: 'exact', provider: 'oa' },
    ]);
    // Importing the export changes no route or alias.
    const again = await plan(next, JSON.parse(JSON.stringify(exported)));
    expect(again.changes.filter((change) => /route|alias|member/.test(change))).toEqual([]);
  });
});
