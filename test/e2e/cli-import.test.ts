/**
 * Importing without surprises: `gproxy import --dry-run` lists the changes and saves nothing;
 * GPROXY_IMPORT_FILE seeds a new installation on first boot and is left alone afterwards.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, serveProcess, useCliTestDirs } from '../support/serve-process';

const EXAMPLE = join(ROOT, 'examples/bundle.json');
const DEMO_KEY = 'sk-gp-demo-0000000000000000000000000000';
const tempDir = useCliTestDirs('gproxy-import-');

function exported(dataDir: string): { providers: unknown[]; routes: { name: string }[] } {
  const out = runCli(['export', '--data-dir', dataDir]);
  expect(out.status).toBe(0);
  return JSON.parse(out.stdout) as { providers: unknown[]; routes: { name: string }[] };
}

describe('import safety', () => {
  it('--dry-run lists what would change and saves nothing', async () => {
    const dataDir = await tempDir();
    const dry = runCli(['import', '--in', EXAMPLE, '--data-dir', dataDir, '--dry-run']);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toMatch(/^would import .*: \d+ change\(s\) \(dry run, nothing saved\)/);
    expect(dry.stdout).toContain('create provider');
    expect(exported(dataDir).providers).toEqual([]);
    expect(runCli(['import', '--in', EXAMPLE, '--data-dir', dataDir]).status).toBe(0);
    expect(exported(dataDir).providers.length).toBeGreaterThan(0);
  });

  it('GPROXY_IMPORT_FILE seeds a new installation once and never re-imports over it', async () => {
    const dataDir = await tempDir();
    const first = await serveProcess(['--data-dir', dataDir], { GPROXY_IMPORT_FILE: EXAMPLE });
    expect(first.stdout()).toMatch(/first boot: imported .*bundle\.json/);
    const res = await fetch(`${first.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEMO_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fast', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    // A later start with another file changes nothing: the installation is no longer new.
    const changed = JSON.parse(await readFile(EXAMPLE, 'utf8')) as { routes: { name: string }[] };
    changed.routes.push({ name: 'added-later' });
    const file = join(dataDir, 'changed.json');
    await writeFile(file, JSON.stringify(changed));
    const second = await serveProcess(['--data-dir', dataDir], { GPROXY_IMPORT_FILE: file });
    expect(second.stdout()).not.toContain('first boot: imported');
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(exported(dataDir).routes.map((r) => r.name)).not.toContain('added-later');
  });
});
