/**
 * The official SDKs as clients of gproxy, against a fake upstream of every other wire: text
 * answers streamed and not, and a two-turn tool loop whose reasoning state reaches the upstream
 * again (except from OpenAI Chat clients, whose wire has no place for it).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WIRE_KINDS, type WireKind } from '../../src/protocol/operation';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { startTestGateway, USER_KEY, type TestGateway } from '../support/gateway';
import { OPAQUE, TOOL_ANSWERS } from './fixtures/tool-answers';
import {
  anthropicClient,
  geminiClient,
  openAiChatClient,
  openAiResponsesClient,
  TOOL_RESULT_TEXT,
  type SdkClient,
} from './sdk-clients';

let upstream: FakeUpstream;
let gateway: TestGateway;

const ROUTE: Record<WireKind, string> = {
  'openai-chat': 'via-openai-chat',
  'openai-responses': 'via-openai-responses',
  claude: 'via-claude',
  gemini: 'via-gemini',
};

function bundle(url: string): unknown {
  const credentials = [{ label: 'main', secret: { api_key: 'sk-up' } }];
  return {
    version: 1,
    providers: [
      {
        name: 'oa-chat',
        channel: 'openai',
        settings: { base_url: `${url}/v1`, wire: 'openai-chat' },
        credentials,
      },
      {
        name: 'oa-resp',
        channel: 'openai',
        settings: { base_url: `${url}/v1`, wire: 'openai-responses' },
        credentials,
      },
      { name: 'an', channel: 'anthropic', settings: { base_url: `${url}/v1` }, credentials },
      { name: 'ge', channel: 'gemini', settings: { base_url: `${url}/v1beta` }, credentials },
    ],
    routes: [
      { name: ROUTE['openai-chat'], members: [{ provider: 'oa-chat', model: 'gpt-up' }] },
      { name: ROUTE['openai-responses'], members: [{ provider: 'oa-resp', model: 'gpt-up' }] },
      { name: ROUTE.claude, members: [{ provider: 'an', model: 'claude-up' }] },
      { name: ROUTE.gemini, members: [{ provider: 'ge', model: 'gemini-up' }] },
    ],
    users: [{ name: 'alice', permissions: ['*'], keys: [{ label: 'k', key: USER_KEY }] }],
  };
}

const UPSTREAM_PATH: Record<WireKind, RegExp> = {
  'openai-chat': /^\/v1\/chat\/completions$/,
  'openai-responses': /^\/v1\/responses$/,
  claude: /^\/v1\/messages$/,
  gemini: /^\/v1beta\/models\/gemini-up:(generateContent|streamGenerateContent\?alt=sse)$/,
};

beforeAll(async () => {
  upstream = await startFakeUpstream();
  gateway = await startTestGateway(bundle(upstream.url));
});
afterAll(async () => {
  await gateway.dispose();
  await upstream.close();
});
beforeEach(() => upstream.reset());

const clients: ((url: string, key: string) => SdkClient)[] = [
  openAiChatClient,
  openAiResponsesClient,
  anthropicClient,
  geminiClient,
];

for (const makeClient of clients) {
  const probe = makeClient('http://127.0.0.1:1', 'x');
  for (const target of WIRE_KINDS) {
    if (target === probe.wire) continue;
    describe(`${probe.wire} SDK -> ${target} upstream`, () => {
      for (const stream of [false, true]) {
        it(`gets a ${stream ? 'streamed' : 'whole'} text answer`, async () => {
          const client = makeClient(gateway.url, USER_KEY);
          const text = await client.text(ROUTE[target], stream);
          expect(text).toBe(`Hello from fake ${target}`);
          expect(upstream.requests.at(-1)?.path).toMatch(UPSTREAM_PATH[target]);
        });

        it(`runs a two-turn tool loop (${stream ? 'streamed' : 'whole'} first turn)`, async () => {
          // The first turn gets the scripted tool call (once); the second the fake's plain text answer.
          upstream.behave({ script: { [target]: TOOL_ANSWERS[target] } });
          const client = makeClient(gateway.url, USER_KEY);
          const { call, answer } = await client.toolLoop(ROUTE[target], stream);
          expect(call).toEqual({ name: 'get_weather', args: { city: 'Paris' } });
          expect(answer).toBe(`Hello from fake ${target}`);
          const second = upstream.requests.at(-1)!;
          expect(second.body).toContain(TOOL_RESULT_TEXT);
          const state = OPAQUE[target];
          if (state !== undefined && probe.wire !== 'openai-chat') expect(second.body).toContain(state);
        });
      }
    });
  }
}

describe('a conversation that moves between routes', () => {
  it('never hands another provider sealed state on a same-wire (passthrough) route', async () => {
    upstream.behave({ script: { gemini: TOOL_ANSWERS.gemini } });
    const post = (body: unknown): Promise<Response> =>
      fetch(`${gateway.url}/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': USER_KEY, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const messages: unknown[] = [{ role: 'user', content: 'Weather in Paris?' }];
    const tools = [
      { name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
    ];
    const first = (await (await post({ model: ROUTE.gemini, max_tokens: 500, messages, tools })).json()) as {
      content: { type: string; id?: string; signature?: string }[];
    };
    expect(JSON.stringify(first.content)).toContain('gpx1.');
    const call = first.content.find((block) => block.type === 'tool_use');
    messages.push(
      { role: 'assistant', content: first.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: call?.id, content: TOOL_RESULT_TEXT }] },
    );
    const second = await post({ model: ROUTE.claude, max_tokens: 500, messages, tools });
    expect(second.status).toBe(200);
    const sent = upstream.requests.at(-1)!;
    expect(sent.path).toBe('/v1/messages');
    expect(sent.body).toContain(TOOL_RESULT_TEXT);
    expect(sent.body).not.toContain('gpx1.');
  });
});
