// gproxy in the shared gateway benchmark: a copy of /work/shared/bench/bench.config.mjs plus a `gproxy` target.
//
//   bench/shared-bench.sh --rounds 1 --duration 5 --warmup 2 --conns 1,16      (see docs/performance.md)
//
// Paths: the harness (bench.mjs) spawns every target with cwd = its own directory, so the mock, baseline and portkey
// entries keep their harness-relative paths; the gproxy launcher gets an absolute path derived from this file.
// gproxy listens on 8790 (8787 is Portkey's here) and serves the mock through provider `up` (bench/bundle.mjs).

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_KEY } from './bundle.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MOCK_PORT = Number(process.env.MOCK_PORT || 9100);
const MOCK = `http://127.0.0.1:${MOCK_PORT}`;
const AUTH = { authorization: 'Bearer sk-mock-key' };
const GPROXY_PORT = '8790';

const config = {
  cpus: { loadgen: '0', mock: '0', gateway: '1' },
  mock: {
    url: MOCK,
    cmd: 'node',
    args: ['mock-upstream.mjs'],
    env: {
      MOCK_PORT: String(MOCK_PORT),
      MOCK_DELAY_MS: '0',
      MOCK_CHUNKS: '20',
      MOCK_CHUNK_INTERVAL_MS: '0',
      MOCK_RECORD: '0',
    },
  },
  scenarios: {
    chat: {
      title: 'chat completions, non-stream',
      path: '/v1/chat/completions',
      body: {
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: 'You are a helpful assistant.' },
          { role: 'user', content: 'Say hello in one short sentence.' },
        ],
        max_tokens: 64,
      },
      validate: 'openai-chat',
    },
    'chat-stream': {
      title: 'chat completions, stream (20 chunks + usage + [DONE])',
      path: '/v1/chat/completions',
      body: {
        model: 'gpt-4o-mini',
        stream: true,
        stream_options: { include_usage: true },
        messages: [
          { role: 'system', content: 'You are a helpful assistant.' },
          { role: 'user', content: 'Say hello in one short sentence.' },
        ],
        max_tokens: 64,
      },
      validate: 'openai-chat-stream',
      expectChunks: 20,
    },
  },
  targets: [
    { name: 'direct', url: MOCK, headers: { ...AUTH } },
    {
      name: 'baseline',
      url: 'http://127.0.0.1:9200',
      cmd: 'node',
      args: ['baseline-proxy.mjs'],
      env: { PORT: '9200', UPSTREAM: MOCK },
      headers: { ...AUTH },
    },
    {
      name: 'portkey',
      url: 'http://127.0.0.1:8787',
      cmd: 'node',
      args: ['peers/node_modules/@portkey-ai/gateway/build/start-server.js', '--port=8787', '--headless'],
      env: {},
      headers: { ...AUTH, 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${MOCK}/v1` },
    },
    {
      // gproxy from dist/ (run `npm run build` first), with auth, routing and usage accounting on, default log level
      name: 'gproxy',
      url: `http://127.0.0.1:${GPROXY_PORT}`,
      cmd: 'node',
      args: [path.join(HERE, 'shared-target.mjs')],
      env: { GPROXY_BENCH_PORT: GPROXY_PORT, GPROXY_BENCH_UPSTREAM: `${MOCK}/v1` },
      headers: { authorization: `Bearer ${BENCH_KEY}` },
    },
  ],
  compare: [
    ['gproxy', 'baseline'],
    ['gproxy', 'portkey'],
  ],
};

// A/B against another build: GPROXY_OTHER_TREE=/path/to/another/checkout (built, with its own bench/) adds a
// `gproxy-other` target on port 8791, run in the same rounds (interleaved), and the comparison gproxy/gproxy-other.
const OTHER = process.env.GPROXY_OTHER_TREE;
if (OTHER) {
  const gproxy = config.targets.find((t) => t.name === 'gproxy');
  config.targets.push({
    ...gproxy,
    name: 'gproxy-other',
    url: 'http://127.0.0.1:8791',
    args: [path.join(path.resolve(OTHER), 'bench/shared-target.mjs')],
    env: { ...gproxy.env, GPROXY_BENCH_PORT: '8791' },
  });
  config.compare.push(['gproxy', 'gproxy-other'], ['gproxy-other', 'baseline']);
}

export default config;
