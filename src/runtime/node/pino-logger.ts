/** The Logger port backed by pino (JSON lines on stdout). */
import { pino } from 'pino';
import type { Logger } from '../../core/logger';

export function createPinoLogger(level: string): Logger {
  const log = pino({ level, base: { service: 'gproxy' } });
  return {
    debug: (fields, message) => log.debug(fields, message),
    info: (fields, message) => log.info(fields, message),
    warn: (fields, message) => log.warn(fields, message),
    error: (fields, message) => log.error(fields, message),
    get debugEnabled() {
      return log.isLevelEnabled('debug');
    },
  };
}
