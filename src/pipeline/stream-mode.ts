/**
 * Whether the upstream request streams. Normally it does exactly when the client's does; a
 * provider's `stream_mode` setting says when its upstream cannot: `never` (it has no streaming:
 * streaming clients get a synthetic stream) or `always` (it only streams: whole-answer clients
 * get the stream folded into one answer).
 */
export type StreamMode = 'auto' | 'never' | 'always';

export function streamModeOf(settings: Readonly<Record<string, unknown>>): StreamMode {
  const value = settings['stream_mode'];
  return value === 'never' || value === 'always' ? value : 'auto';
}

export function upstreamStreams(mode: StreamMode, clientStreams: boolean): boolean {
  return mode === 'auto' ? clientStreams : mode === 'always';
}
