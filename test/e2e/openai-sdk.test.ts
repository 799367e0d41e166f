/** The official openai SDK, pointed at gproxy with a gproxy key, streamed and not. */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { fakeUpstreamBundle, startTestGateway, USER_KEY, type TestGateway } from '../support/gateway';

let upstream: FakeUpstream;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  gateway = await startTestGateway(fakeUpstreamBundle(upstream.url));
  client = new OpenAI({ apiKey: USER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await gateway.dispose();
  await upstream.close();
});

describe('openai SDK through gproxy', () => {
  for (const model of ['fast', 'mock-route']) {
    it(`gets a non-streamed chat completion (${model})`, async () => {
      const completion = await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'Say hi' }],
      });
      expect(completion.choices[0]?.message.content?.length).toBeGreaterThan(0);
      expect(completion.usage?.total_tokens).toBeGreaterThan(0);
    });

    it(`gets a streamed chat completion (${model})`, async () => {
      const stream = await client.chat.completions.create({
        model,
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'Say hi' }],
      });
      let text = '';
      let finish: string | null = null;
      let usage = 0;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        finish = chunk.choices[0]?.finish_reason ?? finish;
        usage = chunk.usage?.total_tokens ?? usage;
      }
      expect(text.length).toBeGreaterThan(0);
      expect(finish).toBe('stop');
      expect(usage).toBeGreaterThan(0);
    });
  }

  it('gets a streamed Responses answer', async () => {
    const stream = await client.responses.create({ model: 'fast', input: 'Say hi', stream: true });
    let text = '';
    let completed = false;
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') completed = true;
    }
    expect(text.length).toBeGreaterThan(0);
    expect(completed).toBe(true);
  });

  it('surfaces gproxy errors as SDK errors with status and message', async () => {
    await expect(
      client.chat.completions.create({ model: 'does-not-exist', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
  });
});
