/**
 * One short "hi" through the gateway in a client wire, authenticated the way that wire's SDK does
 * (Claude `x-api-key`, Gemini `x-goog-api-key`), for tests that check an answer per wire.
 */
export function claudeHi(baseUrl: string, key: string, model = 'claude-fast'): Promise<Response> {
  return fetch(`${baseUrl}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model, max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }),
  });
}

export function geminiHi(
  baseUrl: string,
  key: string,
  options: { model?: string; maxOutputTokens?: number } = {},
): Promise<Response> {
  const { model = 'gemini-fast', maxOutputTokens } = options;
  return fetch(`${baseUrl}/v1beta/models/${model}:generateContent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-goog-api-key': key },
    body: JSON.stringify({
      contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
      ...(maxOutputTokens === undefined ? {} : { generationConfig: { maxOutputTokens } }),
    }),
  });
}
