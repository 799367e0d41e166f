import { describe, expect, it } from 'vitest';
import { canonicalRequest, decodeRequestWith, warningFields } from '../../../../canonical/codec-test-support';
import type { CanonicalRequest } from '../../../../canonical/request';
import { TransformWarnings } from '../../../../canonical/warnings';
import { claudeCodec } from '../../../claude/generate-content/codec';
import { openAiChatCodec } from '../../../openai-chat/generate-content/codec';
import { bedrockConverseCodec } from './index';
import { CHAT_TOOL_LOOP, CONVERSE_TOOL_LOOP } from './test-requests';

function encode(request: CanonicalRequest, upstreamModel = 'amazon.nova-pro-v1:0') {
  const warnings = new TransformWarnings();
  return { body: bedrockConverseCodec.encodeRequest(request, { warnings, upstreamModel }), warnings };
}

describe('bedrock-converse encodeRequest', () => {
  it('writes system, image, tool calls and tool results of a Chat client as Converse blocks', () => {
    const { request } = decodeRequestWith(openAiChatCodec, CHAT_TOOL_LOOP);
    const { body, warnings } = encode(request);
    expect(body).toEqual(CONVERSE_TOOL_LOOP);
    expect(warnings.list).toEqual([]);
  });

  it("keeps a Claude tool error's status and puts a turn's tool results first", () => {
    const { request } = decodeRequestWith(claudeCodec, {
      model: 'x',
      max_tokens: 64,
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'lookup', input: {} }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'and summarise' },
            { type: 'tool_result', tool_use_id: 't1', content: 'not found', is_error: true },
          ],
        },
      ],
      tools: [{ name: 'lookup', input_schema: { type: 'object' } }],
    });
    const { body } = encode(request);
    expect(body['messages']).toEqual([
      { role: 'user', content: [{ text: 'go' }] },
      { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'lookup', input: {} } }] },
      {
        role: 'user',
        content: [
          { toolResult: { toolUseId: 't1', content: [{ text: 'not found' }], status: 'error' } },
          { text: 'and summarise' },
        ],
      },
    ]);
  });

  it('merges consecutive turns of one role and skips blank text, as Converse requires', () => {
    const { body } = encode(
      canonicalRequest({
        messages: [
          { role: 'user', parts: [{ type: 'text', text: 'one' }] },
          {
            role: 'user',
            parts: [
              { type: 'text', text: ' ' },
              { type: 'text', text: 'two' },
            ],
          },
          { role: 'assistant', parts: [{ type: 'text', text: 'ok' }] },
        ],
      }),
    );
    expect(body['messages']).toEqual([
      { role: 'user', content: [{ text: 'one' }, { text: 'two' }] },
      { role: 'assistant', content: [{ text: 'ok' }] },
    ]);
  });

  it('declares the tools a history uses when the request has none', () => {
    const { body, warnings } = encode(
      canonicalRequest({
        messages: [
          { role: 'user', parts: [{ type: 'text', text: 'go' }] },
          { role: 'assistant', parts: [{ type: 'tool-call', id: 'c1', name: 'search', arguments: '{}' }] },
          {
            role: 'user',
            parts: [{ type: 'tool-result', callId: 'c1', content: [{ type: 'text', text: 'x' }] }],
          },
        ],
      }),
    );
    expect(body['toolConfig']).toEqual({
      tools: [{ toolSpec: { name: 'search', inputSchema: { json: { type: 'object' } } } }],
    });
    expect(warningFields(warnings)).toContain('approximated:tools');
  });

  it('reports a "none" tool choice, which Converse lacks, and leaves the tools out', () => {
    const { body, warnings } = encode(
      canonicalRequest({
        messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
        tools: [{ name: 'search', parameters: { type: 'object' } }],
        toolChoice: { type: 'none' },
      }),
    );
    expect(body['toolConfig']).toBeUndefined();
    expect(warningFields(warnings)).toEqual(['approximated:toolChoice']);
  });

  it('sends web image URLs nowhere (Converse takes bytes or S3) and says so', () => {
    const { body, warnings } = encode(
      canonicalRequest({
        messages: [
          {
            role: 'user',
            parts: [
              { type: 'text', text: 'look' },
              { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.png' } },
              { type: 'image', source: { kind: 'url', url: 's3://bucket/dog.jpg' } },
              {
                type: 'document',
                source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBE' },
                filename: 'q3 report.pdf',
              },
            ],
          },
        ],
      }),
    );
    expect(body['messages']).toEqual([
      {
        role: 'user',
        content: [
          { text: 'look' },
          { image: { format: 'jpeg', source: { s3Location: { uri: 's3://bucket/dog.jpg' } } } },
          { document: { format: 'pdf', name: 'q3 report', source: { bytes: 'JVBE' } } },
        ],
      },
    ]);
    expect(warningFields(warnings)).toEqual(['unsupported:image.source']);
  });

  it('asks for structured output through outputConfig, the schema as text', () => {
    const schema = { type: 'object', properties: { name: { type: 'string' } } };
    const { body } = encode(
      canonicalRequest({
        messages: [{ role: 'user', parts: [{ type: 'text', text: 'Ada' }] }],
        responseFormat: { type: 'json-schema', name: 'person', schema },
      }),
    );
    expect(body['outputConfig']).toEqual({
      textFormat: {
        type: 'json_schema',
        structure: { jsonSchema: { schema: JSON.stringify(schema), name: 'person' } },
      },
    });
  });

  it('puts top-k and reasoning in additionalModelRequestFields, in the model vendor’s shape', () => {
    const request = canonicalRequest({
      messages: [{ role: 'user', parts: [{ type: 'text', text: 'think' }] }],
      topK: 40,
      reasoning: { enabled: true, effort: 'high' },
      maxOutputTokens: 32000,
    });
    expect(encode(request, 'us.amazon.nova-2-lite-v1:0').body['additionalModelRequestFields']).toEqual({
      inferenceConfig: { topK: 40 },
      reasoningConfig: { type: 'enabled', maxReasoningEffort: 'high' },
    });
    const claude = encode({ ...request, topK: undefined }, 'anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(claude.body['additionalModelRequestFields']).toEqual({
      thinking: { type: 'enabled', budget_tokens: 24576 },
    });
    const novaPro = encode(request, 'amazon.nova-pro-v1:0');
    expect(novaPro.body['additionalModelRequestFields']).toEqual({ inferenceConfig: { topK: 40 } });
    expect(warningFields(novaPro.warnings)).toEqual(['dropped:reasoning']);
    const llama = encode(request, 'meta.llama3-3-70b-instruct-v1:0');
    expect(llama.body['additionalModelRequestFields']).toBeUndefined();
    expect(warningFields(llama.warnings)).toEqual(['dropped:topK', 'dropped:reasoning']);
  });

  it('sends back only signed Converse reasoning, and turns Claude thinking off after an unsigned tool turn', () => {
    const request = canonicalRequest({
      reasoning: { enabled: true, effort: 'low' },
      tools: [{ name: 'f', parameters: { type: 'object' } }],
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'go' }] },
        {
          role: 'assistant',
          parts: [
            { type: 'reasoning', text: 'from gemini', origin: 'gemini', signature: 'g-sig' },
            { type: 'tool-call', id: 'c1', name: 'f', arguments: '{}' },
          ],
        },
        { role: 'user', parts: [{ type: 'tool-result', callId: 'c1', content: [] }] },
      ],
    });
    const unsigned = encode(request, 'anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(unsigned.body['additionalModelRequestFields']).toBeUndefined();
    expect(warningFields(unsigned.warnings)).toEqual([
      'dropped:messages.reasoning',
      'approximated:reasoning',
    ]);

    const own = { ...request, messages: request.messages.map((m) => ({ ...m })) };
    own.messages[1] = {
      role: 'assistant',
      parts: [
        { type: 'reasoning', text: 'plan', origin: 'bedrock-converse', signature: 'c-sig' },
        { type: 'tool-call', id: 'c1', name: 'f', arguments: '{}' },
      ],
    };
    const signed = encode(own, 'anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect((signed.body['messages'] as unknown[])[1]).toEqual({
      role: 'assistant',
      content: [
        { reasoningContent: { reasoningText: { text: 'plan', signature: 'c-sig' } } },
        { toolUse: { toolUseId: 'c1', name: 'f', input: {} } },
      ],
    });
    expect(signed.body['additionalModelRequestFields']).toEqual({
      thinking: { type: 'enabled', budget_tokens: 2048 },
    });
  });

  it('reads back what it wrote', () => {
    const { request } = decodeRequestWith(openAiChatCodec, CHAT_TOOL_LOOP);
    const { body } = encode(request);
    const { request: back } = decodeRequestWith(bedrockConverseCodec, body, {
      model: 'amazon.nova-pro-v1:0',
    });
    expect(back).toMatchObject({
      model: 'amazon.nova-pro-v1:0',
      system: request.system,
      tools: request.tools,
      toolChoice: { type: 'required' },
      maxOutputTokens: 300,
      stop: ['END'],
    });
  });
});
