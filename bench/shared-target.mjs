#!/usr/bin/env node
// Launcher for the `gproxy` target of bench/shared-bench.config.mjs (the shared harness in /work/shared/bench).
//
// The harness starts each target as one process and reads that PID's CPU time and peak RSS from /proc, so the
// gateway must run in THIS process (a child's CPU would not be counted). Hence: `gproxy import` runs as a short
// child process into a fresh temporary data dir, then `serve` runs in-process through dist/main.js — the same
// entry point bin/gproxy.mjs uses — which amounts to an exec of `gproxy serve`.
//
//   GPROXY_BENCH_PORT (8790)   GPROXY_BENCH_UPSTREAM (http://127.0.0.1:9100/v1, the shared mock)

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, importBundle } from './bundle.mjs';

const port = process.env.GPROXY_BENCH_PORT || '8790';
const upstream = process.env.GPROXY_BENCH_UPSTREAM || 'http://127.0.0.1:9100/v1';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gproxy-shared-bench-'));

process.stdout.write(importBundle(dataDir, upstream));
const { main } = await import(pathToFileURL(path.join(ROOT, 'dist/main.js')).href);
// serve returns once SIGTERM/SIGINT has stopped the gateway; then drop the throw-away data dir.
const code = await main(['serve', '--port', port, '--data-dir', dataDir]);
fs.rmSync(dataDir, { recursive: true, force: true });
process.exit(typeof code === 'number' ? code : 0);
