/**
 * What a real client of each wire does between turns: append the model's answer to its history
 * exactly as received, then the tool's result, and send the whole conversation again.
 */
import type { WireKind } from '../../src/protocol/operation';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function appendToolTurn(wire: WireKind, request: Json, response: Json, result: string): Json {
  const next = structuredClone(request);
  switch (wire) {
    case 'openai-chat': {
      const message = response.choices[0].message;
      next.messages.push(message);
      for (const call of message.tool_calls ?? []) {
        next.messages.push({ role: 'tool', tool_call_id: call.id, content: result });
      }
      return next;
    }
    case 'openai-responses': {
      const input = typeof next.input === 'string' ? [{ role: 'user', content: next.input }] : next.input;
      input.push(...response.output);
      for (const item of response.output) {
        if (item.type === 'function_call')
          input.push({ type: 'function_call_output', call_id: item.call_id, output: result });
      }
      next.input = input;
      return next;
    }
    case 'claude': {
      next.messages.push({ role: 'assistant', content: response.content });
      const results = response.content
        .filter((block: Json) => block.type === 'tool_use')
        .map((block: Json) => ({ type: 'tool_result', tool_use_id: block.id, content: result }));
      next.messages.push({ role: 'user', content: results });
      return next;
    }
    case 'gemini': {
      const content = response.candidates[0].content;
      next.contents.push(content);
      const parts = content.parts
        .filter((part: Json) => part.functionCall)
        .map((part: Json) => ({
          functionResponse: {
            id: part.functionCall.id,
            name: part.functionCall.name,
            response: { output: result },
          },
        }));
      next.contents.push({ role: 'user', parts });
      return next;
    }
  }
}
