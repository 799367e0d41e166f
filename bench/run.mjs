#!/usr/bin/env node
// gproxy overhead benchmark (`npm run bench` = build + this file). Loopback only, bounded in time.
//
//   node bench/run.mjs [--duration 5] [--warmup 1] [--conns 1,16] [--scenarios chat,chat-stream]
//                      [--json out.json] [--no-pin] [--cpu-prof DIR] [--keep]
//
// What it does, and why:
//   1. starts bench/fake-upstream.mjs (a fast fake OpenAI upstream) on a free loopback port;
//   2. imports bench/bundle.mjs's bundle (provider `up` → the fake upstream, route `gpt-4o-mini`, user `bench`)
//      into a fresh temporary data dir with `gproxy import`, then starts `gproxy serve` from dist/;
//   3. checks one request of each scenario end to end (shape of the JSON / every SSE frame), directly and through
//      gproxy, so a broken gateway fails before any load is sent;
//   4. for each scenario × connection count: autocannon against the fake upstream directly, then through gproxy
//      (warm-up run discarded, then the measured run). Every response is checked: non-2xx, socket errors, timeouts
//      and 2xx bodies failing a cheap shape check (SCENARIOS[].verify) are counted as errors; any error makes the
//      run fail (exit code 1).
//   5. prints one table (req/s, p50/p99, ratio, added latency) and optionally writes --json.
// Pinning (2-core machines, when taskset exists): this process (= load generator) and the fake upstream on CPU 0,
// gproxy on CPU 1, so the gateway has a core to itself and its limit shows up as its own. --no-pin turns it off.
// --cpu-prof DIR starts gproxy with `node --cpu-prof` and writes its .cpuprofile into DIR when it stops.
// Every child process is ours, tracked by PID, and killed at the end, on error and on SIGINT/SIGTERM.

import autocannon from 'autocannon';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_KEY, GPROXY_BIN, ROOT, UPSTREAM_KEY, importBundle } from './bundle.mjs';

const { values: opt } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    conns: { type: 'string', default: '1,16' },
    scenarios: { type: 'string', default: 'chat,chat-stream' },
    json: { type: 'string' },
    'no-pin': { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
if (opt.help) {
  console.log(
    fs
      .readFileSync(new URL(import.meta.url), 'utf8')
      .split('\n')
      .slice(1, 21)
      .map((l) => l.replace(/^\/\/ ?/, ''))
      .join('\n'),
  );
  process.exit(0);
}
const DURATION = Number(opt.duration);
const WARMUP = Number(opt.warmup);
const CONNS = opt.conns.split(',').map(Number);
if (!(DURATION > 0) || !(WARMUP >= 0) || CONNS.some((c) => !(c >= 1)))
  throw new Error('bad --duration/--warmup/--conns');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------ scenarios and response checks
const MESSAGES = [
  { role: 'system', content: 'You are a helpful assistant.' },
  { role: 'user', content: 'Say hello in one short sentence.' },
];
const SCENARIOS = {
  chat: {
    title: 'chat (non-stream)',
    body: { model: 'gpt-4o-mini', messages: MESSAGES, max_tokens: 64 },
    check: checkChat,
    // per-request check under load: cheap substring tests only (the load generator shares a core with the upstream)
    verify: (b) => b.includes('"chat.completion"') && b.includes('"total_tokens"'),
  },
  'chat-stream': {
    title: 'chat stream + usage',
    body: {
      model: 'gpt-4o-mini',
      messages: MESSAGES,
      max_tokens: 64,
      stream: true,
      stream_options: { include_usage: true },
    },
    check: checkStream,
    verify: (b) =>
      b.trimEnd().endsWith('data: [DONE]') &&
      b.includes('"total_tokens"') &&
      /"finish_reason"\s*:\s*"stop"/.test(b),
  },
};
const scenarioNames = opt.scenarios.split(',');
for (const s of scenarioNames)
  if (!SCENARIOS[s]) throw new Error(`unknown scenario ${s} (${Object.keys(SCENARIOS).join(', ')})`);

function checkChat(status, ctype, text) {
  if (status !== 200) return `HTTP ${status}: ${text.slice(0, 300)}`;
  let j;
  try {
    j = JSON.parse(text);
  } catch {
    return `not JSON: ${text.slice(0, 120)}`;
  }
  if (j.object !== 'chat.completion') return `object=${j.object}`;
  if (typeof j.choices?.[0]?.message?.content !== 'string' || !j.choices[0].message.content)
    return 'no choices[0].message.content';
  if (typeof j.usage?.total_tokens !== 'number') return 'no usage.total_tokens';
  return null;
}

function checkStream(status, ctype, text) {
  if (status !== 200) return `HTTP ${status}: ${text.slice(0, 300)}`;
  if (!/^text\/event-stream/.test(ctype || '')) return `content-type ${ctype}`;
  const datas = text
    .split(/\r?\n/)
    .filter((l) => l.startsWith('data:'))
    .map((l) => l.slice(5).trim());
  if (datas.at(-1) !== '[DONE]') return 'last data line is not [DONE]';
  let content = 0;
  let finish = null;
  let usage = null;
  for (const d of datas.slice(0, -1)) {
    let j;
    try {
      j = JSON.parse(d);
    } catch {
      return `bad chunk JSON: ${d.slice(0, 80)}`;
    }
    if (j.object !== 'chat.completion.chunk') return `chunk object=${j.object}`;
    if (j.choices?.[0]?.delta?.content) content++;
    if (j.choices?.[0]?.finish_reason) finish = j.choices[0].finish_reason;
    if (j.usage) usage = j.usage;
  }
  if (content !== 20) return `expected 20 content chunks, got ${content}`;
  if (finish !== 'stop') return 'no finish_reason=stop';
  if (typeof usage?.total_tokens !== 'number') return 'no usage chunk';
  return null;
}

async function checkOnce(url, headers, sc) {
  try {
    const r = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify(sc.body),
      signal: AbortSignal.timeout(10_000),
    });
    return sc.check(r.status, r.headers.get('content-type'), await r.text());
  } catch (e) {
    return String(e.cause?.code || e.message);
  }
}

// ------------------------------------------------------------------ child processes (ours only, by PID)
const children = new Set();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gproxy-bench-'));

function start(name, file, argv, extra = {}) {
  const log = fs.openSync(path.join(tmp, `${name}.log`), 'a');
  const child = spawn(file, argv, {
    cwd: ROOT,
    stdio: ['ignore', extra.pipeStdout ? 'pipe' : log, log],
    env: { ...process.env, ...extra.env },
  });
  fs.closeSync(log);
  child.name = name;
  child.exited = false;
  children.add(child);
  child.on('exit', () => {
    child.exited = true;
    children.delete(child);
  });
  return child;
}

async function stop(child) {
  if (!child || child.exited) return;
  try {
    process.kill(child.pid, 'SIGTERM');
  } catch {
    return;
  }
  // gproxy shuts down gracefully (and writes its --cpu-prof then); give it 5 s before SIGKILL.
  for (let i = 0; i < 50 && !child.exited; i++) await sleep(100);
  if (!child.exited)
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
}

function cleanupSync() {
  for (const c of children)
    try {
      process.kill(c.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  if (!opt.keep) fs.rmSync(tmp, { recursive: true, force: true });
}
process.on('exit', cleanupSync);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'])
  process.on(sig, () => {
    console.error(`\n${sig}: stopping`);
    process.exit(130);
  });

const logTail = (name) => {
  try {
    return fs.readFileSync(path.join(tmp, `${name}.log`), 'utf8').slice(-2000);
  } catch {
    return '';
  }
};
const freePort = () =>
  new Promise((resolve, reject) => {
    const s = net.createServer().once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

// CPU seconds (user + system, all threads) of a process, from /proc: the gateway's cost per request.
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString()) || 100;
  } catch {
    return 100;
  }
})();
function cpuSeconds(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / CLK_TCK;
  } catch {
    return NaN;
  }
}

// ------------------------------------------------------------------ load
/** One autocannon run; latencies are collected per response (autocannon's own percentiles are whole ms). */
async function load(url, headers, sc, conns, seconds) {
  const host = new URL(url).hostname;
  if (!(host === 'localhost' || /^127\./.test(host) || host === '[::1]'))
    throw new Error(`refusing non-loopback URL ${url}`);
  const lat = [];
  let responses = 0;
  let badBody = 0;
  const inst = autocannon({
    url,
    method: 'POST',
    headers,
    body: JSON.stringify(sc.body),
    connections: conns,
    pipelining: 1,
    duration: seconds,
    timeout: 10,
    // every 2xx body gets the cheap shape check (non-2xx are already counted by autocannon as non2xx)
    requests: [
      {
        onResponse: (status, body) => {
          if (status >= 200 && status < 300 && !sc.verify(body)) badBody++;
        },
      },
    ],
  });
  inst.on('response', (_client, status, _bytes, ms) => {
    responses++;
    if (status >= 200 && status < 300) lat.push(ms);
  });
  // hard bound in case something wedges: autocannon normally stops by itself after `seconds`
  const guard = setTimeout(() => inst.stop(), (seconds + 20) * 1000);
  const r = await inst;
  clearTimeout(guard);
  lat.sort((a, b) => a - b);
  const pct = (q) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(q * lat.length))] : NaN);
  return {
    requests: responses,
    seconds: r.duration,
    rps: responses / r.duration,
    errors: r.errors + r.non2xx + badBody,
    detail: { socketErrors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx, badBody },
    p50: pct(0.5),
    p90: pct(0.9),
    p99: pct(0.99),
    max: lat.at(-1) ?? NaN,
  };
}

async function measure(url, headers, sc, conns, pid) {
  if (WARMUP > 0) await load(url, headers, sc, conns, WARMUP);
  const c0 = pid ? cpuSeconds(pid) : NaN;
  const r = await load(url, headers, sc, conns, DURATION);
  if (pid) r.cpuUsPerReq = ((cpuSeconds(pid) - c0) * 1e6) / Math.max(1, r.requests);
  return r;
}

// ------------------------------------------------------------------ main
async function main() {
  const hasTaskset = spawnSync('taskset', ['--version']).status === 0;
  const pin = !opt['no-pin'] && hasTaskset && os.cpus().length >= 2;
  // -a: every thread of this process (libuv pool included); children spawned later inherit CPU 0.
  if (pin) execFileSync('taskset', ['-a', '-cp', '0', String(process.pid)], { stdio: 'ignore' });

  // 1. fake upstream (inherits our CPU 0)
  const up = start(
    'fake-upstream',
    process.execPath,
    [path.join(ROOT, 'bench/fake-upstream.mjs'), '--port', '0'],
    { pipeStdout: true },
  );
  const upPort = await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('fake upstream did not start in 10 s')), 10_000);
    let buf = '';
    up.stdout.on('data', (d) => {
      buf += d;
      const m = /listening (\d+)/.exec(buf);
      if (m) {
        clearTimeout(t);
        resolve(Number(m[1]));
      }
    });
    up.on('exit', (code) => reject(new Error(`fake upstream exited (${code}): ${logTail('fake-upstream')}`)));
  });
  up.stdout.resume();
  const direct = {
    url: `http://127.0.0.1:${upPort}/v1/chat/completions`,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${UPSTREAM_KEY}` },
  };

  // 2. gproxy: import the bundle into a fresh data dir, then serve from dist/
  const dataDir = path.join(tmp, 'data');
  fs.mkdirSync(dataDir);
  try {
    importBundle(dataDir, `http://127.0.0.1:${upPort}/v1`);
  } catch (e) {
    throw new Error(`gproxy import failed: ${e.stderr || e.message}`);
  }
  const gwPort = await freePort();
  const nodeArgs = opt['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(opt['cpu-prof'])] : [];
  const gwArgv = [...nodeArgs, GPROXY_BIN, 'serve', '--port', String(gwPort), '--data-dir', dataDir];
  const gw = pin
    ? start('gproxy', 'taskset', ['-c', '1', process.execPath, ...gwArgv])
    : start('gproxy', process.execPath, gwArgv);
  const gproxy = {
    url: `http://127.0.0.1:${gwPort}/v1/chat/completions`,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_KEY}` },
  };

  // 3. correctness first: wait (≤ 30 s) until gproxy answers every scenario correctly, and check direct too
  for (const name of scenarioNames) {
    const sc = SCENARIOS[name];
    const d = await checkOnce(direct.url, direct.headers, sc);
    if (d) throw new Error(`fake upstream, ${name}: ${d}`);
    let problem = 'not started';
    for (const t0 = Date.now(); Date.now() - t0 < 30_000; await sleep(100)) {
      if (gw.exited) throw new Error(`gproxy exited during start-up:\n${logTail('gproxy')}`);
      problem = await checkOnce(gproxy.url, gproxy.headers, sc);
      if (!problem) break;
    }
    if (problem) throw new Error(`gproxy, ${name}: ${problem}\n${logTail('gproxy')}`);
  }
  const git = (() => {
    try {
      return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'ignore'],
      })
        .toString()
        .trim();
    } catch {
      return 'uncommitted';
    }
  })();
  const env = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    pinned: pin,
    git,
    warmup: WARMUP,
    duration: DURATION,
  };
  console.log(
    `gproxy bench: ${env.cpus} × ${env.cpuModel}, Node ${env.node}, ${pin ? 'pinned (loadgen+upstream cpu 0, gproxy cpu 1)' : 'not pinned'}, ${WARMUP}s warm-up + ${DURATION}s per run`,
  );

  // 4. direct, then through gproxy, for each cell
  const rows = [];
  for (const name of scenarioNames) {
    for (const conns of CONNS) {
      const sc = SCENARIOS[name];
      const d = await measure(direct.url, direct.headers, sc, conns);
      if (gw.exited) throw new Error(`gproxy died:\n${logTail('gproxy')}`);
      const g = await measure(gproxy.url, gproxy.headers, sc, conns, gw.pid);
      rows.push({ scenario: name, conns, direct: d, gproxy: g });
      console.log(
        `  ${sc.title.padEnd(20)} c=${String(conns).padEnd(3)} direct ${Math.round(d.rps).toString().padStart(6)} req/s  gproxy ${Math.round(g.rps).toString().padStart(6)} req/s` +
          `  (gproxy ${g.cpuUsPerReq.toFixed(0)} µs CPU/req)${d.errors + g.errors ? `  ERRORS direct ${d.errors} gproxy ${g.errors} ${JSON.stringify(g.detail)}` : ''}`,
      );
    }
  }

  // 5. report
  const f = (x, n = 2) => (Number.isFinite(x) ? x.toFixed(n) : 'n/a');
  const head = [
    'scenario',
    'conns',
    'direct req/s',
    'gproxy req/s',
    'ratio',
    'direct p50/p99 ms',
    'gproxy p50/p99 ms',
    'added p50/p99 ms',
    'gproxy CPU µs/req',
    'errors (direct/gproxy)',
  ];
  const table = rows.map(({ scenario, conns, direct: d, gproxy: g }) => [
    SCENARIOS[scenario].title,
    conns,
    Math.round(d.rps),
    Math.round(g.rps),
    f(g.rps / d.rps),
    `${f(d.p50)} / ${f(d.p99)}`,
    `${f(g.p50)} / ${f(g.p99)}`,
    `${f(g.p50 - d.p50)} / ${f(g.p99 - d.p99)}`,
    f(g.cpuUsPerReq, 0),
    `${d.errors} / ${g.errors}`,
  ]);
  console.log(
    `\n| ${head.join(' | ')} |\n|${head.map((_, i) => (i ? ' ---: |' : ' --- |')).join('')}\n${table.map((r) => `| ${r.join(' | ')} |`).join('\n')}`,
  );
  if (opt.json) {
    fs.writeFileSync(opt.json, JSON.stringify({ env, rows }, null, 2));
    console.log(`\nwritten ${opt.json}`);
  }
  await stop(gw); // graceful, so --cpu-prof gets written
  await stop(up);

  const failed = rows.filter((r) => r.gproxy.errors || r.direct.errors);
  if (failed.length) {
    console.error(
      `\nFAIL: errors in ${failed.length} cell(s): ${failed.map((r) => `${r.scenario} c=${r.conns} gproxy ${JSON.stringify(r.gproxy.detail)} direct ${JSON.stringify(r.direct.detail)}`).join('; ')}`,
    );
    if (opt.keep) console.error(`logs kept in ${tmp}`);
    return 1;
  }
  return 0;
}

// The whole run is bounded: cells × (warm-up + measure + slack) + start-up, then we stop regardless.
const budgetS = scenarioNames.length * CONNS.length * 2 * (WARMUP + DURATION + 25) + 120;
setTimeout(() => {
  console.error(`\nFAIL: time budget of ${budgetS}s exceeded`);
  process.exit(1);
}, budgetS * 1000);

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`\nFAIL: ${e.stack || e.message}`);
    if (opt.keep) console.error(`logs kept in ${tmp}`);
    process.exit(1);
  },
);
