/** Image and file sources: Responses carries them as data URLs, http(s) URLs or file ids. */
import type { MediaSource } from '../../../../canonical/parts';

const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s;

/** A `data:` URL as a base64 source; undefined when the text is not one. */
export function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  const match = DATA_URL.exec(url);
  if (!match) return undefined;
  const mediaType = match[1] || 'application/octet-stream';
  const params = match[2] ?? '';
  const body = match[3] ?? '';
  // Percent-encoded (non-base64) data URLs are rare for binary media; re-encode them as base64.
  if (params.split(';').includes('base64')) return { mediaType, data: body };
  return { mediaType, data: utf8ToBase64(decodeURIComponent(body)) };
}

export function toDataUrl(mediaType: string, data: string): string {
  return `data:${mediaType};base64,${data}`;
}

/** `image_url` / `file_url` as a canonical source. */
export function sourceFromUrl(url: string, fallbackMediaType?: string): MediaSource {
  const data = parseDataUrl(url);
  if (data) return { kind: 'base64', mediaType: data.mediaType, data: data.data };
  return fallbackMediaType === undefined
    ? { kind: 'url', url }
    : { kind: 'url', url, mediaType: fallbackMediaType };
}

const EXTENSION_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  html: 'text/html',
  json: 'application/json',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
};

/** Media type from a file name, for `file_data` sent as bare base64 (PDF is by far the common case). */
export function mediaTypeOfFilename(filename: string | undefined): string {
  const extension = filename?.split('.').pop()?.toLowerCase();
  return (extension && EXTENSION_TYPES[extension]) ?? 'application/pdf';
}

/** A file name for `file_data`, which OpenAI wants named, from the media type when the client gave none. */
export function filenameForMediaType(mediaType: string): string {
  for (const [extension, type] of Object.entries(EXTENSION_TYPES)) {
    if (type === mediaType) return `document.${extension}`;
  }
  return 'document';
}

function utf8ToBase64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
