/**
 * An optional bound on a whole exchange (connect to last body byte). Only built when a total timeout
 * is set, so requests without one keep using the client's signal as is. A timer plus a listener
 * rather than AbortSignal.any/timeout: both are released as soon as the body ends.
 */
export class TotalDeadline {
  readonly signal: AbortSignal;
  /** True once the deadline (not the client) aborted the exchange. */
  expired = false;
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly onClientAbort: () => void;

  constructor(
    private readonly client: AbortSignal,
    readonly ms: number,
  ) {
    this.signal = this.controller.signal;
    this.onClientAbort = () => this.controller.abort(client.reason);
    if (client.aborted) this.controller.abort(client.reason);
    else client.addEventListener('abort', this.onClientAbort, { once: true });
    this.timer = setTimeout(() => {
      this.expired = true;
      this.controller.abort(new Error(`total timeout of ${ms} ms exceeded`));
    }, ms);
  }

  clear(): void {
    clearTimeout(this.timer);
    this.client.removeEventListener('abort', this.onClientAbort);
  }
}
