/**
 * The logging port. The Node runtime backs it with pino; tests may pass `silentLogger`.
 * Fields come first, then the message, as in pino.
 */
export interface Logger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
  readonly debugEnabled: boolean;
}

const noop = (): void => undefined;

export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop, debugEnabled: false };
