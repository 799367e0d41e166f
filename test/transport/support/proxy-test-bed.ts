/**
 * The shared set-up of the proxy transport tests: an HTTP and an HTTPS upstream for the whole file,
 * and per test the proxies it starts plus a fresh transport, all closed after each test.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { DEFAULT_UNDICI_OPTIONS, UndiciTransport } from '../../../src/runtime/node/undici-transport';
import { startHttpUpstream, startHttpsUpstream, type TestUpstream } from './upstreams';

export interface ProxyTestBed<P, O> {
  http: TestUpstream;
  https: TestUpstream;
  /** The transport of the current test, created by the first start() of that test. */
  transport: UndiciTransport | undefined;
  /** Starts a proxy for the current test (closed after it) and a fresh transport. */
  start(options?: O): Promise<P>;
}

export function proxyTestBed<P extends { close(): Promise<void> }, O>(
  startProxy: (options?: O) => Promise<P>,
): ProxyTestBed<P, O> {
  const proxies: P[] = [];
  const bed: ProxyTestBed<P, O> = {
    http: undefined as unknown as TestUpstream,
    https: undefined as unknown as TestUpstream,
    transport: undefined,
    async start(options) {
      const started = await startProxy(options);
      proxies.push(started);
      bed.transport = new UndiciTransport({ ...DEFAULT_UNDICI_OPTIONS, connectTimeoutMs: 2_000 });
      return started;
    },
  };
  beforeAll(async () => {
    bed.http = await startHttpUpstream();
    bed.https = await startHttpsUpstream();
  });
  afterAll(async () => {
    await Promise.all([bed.http.close(), bed.https.close()]);
  });
  afterEach(async () => {
    await bed.transport?.close();
    bed.transport = undefined;
    await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
    bed.http.seen.length = 0;
    bed.https.seen.length = 0;
  });
  return bed;
}
