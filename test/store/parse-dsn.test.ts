import { describe, expect, it } from 'vitest';
import { parseDsn } from '../../src/store/persistence/sqlite/open-sqlite';

describe('parseDsn', () => {
  it.each([
    ['sqlite:///var/lib/gproxy/gproxy.db', '/var/lib/gproxy/gproxy.db'],
    ['sqlite://data/gproxy.db', 'data/gproxy.db'],
    ['sqlite:data/gproxy.db', 'data/gproxy.db'],
    ['file:data/gproxy.db', 'data/gproxy.db'],
    ['file:/abs/gproxy.db', '/abs/gproxy.db'],
    ['file:///abs/gproxy.db', '/abs/gproxy.db'],
    ['./data/gproxy.db', './data/gproxy.db'],
    ['/abs/gproxy.db', '/abs/gproxy.db'],
    ['C:\\data\\gproxy.db', 'C:\\data\\gproxy.db'],
    [':memory:', ':memory:'],
    ['sqlite://:memory:', ':memory:'],
  ])('%s -> %s', (dsn, file) => {
    expect(parseDsn(dsn)).toEqual({ kind: 'sqlite', file });
  });

  it.each(['postgres://u:p@localhost/gproxy', 'postgresql://localhost/db', 'mysql://localhost/db'])(
    'says %s is not supported yet',
    (dsn) => {
      expect(() => parseDsn(dsn)).toThrow(/not supported yet/);
    },
  );

  it('rejects unknown schemes, empty values and query strings with a clear message', () => {
    expect(() => parseDsn('redis://localhost')).toThrow(/Unsupported database DSN scheme "redis:"/);
    expect(() => parseDsn('  ')).toThrow(/empty/);
    expect(() => parseDsn('sqlite:///')).toThrow(/names no file/);
    expect(() => parseDsn('sqlite:///x.db?mode=ro')).toThrow(/query parameters/);
  });
});
