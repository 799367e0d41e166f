/**
 * Node's RequestIo: reads the body straight from the IncomingMessage, learns of client disconnects
 * from the ServerResponse and writes answers to it, avoiding Web ReadableStreams on the hot path.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tooLarge, webRequestIo, type RequestIo } from '../../http/request-io';
import { ALREADY_SENT, writeAnswer } from './node-answer-writer';

interface NodeEnv {
  incoming?: IncomingMessage;
  outgoing?: ServerResponse;
}

export const nodeRequestIo: RequestIo = {
  readHeaders(request, env) {
    const incoming = (env as NodeEnv | undefined)?.incoming;
    if (incoming === undefined) return webRequestIo.readHeaders(request, env);
    const headers: Record<string, string> = {};
    const raw = incoming.headers;
    for (const name in raw) {
      const value = raw[name];
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    return headers;
  },

  readBody(request, env, maxBytes) {
    const incoming = (env as NodeEnv | undefined)?.incoming;
    if (incoming === undefined) return webRequestIo.readBody(request, env, maxBytes);
    const declared = Number(incoming.headers['content-length'] ?? NaN);
    if (declared > maxBytes) return Promise.reject(tooLarge(maxBytes));
    return new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let total = 0;
      const cleanup = (): void => {
        incoming.off('data', onData);
        incoming.off('end', onEnd);
        incoming.off('error', onError);
      };
      const onData = (chunk: Buffer): void => {
        total += chunk.length;
        if (total > maxBytes) {
          cleanup();
          reject(tooLarge(maxBytes));
          return;
        }
        chunks.push(chunk);
      };
      const onEnd = (): void => {
        cleanup();
        resolve(
          chunks.length === 1
            ? (chunks[0] as Buffer).toString('utf8')
            : Buffer.concat(chunks).toString('utf8'),
        );
      };
      const onError = (error: Error): void => {
        cleanup();
        reject(error);
      };
      incoming.on('data', onData);
      incoming.on('end', onEnd);
      incoming.on('error', onError);
    });
  },

  clientSignal(request, env) {
    const outgoing = (env as NodeEnv | undefined)?.outgoing;
    if (outgoing === undefined) return webRequestIo.clientSignal(request, env);
    const controller = new AbortController();
    outgoing.once('close', () => {
      if (!outgoing.writableFinished) controller.abort(new Error('Client closed the connection.'));
    });
    return controller.signal;
  },

  sendAnswer(env, answer) {
    const outgoing = (env as NodeEnv | undefined)?.outgoing;
    if (outgoing === undefined) return undefined;
    writeAnswer(outgoing, answer);
    return ALREADY_SENT;
  },
};
