import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PrepareInput } from '../contract';
import { testServices } from '../test-services';
import { awsBedrockChannel } from './channel';

const MODEL = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
const CLIENT_BODY = `{"model":"${MODEL}","max_tokens":64,"stream":false,"messages":[{"role":"user","content":"hi"}]}`;
const BEDROCK_BODY =
  '{"anthropic_version":"bedrock-2023-05-31","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}';
const ACCESS_KEY = 'AKIDEXAMPLE';
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const NOW = Date.parse('2026-01-01T00:00:00Z');

const base: PrepareInput = {
  provider: { name: 'bedrock-main', settings: {} },
  credential: { label: 'iam', secret: { access_key_id: ACCESS_KEY, secret_access_key: SECRET_KEY } },
  operation: { operation: 'generate-content', wire: 'claude' },
  stream: false,
  streamFormat: 'sse',
  upstreamModel: MODEL,
  body: CLIENT_BODY,
  clientHeaders: { authorization: 'Bearer sk-gp-client', 'x-api-key': 'sk-gp-client', cookie: 'a=b' },
  services: testServices(NOW),
  signal: new AbortController().signal,
};

/**
 * The signature of a canonical request written out by hand, computed with node:crypto: a second
 * implementation of the key derivation and signing steps, independent of the channel's WebCrypto one.
 */
function expectedSignature(canonicalRequest: string, region = 'us-east-1', date = '20260101'): string {
  const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
  const hmac = (key: string | Buffer, text: string): Buffer =>
    createHmac('sha256', key).update(text).digest();
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    `${date}T000000Z`,
    `${date}/${region}/bedrock/aws4_request`,
    sha256(canonicalRequest),
  ].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${SECRET_KEY}`, date), region), 'bedrock'), 'aws4_request');
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

const bodyHash = createHash('sha256').update(BEDROCK_BODY).digest('hex');

describe('aws-bedrock channel: InvokeModel with SigV4', () => {
  it('signs a whole-answer request: exact URL, headers and reshaped body', async () => {
    const request = await awsBedrockChannel.prepare(base);
    // The model id is encoded once on the wire (%3A) and once more in the canonical request (%253A).
    const canonicalRequest = [
      'POST',
      '/model/anthropic.claude-sonnet-4-5-20250929-v1%253A0/invoke',
      '',
      'accept:application/json',
      'content-type:application/json',
      'host:bedrock-runtime.us-east-1.amazonaws.com',
      'x-amz-date:20260101T000000Z',
      '',
      'accept;content-type;host;x-amz-date',
      bodyHash,
    ].join('\n');
    expect(request).toEqual({
      method: 'POST',
      url: 'https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke',
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        'x-amz-date': '20260101T000000Z',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/bedrock/aws4_request, ' +
          `SignedHeaders=accept;content-type;host;x-amz-date, Signature=${expectedSignature(canonicalRequest)}`,
      },
      body: BEDROCK_BODY,
    });
  });

  it('signs the headers as rule sets left them (edits applied before signing)', async () => {
    const request = await awsBedrockChannel.prepare({
      ...base,
      editHeaders: (headers) => {
        headers['x-team'] = 'red';
        delete headers['accept'];
      },
    });
    const canonicalRequest = [
      'POST',
      '/model/anthropic.claude-sonnet-4-5-20250929-v1%253A0/invoke',
      '',
      'content-type:application/json',
      'host:bedrock-runtime.us-east-1.amazonaws.com',
      'x-amz-date:20260101T000000Z',
      'x-team:red',
      '',
      'content-type;host;x-amz-date;x-team',
      bodyHash,
    ].join('\n');
    expect(request.headers).toEqual({
      'content-type': 'application/json',
      'x-team': 'red',
      'x-amz-date': '20260101T000000Z',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/bedrock/aws4_request, ' +
        `SignedHeaders=content-type;host;x-amz-date;x-team, Signature=${expectedSignature(canonicalRequest)}`,
    });
  });

  it('signs a stream request with a session token, in the configured region', async () => {
    const request = await awsBedrockChannel.prepare({
      ...base,
      stream: true,
      body: CLIENT_BODY.replace('"stream":false', '"stream":true'),
      provider: { name: 'bedrock-eu', settings: { region: 'eu-west-3' } },
      credential: {
        label: 'sts',
        secret: { ...base.credential.secret, session_token: 'FwoGZXIvYXdzEXAMPLE' },
      },
    });
    const canonicalRequest = [
      'POST',
      '/model/anthropic.claude-sonnet-4-5-20250929-v1%253A0/invoke-with-response-stream',
      '',
      'accept:application/vnd.amazon.eventstream',
      'content-type:application/json',
      'host:bedrock-runtime.eu-west-3.amazonaws.com',
      'x-amz-date:20260101T000000Z',
      'x-amz-security-token:FwoGZXIvYXdzEXAMPLE',
      'x-amzn-bedrock-accept:application/json',
      '',
      'accept;content-type;host;x-amz-date;x-amz-security-token;x-amzn-bedrock-accept',
      bodyHash,
    ].join('\n');
    expect(request).toEqual({
      method: 'POST',
      url: 'https://bedrock-runtime.eu-west-3.amazonaws.com/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream',
      headers: {
        accept: 'application/vnd.amazon.eventstream',
        'content-type': 'application/json',
        'x-amzn-bedrock-accept': 'application/json',
        'x-amz-date': '20260101T000000Z',
        'x-amz-security-token': 'FwoGZXIvYXdzEXAMPLE',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/eu-west-3/bedrock/aws4_request, ' +
          'SignedHeaders=accept;content-type;host;x-amz-date;x-amz-security-token;x-amzn-bedrock-accept, ' +
          `Signature=${expectedSignature(canonicalRequest, 'eu-west-3')}`,
      },
      body: BEDROCK_BODY,
    });
  });

  it('signs the host and path of a base_url override, port and prefix included', async () => {
    const request = await awsBedrockChannel.prepare({
      ...base,
      upstreamModel:
        'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      provider: { name: 'fake', settings: { base_url: 'http://127.0.0.1:9100/bedrock/' } },
    });
    const encodedId =
      'arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-sonnet-4-5-20250929-v1%3A0';
    expect(request.url).toBe(`http://127.0.0.1:9100/bedrock/model/${encodedId}/invoke`);
    const canonicalRequest = [
      'POST',
      `/bedrock/model/${encodedId.replaceAll('%', '%25')}/invoke`,
      '',
      'accept:application/json',
      'content-type:application/json',
      'host:127.0.0.1:9100',
      'x-amz-date:20260101T000000Z',
      '',
      'accept;content-type;host;x-amz-date',
      bodyHash,
    ].join('\n');
    expect(request.headers['authorization']).toContain(`Signature=${expectedSignature(canonicalRequest)}`);
  });

  it('takes a generate-content:claude endpoint override for both modes, signing its path and query', async () => {
    const settings = {
      endpoints: {
        'generate-content:claude': 'https://vpce-1.bedrock-runtime.example/m/{model}/invoke?tag=a b',
      },
    };
    const whole = await awsBedrockChannel.prepare({ ...base, provider: { name: 'vpc', settings } });
    expect(whole.url).toBe(
      'https://vpce-1.bedrock-runtime.example/m/anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke?tag=a b',
    );
    const streamed = await awsBedrockChannel.prepare({
      ...base,
      stream: true,
      provider: { name: 'vpc', settings },
    });
    expect(streamed.url).toBe(
      'https://vpce-1.bedrock-runtime.example/m/anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream?tag=a b',
    );
    const canonicalRequest = [
      'POST',
      '/m/anthropic.claude-sonnet-4-5-20250929-v1%253A0/invoke',
      'tag=a%20b',
      'accept:application/json',
      'content-type:application/json',
      'host:vpce-1.bedrock-runtime.example',
      'x-amz-date:20260101T000000Z',
      '',
      'accept;content-type;host;x-amz-date',
      bodyHash,
    ].join('\n');
    expect(whole.headers['authorization']).toContain(`Signature=${expectedSignature(canonicalRequest)}`);
  });

  it('changes the signature with the clock, since input.services.now is the signing time', async () => {
    const later = await awsBedrockChannel.prepare({ ...base, services: testServices(NOW + 86_400_000) });
    expect(later.headers['x-amz-date']).toBe('20260102T000000Z');
    expect(later.headers['authorization']).toContain(
      'Credential=AKIDEXAMPLE/20260102/us-east-1/bedrock/aws4_request',
    );
  });
});

describe('aws-bedrock channel: Bedrock API key', () => {
  it('sends the key as a bearer token and signs nothing', async () => {
    const request = await awsBedrockChannel.prepare({
      ...base,
      credential: { label: 'key', secret: { api_key: 'ABSKbedrock-api-key' } },
    });
    expect(request).toEqual({
      method: 'POST',
      url: 'https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke',
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        authorization: 'Bearer ABSKbedrock-api-key',
      },
      body: BEDROCK_BODY,
    });
  });
});

describe('aws-bedrock channel: request shaping', () => {
  const bearer = { label: 'key', secret: { api_key: 'k' } };

  it("carries the client's anthropic-beta into the body, merged with the body's own betas", async () => {
    const request = await awsBedrockChannel.prepare({
      ...base,
      credential: bearer,
      body: '{"model":"m","anthropic_beta":["context-1m-2025-08-07"],"max_tokens":1,"messages":[]}',
      clientHeaders: { 'anthropic-beta': 'interleaved-thinking-2025-05-14, context-1m-2025-08-07' },
    });
    expect(request.body).toBe(
      '{"anthropic_version":"bedrock-2023-05-31","anthropic_beta":["context-1m-2025-08-07","interleaved-thinking-2025-05-14"],"max_tokens":1,"messages":[]}',
    );
  });

  it('keeps an anthropic_version the client put in the body, and every field but model and stream', async () => {
    const request = await awsBedrockChannel.prepare({
      ...base,
      credential: bearer,
      body: '{"system":"s","model":"m","anthropic_version":"2023-06-01","stream":true,"x_unknown":{"a":[1.5]}}',
    });
    expect(request.body).toBe(
      '{"anthropic_version":"bedrock-2023-05-31","system":"s","x_unknown":{"a":[1.5]}}',
    );
  });

  it('names the guardrail from the settings', async () => {
    const request = await awsBedrockChannel.prepare({
      ...base,
      credential: bearer,
      provider: { name: 'g', settings: { guardrail_identifier: 'gr-123', guardrail_version: '2' } },
    });
    expect(request.headers['x-amzn-bedrock-guardrailidentifier']).toBe('gr-123');
    expect(request.headers['x-amzn-bedrock-guardrailversion']).toBe('2');
  });

  it('refuses bad settings, half an access key pair and a credential without secrets', async () => {
    await expect(
      awsBedrockChannel.prepare({
        ...base,
        provider: { name: 'p', settings: { region: 'us-east-1.evil.com/x' } },
      }),
    ).rejects.toThrow(/Provider "p": region "us-east-1.evil.com\/x" is not an AWS region/);
    await expect(
      awsBedrockChannel.prepare({
        ...base,
        credential: { label: 'half', secret: { access_key_id: 'AKID' } },
      }),
    ).rejects.toThrow(/credential "half" has no "secret_access_key"/);
    await expect(
      awsBedrockChannel.prepare({ ...base, credential: { label: 'none', secret: {} } }),
    ).rejects.toThrow(/credential "none" needs "access_key_id" and "secret_access_key", or "api_key"/);
    await expect(awsBedrockChannel.prepare({ ...base, credential: bearer, body: '[1]' })).rejects.toThrow(
      /must be a JSON object/,
    );
  });

  it('passes the claude wire through, converts the others to claude, serves nothing else', async () => {
    const provider = base.provider;
    expect(
      awsBedrockChannel.routingRule({ operation: 'generate-content', wire: 'claude' }, provider),
    ).toEqual({
      kind: 'passthrough',
    });
    for (const wire of ['openai-chat', 'openai-responses', 'gemini'] as const) {
      expect(awsBedrockChannel.routingRule({ operation: 'generate-content', wire }, provider)).toEqual({
        kind: 'convert',
        to: 'claude',
      });
    }
    await expect(
      awsBedrockChannel.prepare({ ...base, operation: { operation: 'generate-content', wire: 'gemini' } }),
    ).rejects.toThrow(/does not serve/);
  });

  it('classifies Bedrock statuses with the shared table', () => {
    expect(awsBedrockChannel.classify({ status: 403, headers: {}, now: 0 })).toEqual({ kind: 'auth-dead' });
    expect(awsBedrockChannel.classify({ status: 429, headers: {}, now: 0 })).toEqual({
      kind: 'rate-limited',
      retryAfterMs: undefined,
    });
    expect(awsBedrockChannel.classify({ status: 503, headers: {}, now: 0 })).toEqual({ kind: 'transient' });
    expect(awsBedrockChannel.classify({ status: 400, headers: {}, now: 0 })).toEqual({ kind: 'permanent' });
  });
});
