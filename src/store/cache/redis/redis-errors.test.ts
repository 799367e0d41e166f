import { describe, expect, it } from 'vitest';
import { CacheUnavailableError } from '../../../control-plane/cache-port';
import { translateRedisError } from './redis-errors';

/** ioredis marks server error replies with the name `ReplyError`. */
function reply(message: string): Error {
  const error = new Error(message);
  error.name = 'ReplyError';
  return error;
}

describe('translateRedisError', () => {
  it('passes a wrong command through: that is a bug, not an outage', () => {
    const error = reply('WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(translateRedisError('redis://h:6379', error)).toBe(error);
  });

  it('treats a server that cannot serve now as unavailable', () => {
    for (const message of [
      "READONLY You can't write against a read only replica.",
      'LOADING Redis is loading the dataset in memory',
      "OOM command not allowed when used memory > 'maxmemory'.",
      'MASTERDOWN Link with MASTER is down',
      'NOAUTH Authentication required.',
      'WRONGPASS invalid username-password pair or user is disabled.',
    ]) {
      const translated = translateRedisError('redis://h:6379', reply(message));
      expect(translated).toBeInstanceOf(CacheUnavailableError);
      expect(translated.message).toContain(message);
    }
  });

  it('treats connection failures as unavailable', () => {
    expect(translateRedisError('redis://h:6379', new Error('connect ECONNREFUSED'))).toBeInstanceOf(
      CacheUnavailableError,
    );
  });
});
