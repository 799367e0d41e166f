import { describe, expect, it } from 'vitest';
import { resolveDispatch } from './dispatch';

const provider = (settings: Record<string, unknown>) => ({ name: 'oa', settings });
const credential = (settings: Record<string, unknown>) => ({ label: 'main', settings });

describe('resolveDispatch', () => {
  it('takes the proxy from the credential, else the provider, else the instance', () => {
    const p = provider({ proxy: 'http://provider-proxy:8080' });
    expect(
      resolveDispatch({
        provider: p,
        credential: credential({ proxy: 'socks5://user:pw@cred:1080' }),
        instanceProxy: 'http://i:1',
      }),
    ).toEqual({
      proxy: 'socks5://user:pw@cred:1080',
    });
    expect(resolveDispatch({ provider: p, credential: credential({}), instanceProxy: 'http://i:1' })).toEqual(
      { proxy: 'http://provider-proxy:8080' },
    );
    expect(
      resolveDispatch({ provider: provider({}), credential: null, instanceProxy: 'http://i:1' }),
    ).toEqual({ proxy: 'http://i:1' });
    expect(
      resolveDispatch({ provider: provider({}), credential: null, instanceProxy: undefined }),
    ).toBeUndefined();
    // `direct` on a credential overrides its provider's (and the instance's) proxy.
    expect(
      resolveDispatch({
        provider: p,
        credential: credential({ proxy: 'direct' }),
        instanceProxy: 'http://i:1',
      }),
    ).toBeUndefined();
  });

  it('takes the TLS profile from the credential, else the provider', () => {
    const tls = {
      minVersion: 'TLSv1.3',
      alpnProtocols: ['h2', 'http/1.1'],
      ciphers: 'TLS_AES_128_GCM_SHA256',
    };
    expect(
      resolveDispatch({ provider: provider({ tls }), credential: null, instanceProxy: undefined }),
    ).toEqual({ tls });
    expect(
      resolveDispatch({
        provider: provider({ tls }),
        credential: credential({ tls: { maxVersion: 'TLSv1.2' } }),
        instanceProxy: undefined,
      }),
    ).toEqual({ tls: { maxVersion: 'TLSv1.2' } });
  });

  it('names where a bad value was set', () => {
    expect(() =>
      resolveDispatch({
        provider: provider({ proxy: 'ftp://x' }),
        credential: null,
        instanceProxy: undefined,
      }),
    ).toThrow("provider 'oa': proxy must be an http, https or socks5 URL");
    expect(() =>
      resolveDispatch({
        provider: provider({}),
        credential: credential({ tls: { minVersion: 'TLSv1.0' } }),
        instanceProxy: undefined,
      }),
    ).toThrow("credential 'main' of provider 'oa': tls.minVersion must be TLSv1.2 or TLSv1.3");
    expect(() =>
      resolveDispatch({ provider: provider({}), credential: null, instanceProxy: 'not a url' }),
    ).toThrow('GPROXY_UPSTREAM_PROXY');
  });
});
