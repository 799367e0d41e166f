/** Runs the built `gproxy serve` as a child process, as a user would, and finds its URL in the log. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll } from 'vitest';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin/gproxy.mjs');

export interface Served {
  child: ChildProcess;
  url: string;
  /** Everything the process printed so far (stdout and stderr). */
  stdout: () => string;
  exited: Promise<number | null>;
}

export async function serveProcess(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const deadline = Date.now() + 15_000;
  for (;;) {
    const match = /"url":"(http:\/\/[^"]+)"/.exec(out);
    if (match?.[1]) return { child, url: match[1], stdout: () => out, exited };
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`gproxy did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs one `gproxy` command to completion. */
export function runCli(
  args: readonly string[],
  env: Record<string, string> = {},
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * For test files that run the built CLI: fails their set-up when dist/ is missing, and gives
 * them temporary data dirs that are removed after each test.
 */
export function useCliTestDirs(prefix: string): () => Promise<string> {
  const dirs: string[] = [];
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist/main.js')))
      throw new Error('dist/ is missing: run `npm run build` first (npm test does).');
  });
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
}
