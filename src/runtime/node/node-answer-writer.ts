/**
 * Writes a pipeline answer straight to Node's ServerResponse instead of handing @hono/node-server a
 * Web Response (decision 0007). A streamed body is pulled one chunk at a time and written with
 * back-pressure; writes are corked until the end of the event-loop turn, so a stream whose chunks
 * and end arrive together leaves in one write (headers, chunks and terminator), as from a bare
 * pass-through, while a stream whose chunks trickle in still goes out as each one arrives.
 */
import type { ServerResponse } from 'node:http';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { GatewayResponse } from '../../pipeline/gateway-request';

/** The Response the handler returns to tell @hono/node-server that the answer is already written. */
export const ALREADY_SENT: Response = RESPONSE_ALREADY_SENT;

export function writeAnswer(outgoing: ServerResponse, answer: GatewayResponse): void {
  const { status, headers, body } = answer;
  if (typeof body === 'string') {
    headers['content-length'] = String(Buffer.byteLength(body));
    outgoing.writeHead(status, headers);
    outgoing.end(body);
  } else if (body instanceof Uint8Array) {
    headers['content-length'] = String(body.byteLength);
    outgoing.writeHead(status, headers);
    outgoing.end(body);
  } else {
    void new StreamWriter(outgoing, body[Symbol.asyncIterator]()).run(status, headers);
  }
}

class StreamWriter {
  /** Set once the response is closed (finished or the client went away). */
  private closed = false;
  private returned = false;
  /** Whether anything (and with it the headers) has been handed to the socket. */
  private wrote = false;
  /** The pending flush of corked writes, at the end of this event-loop turn. */
  private flush: ReturnType<typeof setImmediate> | null = null;
  /** Resumes a writer waiting for 'drain' (or for 'close'). */
  private resume: (() => void) | null = null;

  constructor(
    private readonly outgoing: ServerResponse,
    private readonly iterator: AsyncIterator<Uint8Array>,
  ) {}

  async run(status: number, headers: Record<string, string>): Promise<void> {
    const { outgoing } = this;
    outgoing.on('close', this.onClose);
    try {
      // The headers leave with the first chunk when it comes in this turn, else on their own.
      outgoing.writeHead(status, headers);
      this.cork();
      for (;;) {
        const next = await this.iterator.next();
        if (this.closed) break;
        if (next.done === true) {
          this.cancelFlush();
          outgoing.end();
          return;
        }
        this.cork();
        this.wrote = true;
        if (!outgoing.write(next.value)) {
          this.uncorkNow();
          await this.drained();
          if (this.closed) break;
        }
      }
      this.stopIterating();
    } catch (error) {
      // The pipeline's bodies end a failed stream in the wire's own error form; anything thrown here
      // is unexpected, and a half-written answer can only be cut.
      this.cancelFlush();
      this.stopIterating();
      outgoing.destroy(error instanceof Error ? error : undefined);
    } finally {
      outgoing.off('close', this.onClose);
    }
  }

  private readonly onClose = (): void => {
    this.closed = true;
    this.uncorkNow();
    // Like a cancelled Web stream: the body's own cleanup (upstream abort, settlement) runs now.
    this.stopIterating();
    this.resume?.();
  };

  private stopIterating(): void {
    if (this.returned) return;
    this.returned = true;
    this.iterator.return?.().catch(() => undefined);
  }

  private cork(): void {
    if (this.flush !== null) return;
    this.outgoing.cork();
    this.flush = setImmediate(this.uncorkNow);
  }

  private readonly uncorkNow = (): void => {
    if (this.flush === null) return;
    clearImmediate(this.flush);
    this.flush = null;
    if (!this.wrote && !this.closed) {
      this.wrote = true;
      this.outgoing.flushHeaders();
    }
    this.outgoing.uncork();
  };

  /** On end() Node uncorks fully by itself; only the scheduled flush must go. */
  private cancelFlush(): void {
    if (this.flush === null) return;
    clearImmediate(this.flush);
    this.flush = null;
  }

  private drained(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.outgoing.off('drain', done);
        this.resume = null;
        resolve();
      };
      this.resume = done;
      this.outgoing.on('drain', done);
    });
  }
}
