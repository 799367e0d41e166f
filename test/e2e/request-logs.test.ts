/**
 * The request log: failed requests are kept with their attempt trace by default; with
 * `request_log: all` every request is; `capture_bodies` keeps the client's headers and body,
 * redacted and capped. Read back, filtered and paged at /admin/request-logs.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { startTestGateway, USER_KEY, type TestGateway } from '../support/gateway';
import { openAiProvider } from '../support/bundles';

const ADMIN_KEY = 'sk-gp-admin-logs-000000000000000000000000000';

let upstream: FakeUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  gateway = await startTestGateway({
    version: 1,
    providers: [openAiProvider(upstream.url)],
    routes: [{ name: 'm', members: [{ provider: 'oa', model: 'gpt-up' }] }],
    users: [
      { name: 'root', admin: true, keys: [{ label: 'k', key: ADMIN_KEY }] },
      { name: 'alice', permissions: ['*'], keys: [{ label: 'k', key: USER_KEY }] },
    ],
  });
});
afterAll(async () => {
  await gateway.dispose();
  await upstream.close();
});
beforeEach(() => upstream.reset());

const admin = (method: string, path: string, body?: unknown) =>
  fetch(`${gateway.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

const chat = (content: string) =>
  fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${USER_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'm',
      messages: [{ role: 'user', content }],
      metadata: { api_key: 'sk-client-secret-in-body' },
    }),
  });

interface LogPage {
  data: {
    requestId: string;
    status: number;
    endState: string;
    routeHeader: string | null;
    attempts: { outcome: string; status?: number }[];
    requestHeaders: Record<string, string> | null;
    requestBody: string | null;
  }[];
  next: string | null;
}

/** Request logs are written in batches (about once a second); waits until `count` are there. */
async function logs(query: string, count: number): Promise<LogPage> {
  let page: LogPage = { data: [], next: null };
  for (let i = 0; i < 50; i++) {
    page = (await (await admin('GET', `/admin/request-logs?${query}`)).json()) as LogPage;
    if (page.data.length >= count) return page;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return page;
}

describe('request logs', () => {
  it('keeps failed requests with their attempt trace by default, not successful ones', async () => {
    expect((await chat('fine')).status).toBe(200);
    upstream.behave({ status: 500 });
    const failed = await chat('broken');
    expect(failed.status).toBe(500);
    const requestId = failed.headers.get('x-gproxy-request-id');
    const page = await logs('user=alice', 1);
    expect(page.data).toHaveLength(1);
    const record = page.data[0];
    expect(record?.requestId).toBe(requestId);
    expect(record).toMatchObject({ status: 500, endState: 'upstream-error' });
    expect(record?.routeHeader).toContain('provider=oa');
    expect(record?.attempts[0]).toMatchObject({ status: 500 });
    // Nothing captured unless asked.
    expect(record?.requestHeaders).toBeNull();
    expect(record?.requestBody).toBeNull();
  });

  it('logs every request with `all`, and captures redacted, capped bodies when asked', async () => {
    const patched = await admin('PATCH', '/admin/settings', {
      request_log: 'all',
      capture_bodies: true,
      capture_max_bytes: 256,
    });
    expect(patched.status).toBe(200);
    expect((await chat('x'.repeat(1000))).status).toBe(200);
    const page = await logs('user=alice&status=200', 1);
    const record = page.data[0];
    expect(record?.requestHeaders?.['authorization']).toBe('[redacted]');
    expect(record?.requestHeaders?.['content-type']).toBe('application/json');
    expect(record?.requestBody).toMatch(/…\[truncated \d+ bytes\]$/);
    expect(JSON.stringify(page)).not.toContain(USER_KEY);
    expect(JSON.stringify(page)).not.toContain('sk-client-secret-in-body');
  });

  it('filters by status and refuses a bad one by name', async () => {
    const errors = await logs('status=500', 1);
    expect(errors.data.length > 0 && errors.data.every((r) => r.status === 500)).toBe(true);
    const bad = await admin('GET', '/admin/request-logs?status=abc');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { param: string } }).error.param).toBe('status');
  });
});
