#!/usr/bin/env node
// A small, fast fake OpenAI upstream for `npm run bench` (plain node:http, loopback only).
//
//   node bench/fake-upstream.mjs [--port 0]      prints `fake-upstream listening <port>` once ready
//
// POST …/chat/completions answers like OpenAI:
//   non-stream  one `chat.completion` JSON with `usage`
//   stream      SSE: role chunk, CHUNKS content chunks, finish chunk, a usage chunk (`choices: []`) when
//               `stream_options.include_usage`, then `data: [DONE]` — all in ONE write, like the shared
//               mock's default (MOCK_CHUNK_INTERVAL_MS=0), so the upstream costs as little CPU as possible and
//               the benchmark measures the gateway, not the mock.
// It checks `Authorization: Bearer sk-mock-key` (401 otherwise), so a run through the gateway also proves the
// gateway forwarded the provider credential rather than the user's key.

import http from 'node:http';

const portArg = process.argv.indexOf('--port');
const PORT = portArg > 0 ? Number(process.argv[portArg + 1]) : Number(process.env.PORT || 0);
const CHUNKS = Number(process.env.FAKE_CHUNKS || 20);
const API_KEY = 'sk-mock-key';

const WORDS = [
  'Hello',
  ' there',
  '!',
  ' This',
  ' is',
  ' a',
  ' fake',
  ' answer',
  ' from',
  ' the',
  ' bench',
  ' upstream',
  '.',
];
const word = (i) => WORDS[i % WORDS.length];
const TEXT = Array.from({ length: CHUNKS }, (_, i) => word(i)).join('');
// JSON-encoded content deltas, computed once: the per-request work stays string concatenation only.
const DELTAS = Array.from({ length: CHUNKS }, (_, i) => JSON.stringify(word(i)));

let seq = 0;
const usageOf = (prompt, completion) =>
  `{"prompt_tokens":${prompt},"completion_tokens":${completion},"total_tokens":${prompt + completion},` +
  '"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},' +
  '"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}';

function send(res, status, contentType, body) {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-request-id': `req_fake${++seq}`,
  });
  res.end(body);
}
const error = (res, status, message, type) =>
  send(
    res,
    status,
    'application/json',
    JSON.stringify({ error: { message, type, param: null, code: type } }),
  );

function chatCompletion(res, req, raw) {
  let body;
  try {
    body = JSON.parse(raw);
  } catch {
    return error(res, 400, 'body is not JSON', 'invalid_request_error');
  }
  if (!Array.isArray(body.messages))
    return error(res, 400, "Missing required parameter: 'messages'.", 'invalid_request_error');
  const id = `chatcmpl-fake${++seq}`;
  const created = Math.floor(Date.now() / 1000);
  const model = JSON.stringify(body.model || 'gpt-4o-mini');
  const prompt = Math.max(1, Math.round(raw.length / 4)); // ~4 bytes per token, like the shared mock
  if (!body.stream) {
    return send(
      res,
      200,
      'application/json',
      `{"id":"${id}","object":"chat.completion","created":${created},"model":${model},` +
        `"choices":[{"index":0,"message":{"role":"assistant","content":${JSON.stringify(TEXT)},"refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],` +
        `"usage":${usageOf(prompt, CHUNKS)},"service_tier":"default","system_fingerprint":"fp_fake"}`,
    );
  }
  const includeUsage = body.stream_options?.include_usage === true;
  const head = `data: {"id":"${id}","object":"chat.completion.chunk","created":${created},"model":${model},"service_tier":"default","system_fingerprint":"fp_fake","choices":`;
  const tail = includeUsage ? ',"usage":null}\n\n' : '}\n\n';
  let out = `${head}[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}]${tail}`;
  for (const delta of DELTAS)
    out += `${head}[{"index":0,"delta":{"content":${delta}},"logprobs":null,"finish_reason":null}]${tail}`;
  out += `${head}[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]${tail}`;
  if (includeUsage) out += `${head}[],"usage":${usageOf(prompt, CHUNKS)}}\n\n`;
  out += 'data: [DONE]\n\n';
  // One write, chunked transfer encoding (no content-length), as a real SSE stream and the shared mock send it.
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-request-id': `req_fake${++seq}`,
  });
  res.end(out);
}

const server = http.createServer({ keepAlive: true, noDelay: true }, (req, res) => {
  if (req.method === 'GET' && req.url === '/health') return send(res, 200, 'text/plain', 'ok');
  if (req.method !== 'POST' || !req.url.endsWith('/chat/completions'))
    return error(res, 404, `no route ${req.method} ${req.url}`, 'not_found');
  if (req.headers.authorization !== `Bearer ${API_KEY}`)
    return error(res, 401, 'Incorrect API key provided.', 'invalid_api_key');
  const parts = [];
  req.on('data', (chunk) => parts.push(chunk));
  req.on('end', () => chatCompletion(res, req, Buffer.concat(parts).toString('utf8')));
});
server.keepAliveTimeout = 65_000;
server.listen(PORT, '127.0.0.1', () => console.log(`fake-upstream listening ${server.address().port}`));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(0));
