/** Bundle pieces the end-to-end tests share. */

/** An `openai` provider (named `oa` unless told) on a fake upstream, with one credential `main`. */
export function openAiProvider(upstreamUrl: string, name = 'oa') {
  return {
    name,
    channel: 'openai',
    settings: { base_url: `${upstreamUrl}/v1` },
    credentials: [{ label: 'main', secret: { api_key: 'sk-up' } }],
  };
}
