/**
 * A fake provider on loopback for end-to-end tests: OpenAI Chat (POST /v1/chat/completions),
 * Responses (POST /v1/responses), Claude (POST /v1/messages) and Gemini
 * (POST /v1beta/models/{model}:generateContent | :streamGenerateContent[?alt=sse]), streaming or not,
 * in each provider's format. It records every request and can be told to fail, stall or pace.
 * Answers and usage numbers are fixed: see fake-upstream-answers.ts (FAKE_USAGE, fakePieces).
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WireKind } from '../../src/protocol/operation';
import { fakeAnswer, fakeErrorBody, type FakeAnswer } from './fake-upstream-answers';

export { FAKE_USAGE, fakePieces } from './fake-upstream-answers';

export interface RecordedRequest {
  method: string;
  /** Path with the query string. */
  path: string;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
  json: unknown;
}

export interface Behavior {
  /** Answer this status with the provider's error body. */
  status?: number;
  /** Wait before sending the headers. */
  delayMs?: number;
  /** Hold every answer until this settles (e.g. until the test has seen all its requests arrive). */
  holdUntil?: Promise<void>;
  /** Wait between stream frames (the first frame goes out with the headers). */
  chunkIntervalMs?: number;
  /** Number of content pieces (words of the text, cycling). */
  chunks?: number;
  /** Never answer (the connection stays open until the client gives up). */
  hang?: boolean;
  /** The answered text instead of "Hello from fake <wire>". */
  text?: string;
  /** A status per upstream API key (Bearer, x-api-key or x-goog-api-key), overriding `status`. */
  statusByKey?: Record<string, number>;
  /** Error answers quote the API key they were sent, as some upstreams do. */
  echoKeyInErrors?: boolean;
  /** Extra response headers, e.g. `retry-after` with `status: 429`. */
  headers?: Record<string, string>;
  /**
   * A scripted answer per wire, in the provider's public format, replacing the built-in one for the
   * next request of that wire only: `json` for non-streamed requests, `frames` (written one by one)
   * for streamed ones.
   */
  script?: Partial<Record<WireKind, FakeAnswer>>;
}

export interface FakeUpstream {
  /** http://127.0.0.1:PORT */
  url: string;
  requests: RecordedRequest[];
  /** Responses the client cut before they finished. */
  aborts: number;
  behave(behavior: Partial<Behavior>): void;
  /** Clears behaviour, recorded requests and the abort count. */
  reset(): void;
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Model lists for GET requests: OpenAI/Anthropic style under /v1, Gemini's under /v1beta. */
const FAKE_MODEL_LISTS: Record<string, unknown> = {
  '/v1/models': {
    object: 'list',
    data: [
      { id: 'gpt-up', object: 'model' },
      { id: 'gpt-other', object: 'model' },
    ],
  },
  '/v1beta/models': {
    models: [
      { name: 'models/gemini-up', supportedGenerationMethods: ['generateContent', 'countTokens'] },
      { name: 'models/text-embedding-004', supportedGenerationMethods: ['embedContent'] },
    ],
  },
};

const GEMINI_PATH = /^\/(?:v1beta|v1)\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

interface Route {
  wire: WireKind;
  model: string;
  stream: boolean;
  geminiFormat: 'sse' | 'json-array';
}

function route(path: string, query: URLSearchParams, body: Record<string, unknown>): Route | undefined {
  const model = typeof body['model'] === 'string' ? body['model'] : 'unknown';
  const stream = body['stream'] === true;
  if (path === '/v1/chat/completions') return { wire: 'openai-chat', model, stream, geminiFormat: 'sse' };
  if (path === '/v1/responses') return { wire: 'openai-responses', model, stream, geminiFormat: 'sse' };
  if (path === '/v1/messages') return { wire: 'claude', model, stream, geminiFormat: 'sse' };
  const gemini = GEMINI_PATH.exec(path);
  if (!gemini) return undefined;
  return {
    wire: 'gemini',
    model: decodeURIComponent(gemini[1] ?? ''),
    stream: gemini[2] === 'streamGenerateContent',
    geminiFormat: query.get('alt') === 'sse' ? 'sse' : 'json-array',
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function startFakeUpstream(): Promise<FakeUpstream> {
  let behavior: Behavior = {};
  let closing = false;

  async function handle(req: IncomingMessage, res: ServerResponse, fake: FakeUpstream): Promise<void> {
    const body = await readBody(req);
    let json: unknown;
    try {
      json = body === '' ? undefined : (JSON.parse(body) as unknown);
    } catch {
      json = undefined;
    }
    const path = req.url ?? '/';
    fake.requests.push({ method: req.method ?? 'GET', path, headers: flatHeaders(req), body, json });
    const current = behavior;
    let finished = false;
    res.on('close', () => {
      if (!finished && !closing) fake.aborts++;
    });
    if (current.hang) return;
    if (current.delayMs) await sleep(current.delayMs);
    if (current.holdUntil) await current.holdUntil;
    if (res.destroyed) return;

    const url = new URL(path, 'http://fake');
    const object = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
    const target = req.method === 'POST' ? route(url.pathname, url.searchParams, object) : undefined;
    const extra = current.headers ?? {};
    if (req.method === 'GET' && FAKE_MODEL_LISTS[url.pathname] !== undefined) {
      finished = true;
      const status = current.statusByKey?.[upstreamKey(req)] ?? current.status ?? 200;
      res.writeHead(status, { 'content-type': 'application/json', ...extra });
      res.end(
        JSON.stringify(
          status < 300
            ? FAKE_MODEL_LISTS[url.pathname]
            : { error: { message: `Fake upstream error ${status}` } },
        ),
      );
      return;
    }
    if (!target) {
      finished = true;
      res.writeHead(404, { 'content-type': 'application/json', ...extra });
      res.end(JSON.stringify({ error: { message: `No fake route for ${req.method} ${path}` } }));
      return;
    }
    const status = current.statusByKey?.[upstreamKey(req)] ?? current.status;
    if (status !== undefined && (status < 200 || status >= 300)) {
      finished = true;
      res.writeHead(status, { 'content-type': 'application/json', ...extra });
      const message = current.echoKeyInErrors ? `Incorrect API key provided: ${upstreamKey(req)}` : undefined;
      res.end(JSON.stringify(fakeErrorBody(target.wire, status, message)));
      return;
    }
    const scripted = current.script?.[target.wire];
    if (scripted !== undefined)
      behavior = { ...behavior, script: { ...behavior.script, [target.wire]: undefined } };
    const answer =
      scripted ?? fakeAnswer({ ...target, body: object, text: current.text, chunks: current.chunks });
    if (!target.stream) {
      finished = true;
      res.writeHead(current.status ?? 200, { 'content-type': 'application/json', ...extra });
      res.end(JSON.stringify(answer.json));
      return;
    }
    const jsonArray = target.wire === 'gemini' && target.geminiFormat === 'json-array';
    const contentType = jsonArray ? 'application/json; charset=UTF-8' : 'text/event-stream; charset=utf-8';
    res.writeHead(current.status ?? 200, {
      'content-type': contentType,
      'cache-control': 'no-cache',
      ...extra,
    });
    for (const [i, frame] of answer.frames.entries()) {
      if (i > 0 && current.chunkIntervalMs) await sleep(current.chunkIntervalMs);
      if (res.destroyed) return;
      res.write(frame);
    }
    finished = true;
    res.end();
  }

  const fake: FakeUpstream = {
    url: '',
    requests: [],
    aborts: 0,
    behave(next) {
      behavior = { ...behavior, ...next };
    },
    reset() {
      behavior = {};
      fake.requests.length = 0;
      fake.aborts = 0;
    },
    async waitFor(predicate, timeoutMs = 2000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`fake upstream: condition not met within ${timeoutMs} ms`);
        await sleep(10);
      }
    },
    close() {
      closing = true;
      return new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };

  const server = createServer((req, res) => {
    handle(req, res, fake).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: String(error) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

/** The API key the gateway sent, however the wire carries it. */
export function upstreamKey(req: IncomingMessage): string {
  const bearer = /^Bearer (.+)$/.exec(req.headers['authorization'] ?? '')?.[1];
  const header = req.headers['x-api-key'] ?? req.headers['x-goog-api-key'];
  return bearer ?? (typeof header === 'string' ? header : '');
}
