import { describe, expect, it } from 'vitest';
import suite from './fixtures/sigv4-suite.json';
import { canonicalUri, uriEncode } from './sigv4-canonical';
import { amzDate, signSigV4, type SigV4Request } from './sigv4';

interface SuiteCase {
  name: string;
  request: string;
  canonicalRequest: string;
  stringToSign: string;
  authorization: string;
}

/**
 * A `.req` file of the suite as a SigV4Request. Repeated headers are joined by commas and folded
 * lines kept with their line break, as an HTTP parser hands them over; the signer owns
 * `x-amz-date` (from `now`) and `x-amz-security-token` (from the credentials), so those are dropped.
 */
function parseRequest(raw: string): SigV4Request {
  const blank = raw.indexOf('\n\n');
  const head = blank === -1 ? raw : raw.slice(0, blank);
  const body = blank === -1 ? '' : raw.slice(blank + 2);
  const [requestLine = '', ...lines] = head.split('\n');
  const method = requestLine.slice(0, requestLine.indexOf(' '));
  const target = requestLine.slice(method.length + 1, requestLine.lastIndexOf(' HTTP/'));
  const question = target.indexOf('?');
  const headers: Record<string, string> = {};
  let last = '';
  for (const line of lines) {
    if (line === '') continue;
    if (/^\s/.test(line)) {
      headers[last] += `\n${line}`;
      continue;
    }
    const colon = line.indexOf(':');
    last = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1);
    headers[last] = headers[last] === undefined ? value : `${headers[last]},${value}`;
  }
  delete headers['x-amz-date'];
  delete headers['x-amz-security-token'];
  return {
    method,
    path: question === -1 ? target : target.slice(0, question),
    query: question === -1 ? '' : target.slice(question + 1),
    headers,
    body,
  };
}

/** As botocore's harness does: the session token of a case is the one its canonical request signs. */
function sessionTokenOf(testCase: SuiteCase): string | undefined {
  return /^x-amz-security-token:(.*)$/m.exec(testCase.canonicalRequest)?.[1];
}

const NOW = Date.parse(suite.date);

describe('SigV4 against the AWS Signature Version 4 test suite', () => {
  it('has every case of the suite', () => {
    expect(suite.cases.length).toBe(34);
  });

  it.each(suite.cases.map((testCase) => [testCase.name, testCase] as const))(
    '%s',
    async (_name, testCase: SuiteCase) => {
      const signed = await signSigV4(parseRequest(testCase.request), {
        credentials: { ...suite.credentials, sessionToken: sessionTokenOf(testCase) },
        region: suite.region,
        service: suite.service,
        now: NOW,
      });
      expect(signed.canonicalRequest).toBe(testCase.canonicalRequest);
      expect(signed.stringToSign).toBe(testCase.stringToSign);
      expect(signed.headers['authorization']).toBe(testCase.authorization);
      expect(signed.headers['x-amz-date']).toBe('20150830T123600Z');
      const token = sessionTokenOf(testCase);
      expect(signed.headers['x-amz-security-token']).toBe(token);
    },
  );
});

describe('SigV4 pieces', () => {
  it('formats the signing time', () => {
    expect(amzDate(Date.parse('2015-08-30T12:36:00.999Z'))).toBe('20150830T123600Z');
  });

  it('encodes everything but the unreserved characters, % and !*() included', () => {
    expect(uriEncode("a-b_c.d~e f/g:h%i!j'k(l)m*n+ሴ")).toBe(
      'a-b_c.d~e%20f%2Fg%3Ah%25i%21j%27k%28l%29m%2An%2B%E1%88%B4',
    );
  });

  it('signs a path already encoded on the wire once more, as AWS does for every service but S3', () => {
    expect(canonicalUri('/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke')).toBe(
      '/model/anthropic.claude-sonnet-4-5-20250929-v1%253A0/invoke',
    );
  });

  it('ignores a date, token or authorization header already in the request', async () => {
    const base: SigV4Request = { method: 'GET', path: '/', query: '', headers: { host: 'h' }, body: '' };
    const scope = {
      credentials: { accessKeyId: 'A', secretAccessKey: 'S' },
      region: 'r',
      service: 's',
      now: NOW,
    };
    const clean = await signSigV4(base, scope);
    const noisy = await signSigV4(
      {
        ...base,
        headers: {
          host: 'h',
          'X-Amz-Date': '19990101T000000Z',
          Authorization: 'x',
          'x-amz-security-token': 't',
        },
      },
      scope,
    );
    expect(noisy).toEqual(clean);
  });
});
