/**
 * Console sign-in (argon2id passwords, httpOnly session cookie, Origin check on writes, throttling,
 * immediate revalidation), the audit trail of admin mutations, and paginated usage reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { startTestGateway, USER_KEY, type TestGateway } from '../support/gateway';
import { openAiProvider } from '../support/bundles';

const ADMIN_KEY = 'sk-gp-admin-console-00000000000000000000000';
const PASSWORD = 'correct horse battery';

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
      { name: 'ops', admin: true, password: PASSWORD },
      { name: 'viewer', password: PASSWORD },
      { name: 'target', admin: true, password: PASSWORD },
      { name: 'alice', permissions: ['*'], keys: [{ label: 'k', key: USER_KEY }] },
    ],
  });
});

afterAll(async () => {
  await gateway.dispose();
  await upstream.close();
});

function request(
  method: string,
  path: string,
  init: { body?: unknown; headers?: Record<string, string> } = {},
) {
  return fetch(`${gateway.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...init.headers },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
}

const asAdmin = (method: string, path: string, body?: unknown) =>
  request(method, path, { body, headers: { authorization: `Bearer ${ADMIN_KEY}` } });

async function signIn(username: string, password: string): Promise<Response> {
  return request('POST', '/admin/session', { body: { username, password } });
}

function cookieOf(response: Response): string {
  return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

describe('console sign-in', () => {
  it('signs in with the password and sets an httpOnly, SameSite=Strict cookie scoped to /admin', async () => {
    expect((await signIn('ops', 'wrong password')).status).toBe(401);
    expect((await signIn('nobody', PASSWORD)).status).toBe(401);
    expect((await signIn('viewer', PASSWORD)).status).toBe(403);

    const res = await signIn('ops', PASSWORD);
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^gproxy_session=[A-Za-z0-9_-]{40,};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/admin');
    const body = await res.text();
    expect(body).toBe('{"user":{"name":"ops","admin":true}}');

    const cookie = cookieOf(res);
    const me = await request('GET', '/admin/session', { headers: { cookie } });
    expect(await me.json()).toEqual({ user: { name: 'ops', admin: true }, via: 'session' });
    expect((await request('GET', '/admin/providers', { headers: { cookie } })).status).toBe(200);
  });

  it('shows whether a user has a password, never the hash', async () => {
    const ops = (await (await asAdmin('GET', '/admin/users/ops')).json()) as Record<string, unknown>;
    expect(ops).toMatchObject({ name: 'ops', has_password: true });
    expect(JSON.stringify(ops)).not.toContain('argon2');
  });

  it('refuses cookie writes without this origin, accepts them with it', async () => {
    const cookie = cookieOf(await signIn('ops', PASSWORD));
    const create = (headers: Record<string, string>, name: string) =>
      request('POST', '/admin/routes', { body: { name }, headers: { cookie, ...headers } });
    expect((await create({}, 'r1')).status).toBe(403);
    expect((await create({ origin: 'https://evil.example' }, 'r1')).status).toBe(403);
    expect((await create({ origin: gateway.url }, 'r1')).status).toBe(201);
  });

  it('ends sessions at once when the user is disabled, and on sign-out', async () => {
    const cookie = cookieOf(await signIn('ops', PASSWORD));
    await asAdmin('PATCH', '/admin/users/ops', { enabled: false });
    expect((await request('GET', '/admin/session', { headers: { cookie } })).status).toBe(401);
    await asAdmin('PATCH', '/admin/users/ops', { enabled: true });

    const again = cookieOf(await signIn('ops', PASSWORD));
    const out = await request('DELETE', '/admin/session', {
      headers: { cookie: again, origin: gateway.url },
    });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await request('GET', '/admin/session', { headers: { cookie: again } })).status).toBe(401);
  });

  it('changes a password through the admin API', async () => {
    expect((await asAdmin('PATCH', '/admin/users/ops', { password: 'a new long password' })).status).toBe(
      200,
    );
    expect((await signIn('ops', PASSWORD)).status).toBe(401);
    expect((await signIn('ops', 'a new long password')).status).toBe(200);
    const short = await asAdmin('PATCH', '/admin/users/ops', { password: 'short' });
    expect(((await short.json()) as { error: { message: string } }).error.message).toBe(
      'password: Must be at least 8 characters',
    );
  });

  it(
    'throttles failed sign-ins per user with 429 and Retry-After; successes do not count',
    { timeout: 40_000 },
    async () => {
      // Limits count in fixed one-minute windows: start well inside one, so all attempts share it.
      const intoMinute = Date.now() % 60_000;
      if (intoMinute > 45_000) await new Promise((resolve) => setTimeout(resolve, 60_500 - intoMinute));
      for (let i = 0; i < 6; i++) expect((await signIn('target', PASSWORD)).status).toBe(200);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await signIn('target', `guess-${i}-xxxx`)).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401]);
      // Even the right password waits until the window ends.
      const limited = await signIn('target', PASSWORD);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    },
  );
});

describe('audit trail and usage reads', () => {
  it('records every mutation with actor, action, target, status and address, and no secrets', async () => {
    await asAdmin('POST', '/admin/providers/oa/credentials', {
      label: 'second',
      secret: { api_key: 'sk-very-secret-value-777' },
    });
    await asAdmin('DELETE', '/admin/providers/oa/credentials/nope');
    const page = (await (await asAdmin('GET', '/admin/audit?limit=500')).json()) as {
      data: { actor: string | null; action: string; target: string; status: number; sourceAddress: string }[];
    };
    expect(JSON.stringify(page)).not.toContain('sk-very-secret-value-777');
    expect(page.data[0]).toMatchObject({
      actor: 'root',
      action: 'DELETE /admin/providers/:name/credentials/:id',
      target: '/admin/providers/oa/credentials/nope',
      status: 404,
    });
    expect(page.data[1]).toMatchObject({
      actor: 'root',
      action: 'POST /admin/providers/:name/credentials',
      status: 201,
    });
    expect(page.data[0]?.sourceAddress).toMatch(/127\.0\.0\.1|::1/);
    const signIns = page.data.filter((r) => r.action === 'POST /admin/session');
    expect(signIns.some((r) => r.actor === 'ops' && r.status === 200)).toBe(true);
    expect(signIns.some((r) => r.actor === null && r.status === 401)).toBe(true);
    // Reads are not audited.
    expect(page.data.some((r) => r.action.startsWith('GET '))).toBe(false);
  });

  it('pages through the audit trail with a cursor', async () => {
    const first = (await (await asAdmin('GET', '/admin/audit?limit=2')).json()) as {
      data: { id: string }[];
      next: string;
    };
    expect(first.data).toHaveLength(2);
    const second = (await (
      await asAdmin('GET', `/admin/audit?limit=2&before=${encodeURIComponent(first.next)}`)
    ).json()) as { data: { id: string }[] };
    expect(second.data).toHaveLength(2);
    expect(second.data.map((r) => r.id)).not.toContain(first.data[0]?.id);
    expect((await asAdmin('GET', '/admin/audit?before=garbage')).status).toBe(400);
    expect((await asAdmin('GET', '/admin/audit?limit=0')).status).toBe(400);
  });

  it('reads usage records filtered by user', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${USER_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(res.status).toBe(200);
    }
    let page: { data: { requestedModel: string; userId: string }[]; next: string | null } = {
      data: [],
      next: null,
    };
    // Usage is written in batches off the request path (about once a second).
    for (let i = 0; i < 40 && page.data.length < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      page = (await (await asAdmin('GET', '/admin/usage?user=alice&limit=2')).json()) as typeof page;
      if (page.data.length === 2 && page.next !== null) break;
    }
    expect(page.data).toHaveLength(2);
    expect(page.data[0]).toMatchObject({ requestedModel: 'm' });
    expect(page.next).not.toBeNull();
    const none = (await (await asAdmin('GET', '/admin/usage?user=root')).json()) as { data: unknown[] };
    expect(none.data).toEqual([]);
  });
});
