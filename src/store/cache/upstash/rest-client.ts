/**
 * A client for the Upstash-style Redis REST API, over `fetch` only (Node, Workers, Deno):
 *   POST <base>/          body: a JSON command array `["SET","k","v","PX",1000]`
 *                         reply: `{"result": …}` or, with a 4xx status, `{"error": "ERR …"}`
 *   POST <base>/pipeline  body: an array of command arrays; reply: an array of those objects,
 *                         in order (not atomic: scripts are what make a step atomic)
 * Every request carries `Authorization: Bearer <token>`. Replies are plain JSON (no
 * `Upstash-Encoding: base64`), so the values stored must be valid UTF-8 text, which ours are.
 */
import { CacheUnavailableError } from '../../../control-plane/cache-port';
import { isUnavailableReply } from '../shared/unavailable-replies';

export type RestArg = string | number;
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface UpstashRestOptions {
  /** Base URL, e.g. `https://eu1-example-12345.upstash.io`. */
  url: string;
  token: string;
  /** A request without an answer by then rejects (default 5000). */
  requestTimeoutMs?: number;
  /** Default: the global fetch. */
  fetch?: FetchLike;
}

/** The server answered the command with an error (`{"error": …}`): a bug, not an outage. */
export class UpstashCommandError extends Error {
  override readonly name = 'UpstashCommandError';
}

type Reply = { result?: unknown; error?: unknown };

export class UpstashRestClient {
  readonly baseUrl: string;
  private readonly token: string;
  private readonly timeoutMs: number;
  private readonly fetch: FetchLike;

  constructor(options: UpstashRestOptions) {
    this.baseUrl = options.url.replace(/\/+$/, '');
    this.token = options.token;
    this.timeoutMs = options.requestTimeoutMs ?? 5000;
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** The host, for messages; never the token. */
  get target(): string {
    try {
      return new URL(this.baseUrl).host;
    } catch {
      return this.baseUrl;
    }
  }

  authorization(): string {
    return `Bearer ${this.token}`;
  }

  async command(args: readonly RestArg[]): Promise<unknown> {
    return this.unwrap(await this.post('', args.map(String)));
  }

  /** Runs the commands in one request; a failed command rejects the whole call with its error. */
  async pipeline(commands: readonly (readonly RestArg[])[]): Promise<unknown[]> {
    const body = await this.post(
      '/pipeline',
      commands.map((args) => args.map(String)),
    );
    if (!Array.isArray(body)) throw this.unavailable(`unexpected pipeline reply ${JSON.stringify(body)}`);
    return body.map((reply: unknown) => this.unwrap(reply));
  }

  /** A command's result; its error reply rejects (as an outage when the server cannot serve now). */
  private unwrap(body: unknown): unknown {
    if (typeof body !== 'object' || body === null) {
      throw new UpstashCommandError(`unexpected reply ${JSON.stringify(body)}`);
    }
    const reply = body as Reply;
    if (reply.error !== undefined) {
      const text = errorText(reply);
      throw isUnavailableReply(text) ? this.unavailable(text) : new UpstashCommandError(text);
    }
    if (!('result' in reply)) throw new UpstashCommandError(`unexpected reply ${JSON.stringify(body)}`);
    return reply.result ?? null;
  }

  unavailable(message: string, cause?: unknown): CacheUnavailableError {
    return new CacheUnavailableError('upstash', `${this.target}: ${message}`, { cause });
  }

  private async post(path: string, body: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await this.fetch(this.baseUrl + path, {
        method: 'POST',
        headers: { Authorization: this.authorization(), 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw this.unavailable(error instanceof Error ? error.message : String(error), error);
    }
    let parsed: unknown;
    try {
      parsed = await response.json();
    } catch (error) {
      throw this.unavailable(`HTTP ${response.status} with a body that is not JSON`, error);
    }
    // 4xx with an error body is the command's own failure; 401/403 and 5xx mean we cannot use it.
    if (response.status === 401 || response.status === 403) {
      throw this.unavailable(`HTTP ${response.status}: the token was refused`);
    }
    if (response.status >= 500) throw this.unavailable(`HTTP ${response.status}: ${errorText(parsed)}`);
    if (!response.ok && !hasError(parsed)) throw this.unavailable(`HTTP ${response.status}`);
    return parsed;
  }
}

function hasError(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'error' in body;
}

function errorText(body: unknown): string {
  const error = typeof body === 'object' && body !== null ? (body as Reply).error : undefined;
  return typeof error === 'string' ? error : JSON.stringify(body);
}
