/**
 * Reads a proxy handshake (SOCKS5 replies, an HTTP CONNECT response head) from a socket. It uses
 * `readable` + `read()` like undici does, so bytes past the handshake can be handed back with
 * `unshift` and nothing is lost between the handshake and the HTTP client taking the socket over.
 */
import type { Socket } from 'node:net';

/** How many bytes of `buffer` make the awaited message, or `undefined` if more are needed. */
type Framer = (buffer: Buffer) => number | undefined;

interface Waiter {
  frame: Framer;
  resolve: (message: Buffer) => void;
  reject: (error: Error) => void;
}

export class HandshakeReader {
  private buffer: Buffer = Buffer.alloc(0);
  private waiter: Waiter | null = null;
  private failure: Error | null = null;

  private readonly onReadable = (): void => {
    let chunk: unknown;
    while ((chunk = this.socket.read()) !== null) {
      this.buffer =
        this.buffer.length === 0 ? (chunk as Buffer) : Buffer.concat([this.buffer, chunk as Buffer]);
    }
    this.settle();
  };
  private readonly onError = (error: Error): void => this.fail(error);
  private readonly onEnd = (): void => this.fail(new Error('closed the connection during the handshake'));

  constructor(private readonly socket: Socket) {
    socket.on('readable', this.onReadable);
    socket.on('error', this.onError);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
  }

  /** Exactly `length` bytes. */
  read(length: number): Promise<Buffer> {
    return this.take((buffer) => (buffer.length >= length ? length : undefined));
  }

  /** Bytes up to and including `delimiter`; fails past `limit` bytes (a proxy that is not one). */
  readUntil(delimiter: string, limit: number): Promise<Buffer> {
    return this.take((buffer) => {
      const at = buffer.indexOf(delimiter, 0, 'latin1');
      if (at !== -1) return at + delimiter.length;
      if (buffer.length > limit) throw new Error(`sent more than ${limit} bytes without ending its reply`);
      return undefined;
    });
  }

  /** Detaches from the socket and gives back any bytes read past the handshake. */
  release(): void {
    this.socket.off('readable', this.onReadable);
    this.socket.off('error', this.onError);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    if (this.buffer.length > 0) this.socket.unshift(this.buffer);
    this.buffer = Buffer.alloc(0);
  }

  private take(frame: Framer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.waiter = { frame, resolve, reject };
      this.settle();
    });
  }

  private settle(): void {
    const waiter = this.waiter;
    if (waiter === null) return;
    if (this.failure !== null) {
      this.waiter = null;
      waiter.reject(this.failure);
      return;
    }
    let length: number | undefined;
    try {
      length = waiter.frame(this.buffer);
    } catch (error) {
      this.waiter = null;
      waiter.reject(error as Error);
      return;
    }
    if (length === undefined) return;
    this.waiter = null;
    const message = this.buffer.subarray(0, length);
    this.buffer = this.buffer.subarray(length);
    waiter.resolve(message);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.settle();
  }
}
