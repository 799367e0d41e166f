import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/errors';
import { REDACTED } from '../core/redact';
import { DEFAULT_INSTANCE_SETTINGS } from '../control-plane/instance-settings';
import type { GatewayResponse } from './gateway-request';
import { responseCaptureFor, ResponseCapture, type CapturedResponse } from './response-capture';
import { ROUTE_HEADER, tagRouteHeader } from './route-header';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function* frames(...texts: string[]): AsyncGenerator<Uint8Array> {
  for (const text of texts) {
    await Promise.resolve();
    yield encoder.encode(text);
  }
}

async function drain(response: GatewayResponse): Promise<string> {
  let text = '';
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) text += decoder.decode(chunk);
  return text;
}

function captured(capture: ResponseCapture): CapturedResponse[] {
  const seen: CapturedResponse[] = [];
  capture.whenEnded((response) => seen.push(response));
  return seen;
}

const sse = ['data: {"delta":"Hel"}\n\n', 'data: {"delta":"lo"}\n\n', 'data: [DONE]\n\n'];

describe('response capture', () => {
  it('is only made when answers are captured into logged records', () => {
    const on = { ...DEFAULT_INSTANCE_SETTINGS, capture_responses: true };
    expect(responseCaptureFor(DEFAULT_INSTANCE_SETTINGS, true)).toBeNull();
    expect(responseCaptureFor(on, false)).toBeNull();
    expect(responseCaptureFor({ ...on, request_log: 'off' }, true)).toBeNull();
    expect(responseCaptureFor(on, true)).toBeInstanceOf(ResponseCapture);
  });

  it('passes a stream through untouched and keeps its text in order, once it has ended', async () => {
    const capture = new ResponseCapture(1024);
    const response = capture.tap({
      status: 200,
      headers: { 'content-type': 'text/event-stream', 'set-cookie': 'a=b' },
      body: frames(...sse),
    });
    // Settled before the client's answer ended: the record waits for it.
    const seen = captured(capture);
    expect(await drain(response)).toBe(sse.join(''));
    expect(seen).toEqual([
      {
        status: 200,
        headers: { 'content-type': 'text/event-stream', 'set-cookie': REDACTED },
        body: sse.join(''),
        bodyBytes: sse.join('').length,
        truncated: false,
      },
    ]);
  });

  it('stops keeping bytes at the cap but counts the whole stream', async () => {
    const capture = new ResponseCapture(24);
    const response = capture.tap({ status: 200, headers: {}, body: frames(...sse) });
    expect(await drain(response)).toBe(sse.join(''));
    const [result] = captured(capture);
    const total = sse.join('').length;
    expect(result).toMatchObject({ bodyBytes: total, truncated: true });
    expect(result?.body).toBe(`${sse.join('').slice(0, 24)}…[truncated ${total - 24} bytes]`);
  });

  it('records what went out when the client leaves early', async () => {
    const capture = new ResponseCapture(1024);
    const response = capture.tap({ status: 200, headers: {}, body: frames(...sse) });
    const iterator = (response.body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    await iterator.next();
    const seen = captured(capture);
    expect(seen).toEqual([]);
    await iterator.return?.();
    expect(seen.map((r) => r.body)).toEqual([sse[0]]);
  });

  it('captures a whole body at once, redacted', () => {
    const capture = new ResponseCapture(1024);
    const body = '{"id":"r1","user_token":"t-1","text":"hi"}';
    const response = capture.tap({ status: 200, headers: {}, body });
    expect(response.body).toBe(body);
    expect(captured(capture)[0]).toMatchObject({
      body: `{"id":"r1","user_token":"${REDACTED}","text":"hi"}`,
      bodyBytes: body.length,
      truncated: false,
    });
  });

  it('only measures a whole successful answer when only errors are logged, but keeps streams and errors', async () => {
    const body = '{"id":"r1","text":"héllo"}';
    const ok = new ResponseCapture(1024, true);
    ok.tap({ status: 200, headers: {}, body });
    expect(captured(ok)[0]).toMatchObject({
      body: `…[truncated ${body.length + 1} bytes]`,
      bodyBytes: body.length + 1,
      truncated: true,
    });
    const failed = new ResponseCapture(1024, true);
    failed.tap({ status: 429, headers: {}, body });
    expect(captured(failed)[0]).toMatchObject({ body, truncated: false });
    const stream = new ResponseCapture(1024, true);
    await drain(stream.tap({ status: 200, headers: {}, body: frames(...sse) }));
    expect(captured(stream)[0]?.body).toBe(sse.join(''));
  });

  it("captures an error answer as the client's wire encodes it, with its route header", () => {
    const capture = new ResponseCapture(1024);
    const error = new GatewayError('model_not_found', 'No route for model "x"');
    tagRouteHeader(error, 'route=x; attempts=0');
    capture.failed('claude', error, 'req-1');
    const [result] = captured(capture);
    expect(result?.status).toBe(404);
    expect(result?.headers[ROUTE_HEADER]).toBe('route=x; attempts=0');
    expect(JSON.parse(result?.body ?? '')).toMatchObject({
      type: 'error',
      error: { message: 'No route for model "x"' },
    });
  });
});
