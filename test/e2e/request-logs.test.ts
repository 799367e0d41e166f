/**
 * The request log: failed requests are kept with their attempt trace by default; with
 * `request_log: all` every request is; `capture_bodies` keeps the client's headers and body,
 * `capture_responses` the answer the client received (streams as they passed) and the upstream's
 * own error body, redacted and capped. Read back, filtered and paged at /admin/request-logs.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { startTestGateway, USER_KEY, type TestGateway } from '../support/gateway';
import { openAiProvider } from '../support/bundles';
import type { RequestLogRecord } from '../../src/control-plane/request-log';

const OA_KEY = 'sk-up-openai-request-logs';

const ADMIN_KEY = 'sk-gp-admin-logs-000000000000000000000000000';

let upstream: FakeUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  gateway = await startTestGateway({
    version: 1,
    providers: [
      { ...openAiProvider(upstream.url), credentials: [{ label: 'main', secret: { api_key: OA_KEY } }] },
      {
        name: 'an',
        channel: 'anthropic',
        settings: { base_url: `${upstream.url}/v1` },
        credentials: [{ label: 'main', secret: { api_key: 'sk-up-an' } }],
      },
    ],
    routes: [
      { name: 'm', members: [{ provider: 'oa', model: 'gpt-up' }] },
      { name: 'c', members: [{ provider: 'an', model: 'claude-up' }] },
    ],
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

const chat = (content: string, options: { model?: string; stream?: boolean } = {}) =>
  fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${USER_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: options.model ?? 'm',
      messages: [{ role: 'user', content }],
      metadata: { api_key: 'sk-client-secret-in-body' },
      ...(options.stream === true ? { stream: true } : {}),
    }),
  });

/** A page of request logs as the admin API answers it (JSON of RequestLogRecord). */
interface LogPage {
  data: (Omit<RequestLogRecord, 'attempts'> & { attempts: { outcome: string; status?: number }[] })[];
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

type LogRecord = LogPage['data'][number];

/** The record of one request (by its x-gproxy-request-id), once the batch holding it is written. */
async function logOf(response: Response): Promise<LogRecord> {
  const requestId = response.headers.get('x-gproxy-request-id');
  for (let i = 0; i < 50; i++) {
    const page = (await (await admin('GET', '/admin/request-logs?user=alice&limit=50')).json()) as LogPage;
    const record = page.data.find((r) => r.requestId === requestId);
    if (record !== undefined) return record;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no request-log record for ${requestId}`);
}

const utf8Length = (text: string): number => new TextEncoder().encode(text).byteLength;

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

describe('captured responses', () => {
  const capture = (settings: Record<string, unknown>) =>
    admin('PATCH', '/admin/settings', {
      request_log: 'all',
      capture_bodies: false,
      capture_responses: true,
      capture_max_bytes: 16_384,
      ...settings,
    });

  it('keeps the answer the client received, redacted', async () => {
    expect((await capture({})).status).toBe(200);
    upstream.behave({
      script: {
        'openai-chat': {
          json: {
            id: 'chatcmpl-1',
            object: 'chat.completion',
            model: 'gpt-up',
            choices: [
              { index: 0, message: { role: 'assistant', content: 'Captured hi' }, finish_reason: 'stop' },
            ],
            usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
            access_token: 'sk-upstream-leak',
          },
          frames: [],
        },
      },
    });
    const response = await chat('hello');
    expect(response.status).toBe(200);
    const received = await response.text();
    const record = await logOf(response);
    expect(record).toMatchObject({
      responseStatus: 200,
      responseBodyBytes: utf8Length(received),
      responseTruncated: false,
      upstreamErrorBody: null,
    });
    expect(record.responseHeaders?.['content-type']).toContain('application/json');
    expect(record.responseHeaders?.['x-gproxy-route']).toContain('provider=oa');
    const body = JSON.parse(record.responseBody ?? '') as Record<string, unknown>;
    expect(body).toEqual({ ...(JSON.parse(received) as object), access_token: '[redacted]' });
    expect(record.responseBody).toContain('Captured hi');
    expect(JSON.stringify(record)).not.toContain('sk-upstream-leak');
    // Responses are captured without the request unless that is asked for too.
    expect(record.requestBody).toBeNull();
  });

  // Relayed as the upstream sent it (m), and converted from Claude's stream (c).
  it.each(['m', 'c'])('keeps a streamed answer as its text went out, in order (%s)', async (model) => {
    expect((await capture({})).status).toBe(200);
    upstream.behave({ text: 'one two three four five', chunks: 5, chunkIntervalMs: 5 });
    const response = await chat('stream it', { model, stream: true });
    expect(response.status).toBe(200);
    const received = await response.text();
    expect(received).toContain('[DONE]');
    const record = await logOf(response);
    expect(record.responseBody).toBe(received);
    expect(record).toMatchObject({
      responseStatus: 200,
      responseBodyBytes: utf8Length(received),
      responseTruncated: false,
    });
    expect(record.responseHeaders?.['content-type']).toContain('text/event-stream');
  });

  it('cuts a long answer at capture_max_bytes and says how big it was', async () => {
    expect((await capture({ capture_max_bytes: 256 })).status).toBe(200);
    upstream.behave({ text: 'word '.repeat(200), chunks: 40 });
    const response = await chat('long', { stream: true });
    const received = await response.text();
    expect(utf8Length(received)).toBeGreaterThan(1000);
    const record = await logOf(response);
    expect(record).toMatchObject({ responseTruncated: true, responseBodyBytes: utf8Length(received) });
    expect(record.responseBody).toBe(
      `${received.slice(0, 256)}…[truncated ${utf8Length(received) - 256} bytes]`,
    );
  });

  it("keeps the upstream's own error body next to the error the client got in its wire", async () => {
    expect((await capture({})).status).toBe(200);
    upstream.behave({ status: 400 });
    const response = await chat('bad', { model: 'c' });
    expect(response.status).toBe(400);
    const received = await response.text();
    const record = await logOf(response);
    expect(record).toMatchObject({ status: 400, endState: 'upstream-error', responseStatus: 400 });
    // The client (OpenAI Chat) got an OpenAI error; the upstream (Claude) said it its own way.
    expect(JSON.parse(record.responseBody ?? '')).toEqual(JSON.parse(received));
    expect(JSON.parse(record.upstreamErrorBody ?? '')).toMatchObject({
      type: 'error',
      error: { message: 'Fake upstream error 400' },
    });
  });

  it.each(['m', 'c'])(
    'never shows the client or the log the provider key an upstream error quotes (%s)',
    async (model) => {
      expect((await capture({})).status).toBe(200);
      upstream.behave({ status: 400, echoKeyInErrors: true });
      const response = await chat('bad key', { model });
      expect(response.status).toBe(400);
      const received = await response.text();
      expect(received).toContain('Incorrect API key provided: [redacted]');
      const record = await logOf(response);
      const logged = JSON.stringify(record);
      expect(logged).toContain('Incorrect API key provided: [redacted]');
      for (const key of ['sk-up-an', OA_KEY]) {
        expect(received).not.toContain(key);
        expect(logged).not.toContain(key);
      }
    },
  );

  it('stores nothing of the answer when capture is off', async () => {
    expect((await capture({ capture_responses: false, capture_bodies: true })).status).toBe(200);
    const response = await chat('not captured');
    expect(response.status).toBe(200);
    await response.text();
    upstream.behave({ status: 500 });
    const failed = await chat('not captured either', { model: 'c' });
    expect(failed.status).toBe(500);
    const record = await logOf(response);
    expect(record.requestBody).not.toBeNull();
    for (const r of [record, await logOf(failed)]) {
      expect(r).toMatchObject({
        responseStatus: null,
        responseHeaders: null,
        responseBody: null,
        responseBodyBytes: null,
        responseTruncated: null,
        upstreamErrorBody: null,
      });
    }
  });
});
