// The control-plane bundle both benchmarks import into a fresh gproxy data dir (format: src/control-plane/bundle.ts):
// one OpenAI provider pointing at a loopback fake/mock upstream, one route, one user with a fixed key.
// Shared by bench/run.mjs and bench/shared-target.mjs so the two measure the same configuration.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const GPROXY_BIN = path.join(ROOT, 'bin/gproxy.mjs');
/** The bench user's key (plaintext here on purpose: it only ever exists on loopback test instances). */
export const BENCH_KEY = 'sk-gp-bench-000000000000000000000000000000';
/** The provider credential the fake upstream and the shared mock expect. */
export const UPSTREAM_KEY = 'sk-mock-key';

export function makeBundle(baseUrl) {
  return {
    version: 1,
    providers: [
      {
        name: 'up',
        channel: 'openai',
        settings: { base_url: baseUrl },
        credentials: [{ label: 'main', secret: { api_key: UPSTREAM_KEY } }],
      },
    ],
    routes: [{ name: 'gpt-4o-mini', members: [{ provider: 'up', model: 'gpt-4o-mini' }] }],
    users: [{ name: 'bench', permissions: ['*'], keys: [{ label: 'bench', key: BENCH_KEY }] }],
  };
}

/** Writes the bundle into dataDir and runs `gproxy import` on it (a separate process, so nothing lingers). */
export function importBundle(dataDir, baseUrl) {
  const file = path.join(dataDir, 'bench-bundle.json');
  fs.writeFileSync(file, JSON.stringify(makeBundle(baseUrl), null, 2));
  return execFileSync(process.execPath, [GPROXY_BIN, 'import', '--in', file, '--data-dir', dataDir], {
    cwd: ROOT,
    timeout: 60_000,
    encoding: 'utf8',
  });
}
