import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors';
import type { OperationKey } from '../../protocol/operation';
import type { PrepareInput } from '../contract';
import { testServices } from '../test-services';
import { awsBedrockChannel } from './channel';

const MODEL = 'amazon.nova-pro-v1:0';
const BODY = '{"messages":[{"role":"user","content":[{"text":"hi"}]}],"inferenceConfig":{"maxTokens":64}}';
const ACCESS_KEY = 'AKIDEXAMPLE';
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const NOW = Date.parse('2026-01-01T00:00:00Z');

const base: PrepareInput = {
  provider: { name: 'bedrock-main', settings: {} },
  credential: { label: 'iam', secret: { access_key_id: ACCESS_KEY, secret_access_key: SECRET_KEY } },
  operation: { operation: 'generate-content', wire: 'bedrock-converse' },
  stream: false,
  streamFormat: 'sse',
  upstreamModel: MODEL,
  body: BODY,
  clientHeaders: { authorization: 'Bearer sk-gp-client', 'anthropic-beta': 'x' },
  services: testServices(NOW),
  signal: new AbortController().signal,
};

/** The signature of a canonical request, computed with node:crypto independently of the channel. */
function expectedSignature(canonicalRequest: string): string {
  const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
  const hmac = (key: string | Buffer, text: string): Buffer =>
    createHmac('sha256', key).update(text).digest();
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    '20260101T000000Z',
    '20260101/us-east-1/bedrock/aws4_request',
    sha256(canonicalRequest),
  ].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${SECRET_KEY}`, '20260101'), 'us-east-1'), 'bedrock'), 'aws4_request');
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

const op = (wire: OperationKey['wire']): OperationKey => ({ operation: 'generate-content', wire });

describe('aws-bedrock routing: InvokeModel for Claude, Converse for the rest', () => {
  const provider = { name: 'b', settings: {} };

  it('converts every client wire to Converse for a non-Anthropic model', () => {
    for (const wire of ['openai-chat', 'openai-responses', 'claude', 'gemini'] as const) {
      for (const model of [MODEL, 'us.meta.llama3-3-70b-instruct-v1:0', 'mistral.mistral-large-2407-v1:0']) {
        expect(awsBedrockChannel.routingRule(op(wire), provider, model)).toEqual({
          kind: 'convert',
          to: 'bedrock-converse',
        });
      }
    }
  });

  it('keeps InvokeModel for Anthropic ids, cross-region profiles and foundation-model ARNs', () => {
    for (const model of [
      'anthropic.claude-sonnet-4-5-20250929-v1:0',
      'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0',
    ]) {
      expect(awsBedrockChannel.routingRule(op('claude'), provider, model)).toEqual({ kind: 'passthrough' });
      expect(awsBedrockChannel.routingRule(op('gemini'), provider, model)).toEqual({
        kind: 'convert',
        to: 'claude',
      });
    }
  });

  it('follows the api setting over the model', () => {
    const converse = { name: 'b', settings: { api: 'converse' } };
    const invoke = { name: 'b', settings: { api: 'invoke' } };
    expect(awsBedrockChannel.routingRule(op('claude'), converse, 'anthropic.claude-v2')).toEqual({
      kind: 'convert',
      to: 'bedrock-converse',
    });
    expect(awsBedrockChannel.routingRule(op('openai-chat'), invoke, MODEL)).toEqual({
      kind: 'convert',
      to: 'claude',
    });
    expect(
      awsBedrockChannel.routingRule({ operation: 'list-models', wire: 'claude' }, converse, MODEL),
    ).toEqual({
      kind: 'unsupported',
    });
  });
});

describe('aws-bedrock prepare for Converse', () => {
  it('signs POST /model/{id}/converse with the encoded body as it is', async () => {
    const request = await awsBedrockChannel.prepare(base);
    const canonicalRequest = [
      'POST',
      '/model/amazon.nova-pro-v1%253A0/converse',
      '',
      'accept:application/json',
      'content-type:application/json',
      'host:bedrock-runtime.us-east-1.amazonaws.com',
      'x-amz-date:20260101T000000Z',
      '',
      'accept;content-type;host;x-amz-date',
      createHash('sha256').update(BODY).digest('hex'),
    ].join('\n');
    expect(request).toEqual({
      method: 'POST',
      url: 'https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.nova-pro-v1%3A0/converse',
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        'x-amz-date': '20260101T000000Z',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/bedrock/aws4_request, ' +
          `SignedHeaders=accept;content-type;host;x-amz-date, Signature=${expectedSignature(canonicalRequest)}`,
      },
      body: BODY,
    });
  });

  it('streams through /converse-stream, asking for the event stream', async () => {
    const request = await awsBedrockChannel.prepare({ ...base, stream: true });
    expect(request.url).toBe(
      'https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.nova-pro-v1%3A0/converse-stream',
    );
    expect(request.headers['accept']).toBe('application/vnd.amazon.eventstream');
    expect(request.headers['x-amzn-bedrock-accept']).toBeUndefined();
    expect(request.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\//);
  });

  it('puts the guardrail in the body (guardrailConfig), not in InvokeModel headers', async () => {
    const settings = { guardrail_identifier: 'gr-123', guardrail_version: '2' };
    const request = await awsBedrockChannel.prepare({ ...base, provider: { name: 'b', settings } });
    expect(JSON.parse(request.body!)).toEqual({
      ...JSON.parse(BODY),
      guardrailConfig: { guardrailIdentifier: 'gr-123', guardrailVersion: '2' },
    });
    expect(request.headers['x-amzn-bedrock-guardrailidentifier']).toBeUndefined();
  });

  it('sends a Bedrock API key as a bearer token, and maps an endpoint override to its stream path', async () => {
    const settings = {
      endpoints: {
        'generate-content:bedrock-converse': 'https://vpce.example/br/model/{model}/converse?x=1',
      },
    };
    const request = await awsBedrockChannel.prepare({
      ...base,
      stream: true,
      provider: { name: 'b', settings },
      credential: { label: 'k', secret: { api_key: 'ABSKkey' } },
    });
    expect(request.url).toBe('https://vpce.example/br/model/amazon.nova-pro-v1%3A0/converse-stream?x=1');
    expect(request.headers['authorization']).toBe('Bearer ABSKkey');
  });

  it('fails the attempt on an api setting it does not know', async () => {
    const attempt = awsBedrockChannel.prepare({
      ...base,
      provider: { name: 'b', settings: { api: 'chat' } },
    });
    await expect(attempt).rejects.toThrow(GatewayError);
    await expect(attempt).rejects.toThrow('Provider "b": setting "api" must be "converse" or "invoke"');
  });
});
