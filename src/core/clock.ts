/** The clock is injected so tests and channels never read time behind the pipeline's back. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
