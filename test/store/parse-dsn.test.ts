import { describe, expect, it } from 'vitest';
import { parseDsn, redactDsn } from '../../src/store/persistence/parse-dsn';

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

  it('reads PostgreSQL DSNs: credentials (%-decoded), host, port, database, TLS and pool size', () => {
    expect(
      parseDsn('postgres://gp:p%40ss%2Fw@db.internal:6432/gproxy?sslmode=verify-full&pool_max=4'),
    ).toEqual({
      kind: 'postgres',
      host: 'db.internal',
      port: 6432,
      user: 'gp',
      password: 'p@ss/w',
      database: 'gproxy',
      tls: 'verify-full',
      poolMax: 4,
      socketDir: undefined,
    });
    expect(parseDsn('postgresql://[::1]/gproxy')).toMatchObject({
      kind: 'postgres',
      host: '::1',
      port: 5432,
      tls: 'disable',
    });
    expect(parseDsn('postgres:///gproxy?host=/var/run/postgresql')).toMatchObject({
      kind: 'postgres',
      socketDir: '/var/run/postgresql',
      database: 'gproxy',
      user: undefined,
    });
  });

  it.each([
    ['mysql://root@127.0.0.1/test', 'mysql', 3306, 'root', undefined],
    ['mariadb://gp:secret@db:3307/gproxy?sslmode=require', 'mariadb', 3307, 'gp', 'secret'],
  ])('reads the MySQL/MariaDB DSN %s', (dsn, flavor, port, user, password) => {
    expect(parseDsn(dsn)).toMatchObject({ kind: 'mysql', flavor, port, user, password });
  });

  it.each([
    ['libsql://db-org.turso.io?authToken=ey.J', 'libsql://db-org.turso.io', 'ey.J'],
    ['libsql://127.0.0.1:8080?tls=0', 'libsql://127.0.0.1:8080?tls=0', undefined],
    ['libsql+https://db-org.turso.io/?authToken=t', 'https://db-org.turso.io', 't'],
    ['libsql+http://127.0.0.1:8080', 'http://127.0.0.1:8080', undefined],
    ['libsql+file:data/gproxy.db', 'file:data/gproxy.db', undefined],
    ['libsql+file:///abs/gproxy.db', 'file:/abs/gproxy.db', undefined],
  ])('reads the libSQL DSN %s, keeping the token out of the URL', (dsn, url, authToken) => {
    expect(parseDsn(dsn)).toEqual({ kind: 'libsql', url, authToken });
  });

  it.each([
    ['postgres://u:pw@host', /must name exactly one database/],
    ['postgres://u:pw@host/a/b', /must name exactly one database/],
    ['postgres://u:pw@host/db?sslmode=allow', /sslmode must be one of/],
    ['postgres://u:pw@host/db?pool_max=0', /pool_max must be a positive integer/],
    ['postgres://u:pw@host/db?connect_timeout=3', /unknown parameter "connect_timeout"/],
    ['postgres:///db', /names no host/],
    ['postgres://u:pw@host/db?host=relative', /socket directory/],
    ['mysql:///db', /names no host/],
    ['mysql://u:pw@host/%zz', /malformed %-escape/],
    ['libsql://u:pw@db.turso.io', /authToken/],
    ['libsql://db.turso.io?foo=1', /unknown parameter "foo"/],
    ['libsql+file:x.db?mode=ro', /query parameters/],
    ['https://db.turso.io', /does not say which database/],
  ])('rejects %s with a clear message that never shows the password', (dsn, message) => {
    let error: unknown;
    try {
      parseDsn(dsn);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain(':pw@');
  });

  it('redacts passwords and tokens for logs', () => {
    expect(redactDsn('postgres://gp:s3cret@db/gproxy')).toBe('postgres://gp:***@db/gproxy');
    expect(redactDsn('libsql://db.turso.io?tls=1&authToken=ey.J')).toBe(
      'libsql://db.turso.io?tls=1&authToken=***',
    );
    expect(redactDsn('sqlite:///var/lib/gproxy.db')).toBe('sqlite:///var/lib/gproxy.db');
  });

  it('rejects unknown schemes, empty values and query strings with a clear message', () => {
    expect(() => parseDsn('redis://localhost')).toThrow(/Unsupported database DSN scheme "redis:"/);
    expect(() => parseDsn('  ')).toThrow(/empty/);
    expect(() => parseDsn('sqlite:///')).toThrow(/names no file/);
    expect(() => parseDsn('sqlite:///x.db?mode=ro')).toThrow(/query parameters/);
  });
});
