/**
 * The `gproxy` command as a user runs it (the built bin): generate-key, first boot, import/export
 * of the example bundle, and a graceful SIGTERM that finishes in-flight requests and keeps every
 * usage record.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, serveProcess, useCliTestDirs, type Served } from '../support/serve-process';

const DEMO_KEY = 'sk-gp-demo-0000000000000000000000000000';
const tempDir = useCliTestDirs('gproxy-cli-');

const run = runCli;

function serve(dataDir: string, env: Record<string, string> = {}): Promise<Served> {
  return serveProcess(['--data-dir', dataDir], env);
}

describe('gproxy CLI', () => {
  it('generate-key prints a fresh random key each time', () => {
    const a = run(['generate-key']);
    const b = run(['generate-key']);
    expect(a.status).toBe(0);
    expect(a.stdout.trim()).toMatch(/^sk-gp-[A-Za-z0-9]{40}$/);
    expect(a.stdout).not.toBe(b.stdout);
  });

  it('rejects an unknown command and bad flags with a usage message', () => {
    const bad = run(['frobnicate']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('Usage: gproxy');
    expect(run(['serve', '--port', 'abc']).stderr).toContain('--port');
  });

  it('creates an admin on first boot, prints its key once, and stores only a digest', async () => {
    const dataDir = await tempDir();
    const first = await serve(dataDir);
    const key = /admin API key \(shown once[^:]*\): (sk-gp-\S+)/.exec(first.stdout())?.[1];
    expect(key).toBeDefined();
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const db = new Database(join(dataDir, 'gproxy.db'), { readonly: true });
    const dump = JSON.stringify(db.prepare('select * from user_keys').all());
    db.close();
    expect(dump).not.toContain(key);

    const second = await serve(dataDir);
    expect(second.stdout()).not.toContain('admin API key');
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('imports the example bundle, serves it, and exports it again', async () => {
    const dataDir = await tempDir();
    const imported = run(['import', '--in', join(ROOT, 'examples/bundle.json'), '--data-dir', dataDir]);
    expect(imported.stderr).toBe('');
    expect(imported.status).toBe(0);

    const served = await serve(dataDir);
    const res = await fetch(`${served.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEMO_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fast', messages: [{ role: 'user', content: 'hello' }] }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { object: string }).object).toBe('chat.completion');
    served.child.kill('SIGTERM');
    expect(await served.exited).toBe(0);

    const out = join(dataDir, 'export.json');
    expect(run(['export', '--out', out, '--data-dir', dataDir]).status).toBe(0);
    const exported = JSON.parse(await readFile(out, 'utf8')) as {
      routes: { name: string }[];
      aliases: { name: string }[];
    };
    expect(exported.routes.map((r) => r.name)).toContain('demo');
    expect(exported.aliases.map((a) => a.name)).toContain('fast');
  });

  it('names the bad field when a bundle is invalid', async () => {
    const dir = await tempDir();
    const file = join(dir, 'bad.json');
    await writeFile(
      file,
      JSON.stringify({
        version: 1,
        providers: [{ name: 'x', channel: 'openai', credentials: [{ secret: {} }] }],
      }),
    );
    const result = run(['import', '--in', file, '--data-dir', dir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('providers[0].credentials[0].label');
  });

  it('finishes in-flight requests on SIGTERM, exits 0 and keeps one usage record per request', async () => {
    const dataDir = await tempDir();
    const bundle = JSON.parse(await readFile(join(ROOT, 'examples/bundle.json'), 'utf8')) as {
      providers: { settings: Record<string, unknown> }[];
    };
    for (const provider of bundle.providers) provider.settings['latency_ms'] = 400;
    const file = join(dataDir, 'slow.json');
    await writeFile(file, JSON.stringify(bundle));
    expect(run(['import', '--in', file, '--data-dir', dataDir]).status).toBe(0);

    const served = await serve(dataDir);
    const n = 20;
    const requests = Array.from({ length: n }, (_, i) =>
      fetch(`${served.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${DEMO_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'fast',
          stream: i % 2 === 0,
          messages: [{ role: 'user', content: `n${i}` }],
        }),
      }).then(async (r) => ({ status: r.status, text: await r.text() })),
    );
    // SIGTERM once every request has reached the gateway (a connection still opening when the
    // server stops listening is refused, which is not what this test is about).
    for (let i = 0; i < 200; i++) {
      const health = (await (await fetch(`${served.url}/health`)).json()) as { in_flight: number };
      if (health.in_flight === n) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    served.child.kill('SIGTERM');
    const results = await Promise.all(requests);
    expect(results.map((r) => r.status)).toEqual(Array(n).fill(200));
    expect(await served.exited).toBe(0);

    const db = new Database(join(dataDir, 'gproxy.db'), { readonly: true });
    const count = db
      .prepare("select count(*) as n from usage_records where end_state = 'complete'")
      .get() as { n: number };
    db.close();
    expect(count.n).toBe(n);
  });

  it('encrypts credential secrets at rest with GPROXY_MASTER_KEY and refuses to start without it', async () => {
    const dataDir = await tempDir();
    const masterKey = 'ab'.repeat(32);
    const file = join(dataDir, 'secret.json');
    await writeFile(
      file,
      JSON.stringify({
        version: 1,
        providers: [
          {
            name: 'oa',
            channel: 'openai',
            credentials: [{ label: 'main', secret: { api_key: 'sk-very-secret-upstream' } }],
          },
        ],
        users: [{ name: 'u', permissions: ['*'], keys: [{ label: 'k', key: DEMO_KEY }] }],
      }),
    );
    expect(
      run(['import', '--in', file, '--data-dir', dataDir], { GPROXY_MASTER_KEY: masterKey }).status,
    ).toBe(0);
    const db = new Database(join(dataDir, 'gproxy.db'), { readonly: true });
    const stored = JSON.stringify(db.prepare('select secret from credentials').all());
    db.close();
    expect(stored).not.toContain('sk-very-secret-upstream');

    const exported = run(['export', '--include-secrets', '--data-dir', dataDir], {
      GPROXY_MASTER_KEY: masterKey,
    });
    expect(exported.stdout).toContain('sk-very-secret-upstream');
    const withoutKey = run(['export', '--include-secrets', '--data-dir', dataDir]);
    expect(withoutKey.status).toBe(1);
    expect(withoutKey.stderr).toMatch(/main|master key/i);
    expect(withoutKey.stderr).not.toContain('sk-very-secret-upstream');
  });
});
