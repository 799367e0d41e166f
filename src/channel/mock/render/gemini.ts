/** Gemini: one GenerateContentResponse, or one per piece as SSE or as a streamed JSON array. */
import type { MockAnswer } from '../answer';
import type { MockRenderer } from './renderer';

function chunk(answer: MockAnswer, text: string, last: boolean) {
  return {
    candidates: [
      {
        content: { parts: [{ text }], role: 'model' },
        ...(last ? { finishReason: 'STOP' } : {}),
        index: 0,
      },
    ],
    ...(last
      ? {
          usageMetadata: {
            promptTokenCount: answer.inputTokens,
            candidatesTokenCount: answer.outputTokens,
            totalTokenCount: answer.inputTokens + answer.outputTokens,
          },
        }
      : {}),
    modelVersion: answer.model,
    responseId: 'mock',
  };
}

export const geminiRenderer: MockRenderer = {
  json: (answer) => chunk(answer, answer.text, true),

  stream: (answer, _body, format) => {
    const last = answer.pieces.length - 1;
    const objects = answer.pieces.map((piece, i) => JSON.stringify(chunk(answer, piece, i === last)));
    // Gemini ends its SSE events with CRLF pairs.
    if (format === 'sse') return objects.map((json) => `data: ${json}\r\n\r\n`);
    return objects.map((json, i) => `${i === 0 ? '[' : ','}${json}\n${i === last ? ']' : ''}`);
  },
};
