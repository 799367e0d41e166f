/**
 * Rule sets end to end, through the built `gproxy serve` and a fake upstream (docs/rule-sets.md):
 * body fields set and removed in the upstream wire's body, headers added next to the channel's
 * credentials, `when` by model, wire and stream, passthrough and converted requests alike, response
 * headers reaching the client; then the admin API: create, attach, effective without a restart,
 * delete refused while attached, audited, in the OpenAPI document, and bundle round trips.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { fakeUpstreamBundle, USER_KEY } from '../support/gateway';
import { runCli, serveProcess, useCliTestDirs, type Served } from '../support/serve-process';

const ADMIN_KEY = 'sk-gp-rules-admin-000000000000000000000';
const tempDir = useCliTestDirs('gproxy-rules-');

const RULE_SETS = [
  {
    name: 'openai-shape',
    description: 'What every OpenAI request carries',
    rules: [
      { action: 'set_field', path: '/metadata/source', value: 'gproxy' },
      { action: 'remove_field', path: '/temperature' },
      { action: 'set_header', header: 'X-Team', value: 'red' },
      { action: 'set_field', path: '/user', value: 'tagged-4o', when: { models: ['gpt-4o*'] } },
      { action: 'set_header', header: 'x-stream', value: 'yes', when: { stream: true } },
      { action: 'set_response_header', header: 'x-served-by', value: 'gproxy-rules' },
      { action: 'remove_response_header', header: 'x-gproxy-route', when: { stream: true } },
    ],
  },
  {
    name: 'claude-shape',
    rules: [
      { action: 'set_field', path: '/metadata/user_id', value: 'gproxy-user', when: { wires: ['claude'] } },
      { action: 'remove_field', path: '/temperature' },
    ],
  },
];

let upstream: FakeUpstream;
let served: Served;
let dataDir: string;

function withRules(bundle: Record<string, unknown>): Record<string, unknown> {
  const attach: Record<string, string[]> = { oa: ['openai-shape'], an: ['claude-shape'] };
  const providers = (bundle['providers'] as { name: string; settings: Record<string, unknown> }[]).map((p) =>
    attach[p.name] === undefined ? p : { ...p, settings: { ...p.settings, rule_sets: attach[p.name] } },
  );
  const users = [
    ...(bundle['users'] as unknown[]),
    { name: 'root', admin: true, keys: [{ label: 'k', key: ADMIN_KEY }] },
  ];
  return { ...bundle, providers, users, rule_sets: RULE_SETS, settings: { request_log: 'all' } };
}

beforeAll(async () => {
  upstream = await startFakeUpstream();
  dataDir = await tempDir();
  const file = join(dataDir, 'bundle.json');
  await writeFile(
    file,
    JSON.stringify(withRules(fakeUpstreamBundle(upstream.url) as Record<string, unknown>)),
  );
  const imported = runCli(['import', '--in', file, '--data-dir', dataDir]);
  expect(imported.status, imported.stderr).toBe(0);
  served = await serveProcess(['--data-dir', dataDir]);
});
afterAll(async () => {
  served?.child.kill('SIGTERM');
  await served?.exited;
  await upstream.close();
});
beforeEach(() => upstream.reset());

function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${served.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${USER_KEY}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function admin(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${served.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

function lastRequest() {
  const request = upstream.requests.at(-1);
  if (request === undefined) throw new Error('the upstream saw no request');
  return request;
}

const chat = { messages: [{ role: 'user', content: 'hi' }], temperature: 0.3 };

describe('rule sets on upstream requests', () => {
  it('sets and removes body fields, adds a header beside the credential, and sets a response header', async () => {
    const res = await post('/v1/chat/completions', { model: 'fast', ...chat });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-served-by')).toBe('gproxy-rules');
    expect(res.headers.get('x-gproxy-route')).toContain('provider=oa');
    const seen = lastRequest();
    expect(seen.json).toEqual({
      model: 'gpt-4o-mini',
      messages: chat.messages,
      metadata: { source: 'gproxy' },
      user: 'tagged-4o',
    });
    expect(seen.headers['x-team']).toBe('red');
    expect(seen.headers['authorization']).toBe('Bearer sk-upstream-openai');
    expect(seen.headers['x-stream']).toBeUndefined();
  });

  it('names the rule sets that edited an attempt in its request-log trace', async () => {
    const res = await post('/v1/chat/completions', { model: 'fast', ...chat });
    expect(res.status).toBe(200);
    const requestId = res.headers.get('x-gproxy-request-id');
    let attempts: { provider: string; ruleSets?: string[] }[] | undefined;
    for (let i = 0; i < 50 && attempts === undefined; i++) {
      const page = (await (await admin('GET', '/admin/request-logs?limit=20')).json()) as {
        data: { requestId: string; attempts: { provider: string; ruleSets?: string[] }[] }[];
      };
      attempts = page.data.find((record) => record.requestId === requestId)?.attempts;
      if (attempts === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(attempts).toEqual([expect.objectContaining({ provider: 'oa', ruleSets: ['openai-shape'] })]);
  });

  it('applies a `when: models` rule only to the models it names', async () => {
    expect((await post('/v1/chat/completions', { model: 'oa/gpt-4.1', ...chat })).status).toBe(200);
    expect(lastRequest().json).toEqual({
      model: 'gpt-4.1',
      messages: chat.messages,
      metadata: { source: 'gproxy' },
    });
  });

  it('applies `when: stream` rules to streamed requests, response-header removals included', async () => {
    const res = await post('/v1/chat/completions', { model: 'fast', ...chat, stream: true });
    expect(res.status).toBe(200);
    await res.text();
    expect(lastRequest().headers['x-stream']).toBe('yes');
    expect(res.headers.get('x-served-by')).toBe('gproxy-rules');
    expect(res.headers.get('x-gproxy-route')).toBeNull();
  });

  it('edits the converted body in the upstream wire, with the rules of that provider only', async () => {
    const res = await post('/v1/chat/completions', { model: 'claude-fast', ...chat });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-served-by')).toBeNull();
    const seen = lastRequest();
    expect(seen.path).toBe('/v1/messages');
    const body = seen.json as Record<string, unknown>;
    expect(body['metadata']).toEqual({ user_id: 'gproxy-user' });
    expect(body).not.toHaveProperty('temperature');
    expect(seen.headers['x-team']).toBeUndefined();
  });

  it('forwards the body byte for byte where no rule applies', async () => {
    const text =
      '{"contents": [ {"role":"user","parts":[{"text":"hi"}]} ],  "generationConfig":{"temperature":1.0}}';
    expect((await post('/v1beta/models/gemini-fast:generateContent', text)).status).toBe(200);
    expect(lastRequest().body).toBe(text);
  });
});

describe('rule sets through the admin API', () => {
  const geminiBody = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };

  it('creates a rule set, refusing invalid rules by field', async () => {
    const bad = await admin('POST', '/admin/rule_sets', {
      name: 'bad',
      rules: [{ action: 'set_header', header: 'x-goog-api-key', value: 'stolen' }],
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toBe(
      'rules[0].header: "x-goog-api-key" carries credentials, which the channel injects; rules cannot change it',
    );
    const created = await admin('POST', '/admin/rule_sets', {
      name: 'gemini-labels',
      rules: [{ action: 'set_field', path: '/labels/team', value: 'red' }],
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({
      name: 'gemini-labels',
      description: null,
      rules: [{ action: 'set_field', path: '/labels/team', value: 'red' }],
    });
  });

  it('takes effect as soon as a provider attaches it, without a restart', async () => {
    await post('/v1beta/models/gemini-fast:generateContent', geminiBody);
    expect(lastRequest().json).toEqual(geminiBody);
    const attach = await admin('PATCH', '/admin/providers/ge', {
      settings: { base_url: `${upstream.url}/v1beta`, rule_sets: ['gemini-labels'] },
    });
    expect(attach.status).toBe(200);
    expect((await post('/v1beta/models/gemini-fast:generateContent', geminiBody)).status).toBe(200);
    expect(lastRequest().json).toEqual({ ...geminiBody, labels: { team: 'red' } });
  });

  it('refuses attaching an unknown rule set and deleting an attached one', async () => {
    const unknown = await admin('PATCH', '/admin/providers/ge', {
      settings: { base_url: `${upstream.url}/v1beta`, rule_sets: ['nope'] },
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toBe(
      'settings.rule_sets[0]: Unknown rule set "nope"',
    );
    const refused = await admin('DELETE', '/admin/rule_sets/gemini-labels');
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(
      'Rule set "gemini-labels" is attached to providers "ge"',
    );
    expect((await admin('GET', '/admin/rule_sets/gemini-labels')).status).toBe(200);
  });

  it('audits rule-set mutations and describes the endpoints in the OpenAPI document', async () => {
    const audit = (await (await admin('GET', '/admin/audit?limit=50')).json()) as {
      data: { action: string; status: number }[];
    };
    expect(audit.data).toContainEqual(
      expect.objectContaining({ action: 'POST /admin/rule_sets', status: 201 }),
    );
    expect(audit.data).toContainEqual(
      expect.objectContaining({ action: 'DELETE /admin/rule_sets/:name', status: 409 }),
    );
    const openapi = (await (await admin('GET', '/admin/openapi.json')).json()) as {
      paths: Record<string, object>;
    };
    expect(Object.keys(openapi.paths['/admin/rule_sets'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(openapi.paths['/admin/rule_sets/{name}'] ?? {}).sort()).toEqual([
      'delete',
      'get',
      'patch',
      'put',
    ]);
  });

  it('exports rule sets and attachments in the bundle, and they import into a fresh installation', async () => {
    const exported = (await (await admin('GET', '/admin/bundle?include_secrets=true')).json()) as {
      rule_sets: { name: string }[];
      providers: { name: string; settings: Record<string, unknown> }[];
    };
    expect(exported.rule_sets.map((set) => set.name)).toEqual([
      'claude-shape',
      'gemini-labels',
      'openai-shape',
    ]);
    expect(exported.providers.find((p) => p.name === 'ge')?.settings['rule_sets']).toEqual(['gemini-labels']);
    const dry = (await (await admin('POST', '/admin/bundle?dry_run=true', exported)).json()) as {
      changes: string[];
    };
    expect(dry.changes).toEqual([]);

    const fresh = await tempDir();
    const file = join(fresh, 'export.json');
    await writeFile(file, JSON.stringify(exported));
    expect(runCli(['import', '--in', file, '--data-dir', fresh]).status).toBe(0);
    const again = runCli(['export', '--data-dir', fresh, '--include-secrets']);
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual(JSON.parse(await readFile(file, 'utf8')));
  });

  it('deletes a rule set once detached; requests then go out without it', async () => {
    expect(
      (await admin('PATCH', '/admin/providers/ge', { settings: { base_url: `${upstream.url}/v1beta` } }))
        .status,
    ).toBe(200);
    expect((await admin('DELETE', '/admin/rule_sets/gemini-labels')).status).toBe(204);
    expect((await admin('GET', '/admin/rule_sets/gemini-labels')).status).toBe(404);
    await post('/v1beta/models/gemini-fast:generateContent', geminiBody);
    expect(lastRequest().json).toEqual(geminiBody);
  });
});
