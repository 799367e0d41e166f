import { describe, expect, it } from 'vitest';
import { BundleValidationError } from '../bundle-errors';
import { prepareBundle } from '../bundle';
import { exportBundle } from '../import-export';
import { planImport } from '../import-plan';
import { emptyControlPlaneData, type ControlPlaneData } from '../model';
import { removeRecord, renameRecord } from '../admin/remove-record';
import { buildSnapshot } from '../snapshot';

const provider = (name: string, ruleSets?: string[]) => ({
  name,
  channel: 'openai',
  settings: { base_url: 'http://127.0.0.1:9/v1', ...(ruleSets === undefined ? {} : { rule_sets: ruleSets }) },
});

const tagging = {
  name: 'tagging',
  description: 'adds our tags',
  rules: [
    { action: 'set_header', header: 'X-Team', value: 'red' },
    {
      action: 'default_field',
      path: '/metadata/source',
      value: { by: 'gproxy' },
      when: { models: ['gpt-*'], stream: false },
    },
    { action: 'remove_response_header', header: 'x-upstream-debug' },
  ],
};

async function plan(
  bundle: Record<string, unknown>,
  current = emptyControlPlaneData(),
): Promise<ControlPlaneData> {
  return planImport(current, await prepareBundle({ version: 1, ...bundle })).next;
}

async function issuesOf(bundle: Record<string, unknown>): Promise<readonly string[]> {
  try {
    await plan(bundle);
  } catch (error) {
    if (error instanceof BundleValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected the bundle to be rejected');
}

describe('rule sets in bundles', () => {
  it('stores validated rules with lower-case header names and exports them back unchanged', async () => {
    const data = await plan({ rule_sets: [tagging], providers: [provider('oa', ['tagging'])] });
    expect(data.ruleSets).toHaveLength(1);
    expect(data.ruleSets[0]?.rules[0]).toEqual({ action: 'set_header', header: 'x-team', value: 'red' });
    const exported = exportBundle(data);
    expect(exported.rule_sets).toEqual([
      { ...tagging, rules: [{ ...tagging.rules[0], header: 'x-team' }, tagging.rules[1], tagging.rules[2]] },
    ]);
    expect(exported.providers[0]?.settings['rule_sets']).toEqual(['tagging']);
    // Re-importing the export changes nothing.
    expect(planImport(data, await prepareBundle(exported)).changes).toEqual([]);
  });

  it('refuses rules that touch credentials, framing or signed headers, naming the field', async () => {
    const rules = [
      { action: 'set_header', header: 'Authorization', value: 'Bearer x' },
      { action: 'remove_header', header: 'content-length' },
      { action: 'set_header', header: 'x-amz-date', value: 'now' },
      { action: 'set_response_header', header: 'Transfer-Encoding', value: 'chunked' },
      { action: 'set_header', header: 'x-ok', value: 'a\r\nx-injected: 1' },
      { action: 'set_header', header: 'bad name', value: 'v' },
    ];
    expect(await issuesOf({ rule_sets: [{ name: 'bad', rules }] })).toEqual([
      'rule_sets[0].rules[0].header: "authorization" carries credentials, which the channel injects; rules cannot change it',
      'rule_sets[0].rules[1].header: "content-length" is set by the transport; rules cannot change it',
      'rule_sets[0].rules[2].header: "x-amz-date" is signed by the aws-bedrock channel; rules cannot change it',
      'rule_sets[0].rules[3].header: "transfer-encoding" is set by the transport; rules cannot change it',
      'rule_sets[0].rules[4].value: Must not contain line breaks or NUL',
      expect.stringMatching(/^rule_sets\[0\]\.rules\[5\]\.header: Must be an HTTP header name/),
    ]);
  });

  it('refuses bad pointers, missing values, unknown actions and conditions', async () => {
    const rules = [
      { action: 'set_field', path: 'metadata', value: 1 },
      { action: 'remove_field', path: '' },
      { action: 'set_field', path: '/a~2' },
      { action: 'rewrite', path: '/a' },
      { action: 'remove_field', path: '/a', when: { wires: ['soap'], models: [] } },
      { action: 'remove_field', path: '/a', extra: true },
    ];
    const issues = await issuesOf({ rule_sets: [{ name: 'bad', rules }] });
    expect(issues).toEqual([
      'rule_sets[0].rules[0].path: Must start with "/" (a JSON Pointer)',
      'rule_sets[0].rules[1].path: Must name a field, not the whole body ("")',
      expect.stringMatching(/^rule_sets\[0\]\.rules\[2\]\.path: Has an invalid "~" escape/),
      'rule_sets[0].rules[2].value: Required: a JSON value (string, number, boolean, null, object or array)',
      expect.stringMatching(/^rule_sets\[0\]\.rules\[3\]\.action: Unknown action; use set_header/),
      expect.stringMatching(/^rule_sets\[0\]\.rules\[4\]\.when\.models: Must list at least one value/),
      expect.stringMatching(/^rule_sets\[0\]\.rules\[4\]\.when\.wires\[0\]: Must be one of openai-chat/),
      expect.stringMatching(/^rule_sets\[0\]\.rules\[5\]: .*extra/),
    ]);
  });

  it('refuses a rule set whose rules exceed the stored size, naming the field', async () => {
    const big = 'x'.repeat(300_000);
    const rules = Array.from({ length: 4 }, (_, i) => ({ action: 'set_field', path: `/f${i}`, value: big }));
    expect(await issuesOf({ rule_sets: [{ name: 'huge', rules }] })).toEqual([
      'rule_sets[0].rules: Must be at most 1000000 characters of JSON in all',
    ]);
    expect((await plan({ rule_sets: [{ name: 'fits', rules: rules.slice(0, 3) }] })).ruleSets).toHaveLength(
      1,
    );
  });

  it('refuses duplicate names and attachments of unknown rule sets', async () => {
    expect(await issuesOf({ rule_sets: [{ name: 'a' }, { name: 'a' }] })).toEqual([
      'rule_sets[1].name: Duplicate rule set name (first at rule_sets[0])',
    ]);
    expect(await issuesOf({ providers: [provider('oa', ['nope'])] })).toEqual([
      'providers[0].settings.rule_sets[0]: Unknown rule set "nope"',
    ]);
    expect(await issuesOf({ rule_sets: [{ name: 'a' }], providers: [provider('oa', ['a', 'a'])] })).toEqual([
      'providers[0].settings.rule_sets: Must not name a rule set twice',
    ]);
  });
});

describe('rule sets in the admin record operations', () => {
  it('refuses to delete an attached rule set, and deletes it once detached', async () => {
    const data = await plan({
      rule_sets: [tagging],
      providers: [provider('oa', ['tagging']), provider('an')],
    });
    expect(() => removeRecord(data, 'rule_sets', { name: 'tagging' })).toThrow(
      'Rule set "tagging" is attached to providers "oa"; detach it first',
    );
    const detached = await plan({ providers: [provider('oa', [])] }, data);
    expect(removeRecord(detached, 'rule_sets', { name: 'tagging' }).ruleSets).toEqual([]);
  });

  it('carries attachments along a rename', async () => {
    const data = await plan({
      rule_sets: [tagging, { name: 'other' }],
      providers: [provider('oa', ['other', 'tagging'])],
    });
    const renamed = renameRecord(data, 'rule_sets', { name: 'tagging' }, { name: 'tags' });
    expect(renamed.ruleSets.map((set) => set.name).sort()).toEqual(['other', 'tags']);
    expect(renamed.providers[0]?.settings['rule_sets']).toEqual(['other', 'tags']);
  });
});

describe('rule sets in the snapshot', () => {
  it('gives each provider its attached sets in attachment order, and nothing to providers without', async () => {
    const data = await plan({
      rule_sets: [tagging, { name: 'other' }],
      providers: [provider('oa', ['other', 'tagging']), provider('an')],
    });
    const snapshot = buildSnapshot(data, 1);
    expect(snapshot.providersByName.get('oa')?.ruleSets?.map((set) => set.name)).toEqual([
      'other',
      'tagging',
    ]);
    expect(snapshot.providersByName.get('an')?.ruleSets).toBeUndefined();
  });
});
