/**
 * The four official SDKs as gproxy clients, behind one small interface: ask for text, and run a
 * two-turn tool loop the way each SDK's users write it (append the answer as received, then the
 * tool result).
 */
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI, type Content } from '@google/genai';
import OpenAI from 'openai';
import type { WireKind } from '../../src/protocol/operation';

export interface ToolCallSeen {
  name: string;
  args: unknown;
}

export interface SdkClient {
  wire: WireKind;
  text(model: string, stream: boolean): Promise<string>;
  /** First turn with a tool; returns the call, then sends the result and returns the second answer's text. */
  toolLoop(model: string, stream: boolean): Promise<{ call: ToolCallSeen; answer: string }>;
}

const PROMPT = 'Weather in Paris?';
const RESULT = '18C and sunny';
const parameters = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };

export function openAiChatClient(baseUrl: string, key: string): SdkClient {
  const client = new OpenAI({ apiKey: key, baseURL: `${baseUrl}/v1`, maxRetries: 0 });
  const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters } }];
  return {
    wire: 'openai-chat',
    async text(model, stream) {
      const messages = [{ role: 'user' as const, content: 'Say hi' }];
      if (!stream)
        return (await client.chat.completions.create({ model, messages })).choices[0]?.message.content ?? '';
      let text = '';
      for await (const chunk of await client.chat.completions.create({ model, messages, stream: true })) {
        text += chunk.choices[0]?.delta.content ?? '';
      }
      return text;
    },
    async toolLoop(model, stream) {
      const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: PROMPT }];
      let message: OpenAI.ChatCompletionMessage;
      if (stream) {
        const runner = client.chat.completions.stream({ model, messages, tools });
        message = (await runner.finalChatCompletion()).choices[0]!.message;
      } else {
        message = (await client.chat.completions.create({ model, messages, tools })).choices[0]!.message;
      }
      const call = message.tool_calls?.[0];
      if (call?.type !== 'function') throw new Error(`no tool call: ${JSON.stringify(message)}`);
      messages.push(message, { role: 'tool', tool_call_id: call.id, content: RESULT });
      const second = await client.chat.completions.create({ model, messages, tools });
      return {
        call: { name: call.function.name, args: JSON.parse(call.function.arguments) as unknown },
        answer: second.choices[0]?.message.content ?? '',
      };
    },
  };
}

export function openAiResponsesClient(baseUrl: string, key: string): SdkClient {
  const client = new OpenAI({ apiKey: key, baseURL: `${baseUrl}/v1`, maxRetries: 0 });
  const tools = [{ type: 'function' as const, name: 'get_weather', parameters, strict: false }];
  return {
    wire: 'openai-responses',
    async text(model, stream) {
      if (!stream) return (await client.responses.create({ model, input: 'Say hi' })).output_text;
      let text = '';
      for await (const event of await client.responses.create({ model, input: 'Say hi', stream: true })) {
        if (event.type === 'response.output_text.delta') text += event.delta;
      }
      return text;
    },
    async toolLoop(model, stream) {
      const input: OpenAI.Responses.ResponseInput = [{ role: 'user', content: PROMPT }];
      const first = stream
        ? await client.responses.stream({ model, input, tools }).finalResponse()
        : await client.responses.create({ model, input, tools });
      const call = first.output.find((item) => item.type === 'function_call');
      if (call?.type !== 'function_call') throw new Error(`no tool call: ${JSON.stringify(first.output)}`);
      input.push(...(first.output as OpenAI.Responses.ResponseInputItem[]), {
        type: 'function_call_output',
        call_id: call.call_id,
        output: RESULT,
      });
      const second = await client.responses.create({ model, input, tools });
      return {
        call: { name: call.name, args: JSON.parse(call.arguments) as unknown },
        answer: second.output_text,
      };
    },
  };
}

export function anthropicClient(baseUrl: string, key: string): SdkClient {
  const client = new Anthropic({ apiKey: key, baseURL: baseUrl, maxRetries: 0 });
  const tools = [{ name: 'get_weather', input_schema: parameters as Anthropic.Tool.InputSchema }];
  const textOf = (message: Anthropic.Message): string =>
    message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
  return {
    wire: 'claude',
    async text(model, stream) {
      const params = { model, max_tokens: 256, messages: [{ role: 'user' as const, content: 'Say hi' }] };
      if (!stream) return textOf(await client.messages.create(params));
      return textOf(await client.messages.stream(params).finalMessage());
    },
    async toolLoop(model, stream) {
      const messages: Anthropic.MessageParam[] = [{ role: 'user', content: PROMPT }];
      const params = { model, max_tokens: 2048, messages, tools };
      const first = stream
        ? await client.messages.stream(params).finalMessage()
        : await client.messages.create(params);
      const call = first.content.find((block) => block.type === 'tool_use');
      if (call?.type !== 'tool_use') throw new Error(`no tool call: ${JSON.stringify(first.content)}`);
      messages.push(
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: RESULT }] },
      );
      const second = await client.messages.create({ ...params, messages });
      return { call: { name: call.name, args: call.input }, answer: textOf(second) };
    },
  };
}

export function geminiClient(baseUrl: string, key: string): SdkClient {
  const ai = new GoogleGenAI({ apiKey: key, httpOptions: { baseUrl } });
  const config = {
    tools: [{ functionDeclarations: [{ name: 'get_weather', parametersJsonSchema: parameters }] }],
  };
  return {
    wire: 'gemini',
    async text(model, stream) {
      if (!stream) return (await ai.models.generateContent({ model, contents: 'Say hi' })).text ?? '';
      let text = '';
      for await (const chunk of await ai.models.generateContentStream({ model, contents: 'Say hi' }))
        text += chunk.text ?? '';
      return text;
    },
    async toolLoop(model, stream) {
      const contents: Content[] = [{ role: 'user', parts: [{ text: PROMPT }] }];
      let modelContent: Content | undefined;
      if (stream) {
        const parts: NonNullable<Content['parts']> = [];
        for await (const chunk of await ai.models.generateContentStream({ model, contents, config })) {
          parts.push(...(chunk.candidates?.[0]?.content?.parts ?? []));
        }
        modelContent = { role: 'model', parts };
      } else {
        modelContent = (await ai.models.generateContent({ model, contents, config })).candidates?.[0]
          ?.content;
      }
      const call = modelContent?.parts?.find((part) => part.functionCall)?.functionCall;
      if (modelContent === undefined || call?.name === undefined)
        throw new Error(`no tool call: ${JSON.stringify(modelContent)}`);
      contents.push(modelContent, {
        role: 'user',
        parts: [{ functionResponse: { id: call.id, name: call.name, response: { output: RESULT } } }],
      });
      const second = await ai.models.generateContent({ model, contents, config });
      return { call: { name: call.name, args: call.args }, answer: second.text ?? '' };
    },
  };
}

export const TOOL_RESULT_TEXT = RESULT;
