import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/errors';
import { sha256Hex } from '../core/digest';
import { BundleValidationError, formatIssuePath } from './bundle-errors';
import { parseBundle, prepareBundle } from './bundle';

const valid = () => ({
  version: 1,
  providers: [
    {
      name: 'oa',
      channel: 'openai',
      settings: { base_url: 'http://127.0.0.1:9001/v1' },
      credentials: [{ label: 'main', secret: { api_key: 'sk-upstream' } }],
    },
  ],
  routes: [{ name: 'gpt-fast', members: [{ provider: 'oa', model: 'gpt-4o-mini' }] }],
  aliases: [{ name: 'fast', target: 'gpt-fast' }],
  users: [{ name: 'alice', keys: [{ label: 'laptop', key: 'sk-gp-alice-0001' }] }],
});

function issuesOf(json: unknown): readonly string[] {
  try {
    parseBundle(json);
  } catch (error) {
    if (error instanceof BundleValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected the bundle to be rejected');
}

describe('parseBundle', () => {
  it('applies defaults', () => {
    const bundle = parseBundle(valid());
    expect(bundle.providers[0]).toMatchObject({ enabled: true });
    // Bundles written before credential settings and budgets existed mean: none, unlimited.
    expect(bundle.providers[0]!.credentials![0]).toEqual({
      label: 'main',
      secret: { api_key: 'sk-upstream' },
      settings: {},
      weight: 1,
      rpm: null,
      tpm: null,
      enabled: true,
    });
    expect(bundle.routes[0]).toMatchObject({ strategy: 'failover', enabled: true });
    expect(bundle.routes[0]!.members![0]).toEqual({
      provider: 'oa',
      model: 'gpt-4o-mini',
      tier: 0,
      weight: 1,
      enabled: true,
    });
    expect(bundle.users[0]).toMatchObject({ admin: false, enabled: true });
    expect(bundle.users[0]!.keys![0]).toMatchObject({ enabled: true, expires_at: null });
    expect(parseBundle({ version: 1 })).toEqual({
      version: 1,
      orgs: [],
      providers: [],
      routes: [],
      aliases: [],
      users: [],
      prices: [],
      rate_limits: [],
      quotas: [],
      rule_sets: [],
    });
  });

  it('names missing and mistyped fields by path', () => {
    const json = valid();
    (json.providers[0]!.credentials as unknown[]).push({ secret: {} });
    (json.routes[0] as Record<string, unknown>).strategy = 'random';
    (json.users[0]!.keys[0] as Record<string, unknown>).expires_at = 'tomorrow';
    expect(issuesOf(json)).toEqual([
      'providers[0].credentials[1].label: Required',
      expect.stringMatching(/^routes\[0\]\.strategy: /),
      'users[0].keys[0].expires_at: Must be an ISO-8601 date-time or null',
    ]);
  });

  it('rejects unknown fields, a wrong version and a non-object', () => {
    const json = valid();
    (json.providers[0] as Record<string, unknown>).enabeld = false;
    json.version = 2;
    expect(issuesOf(json)).toEqual([
      'version: Unsupported bundle version; expected 1',
      'providers[0]: Unrecognized key: "enabeld"',
    ]);
    expect(issuesOf('nope')).toEqual([expect.stringMatching(/^bundle: /)]);
  });

  it('rejects "/" in provider names, empty names, and bad numbers', () => {
    const json = valid();
    json.providers[0]!.name = 'o/a';
    json.users[0]!.name = '';
    (json.routes[0]!.members[0] as Record<string, unknown>).tier = -1;
    (json.providers[0]!.credentials[0] as Record<string, unknown>).weight = 1.5;
    expect(issuesOf(json)).toEqual([
      'providers[0].name: Must not contain "/" (it separates provider/model)',
      'providers[0].credentials[0].weight: Must be an integer',
      'routes[0].members[0].tier: Must be >= 0',
      'users[0].name: Must not be empty',
    ]);
  });

  it('accepts credential settings, budgets and provider rotation, passing unknown settings through', () => {
    const json = valid();
    const provider = json.providers[0]! as Record<string, unknown>;
    provider.settings = { base_url: 'http://x/v1', rotation: 'sticky', sticky_ttl_seconds: 600, extra: 1 };
    provider.credentials = [
      {
        label: 'main',
        secret: { api_key: 'k' },
        settings: {
          proxy: 'socks5://user:pw@127.0.0.1:1080',
          tls: { minVersion: 'TLSv1.2', alpnProtocols: ['h2', 'http/1.1'], rejectUnauthorized: false },
          region: 'eu',
        },
        rpm: 60,
        tpm: null,
      },
    ];
    const bundle = parseBundle(json);
    expect(bundle.providers[0]!.settings).toEqual(provider.settings);
    expect(bundle.providers[0]!.credentials![0]).toMatchObject({
      settings: (provider.credentials as { settings: unknown }[])[0]!.settings,
      rpm: 60,
      tpm: null,
    });
  });

  it('names bad credential settings, budgets and rotation settings by path', () => {
    const json = valid();
    const provider = json.providers[0]! as Record<string, unknown>;
    provider.settings = { rotation: 'random', sticky_ttl_seconds: 0 };
    provider.credentials = [
      {
        label: 'main',
        settings: { proxy: 'ftp://user:hunter2@proxy:21', tls: { minVersion: 'TLSv1.0', cipher: 'x' } },
        rpm: 0,
        tpm: 1.5,
      },
      { label: 'b', settings: 'none', rpm: '60' },
    ];
    const issues = issuesOf(json);
    expect(issues).toEqual([
      'providers[0].settings.rotation: Must be "round_robin" or "sticky"',
      'providers[0].settings.sticky_ttl_seconds: Must be a positive integer',
      'providers[0].credentials[0].settings.proxy: Must be "direct" or an http, https, socks5 or socks5h URL with a host',
      'providers[0].credentials[0].settings.tls.minVersion: Must be "TLSv1.2" or "TLSv1.3"',
      'providers[0].credentials[0].settings.tls: Unrecognized key: "cipher"',
      'providers[0].credentials[0].rpm: Must be a positive integer',
      'providers[0].credentials[0].tpm: Must be an integer',
      expect.stringMatching(/^providers\[0\]\.credentials\[1\]\.settings: /),
      expect.stringMatching(/^providers\[0\]\.credentials\[1\]\.rpm: /),
    ]);
    // A proxy URL may hold a password: the error must not repeat it.
    expect(issues.join('\n')).not.toContain('hunter2');
  });

  it('requires exactly one of key or digest', () => {
    const json = valid();
    json.users[0]!.keys = [
      { label: 'a' } as never,
      { label: 'b', key: 'sk-gp-alice-0002', digest: 'a'.repeat(64) } as never,
      { label: 'c', digest: 'xyz' } as never,
    ];
    expect(issuesOf(json)).toEqual([
      'users[0].keys[0]: Give exactly one of "key" or "digest"',
      'users[0].keys[1]: Give exactly one of "key" or "digest"',
      'users[0].keys[2].digest: Must be 64 hex characters (a SHA-256 digest)',
    ]);
  });

  it('reports duplicate names and labels with the first occurrence', () => {
    const json = valid();
    json.providers.push({
      ...json.providers[0]!,
      credentials: [
        { label: 'x', secret: { api_key: 'a' } },
        { label: 'x', secret: { api_key: 'b' } },
      ],
    });
    json.aliases.push({ name: 'fast', target: 'gpt-fast' });
    expect(issuesOf(json)).toEqual([
      'providers[1].name: Duplicate provider name (first at providers[0])',
      'aliases[1].name: Duplicate alias name (first at aliases[0])',
      'providers[1].credentials[1].label: Duplicate credential label (first at providers[1].credentials[0])',
    ]);
  });

  it('throws a GatewayError with code invalid_request whose message lists every issue', () => {
    const json = valid();
    json.providers[0]!.channel = '';
    json.users[0]!.name = '';
    let caught: unknown;
    try {
      parseBundle(json);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GatewayError);
    expect(caught).toMatchObject({ code: 'invalid_request', status: 400 });
    expect((caught as Error).message).toBe(
      'Invalid bundle: providers[0].channel: Must not be empty; users[0].name: Must not be empty',
    );
  });
});

describe('prepareBundle', () => {
  it('replaces plaintext keys by their digest and a hint', async () => {
    const bundle = await prepareBundle(valid());
    const key = bundle.users[0]!.keys![0]!;
    expect(key).toEqual({
      label: 'laptop',
      digest: await sha256Hex('sk-gp-alice-0001'),
      hint: 'sk-gp-alic…',
      enabled: true,
      expires_at: null,
    });
    expect(JSON.stringify(bundle)).not.toContain('sk-gp-alice-0001');
  });

  it('rejects the same key given twice, also once as plaintext and once as digest', async () => {
    const json = valid();
    json.users.push({
      name: 'bob',
      keys: [{ label: 'k', digest: (await sha256Hex('sk-gp-alice-0001')).toUpperCase() } as never],
    });
    await expect(prepareBundle(json)).rejects.toThrow('users[1].keys[0]: Same key as users[0].keys[0]');
  });
});

describe('formatIssuePath', () => {
  it('quotes keys that are not identifiers', () => {
    expect(formatIssuePath(['providers', 0, 'settings', 'x-api-key'])).toBe(
      'providers[0].settings["x-api-key"]',
    );
    expect(formatIssuePath([])).toBe('bundle');
  });
});
