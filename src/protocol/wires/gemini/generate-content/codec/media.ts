/** Images and documents <-> Gemini `inlineData` (base64) and `fileData` (a URI) parts. */
import type { DocumentPart, ImagePart, MediaSource } from '../../../../canonical/parts';
import type { TransformWarnings } from '../../../../canonical/warnings';
import type { JsonObject } from '../../../../json-access';
import { stringField } from './fields';

/** Files uploaded through the Gemini Files API live here; such URIs are provider file ids, not web URLs. */
const FILES_API_HOST = 'generativelanguage.googleapis.com';

const EXTENSION_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
  pdf: 'application/pdf',
  txt: 'text/plain',
  md: 'text/markdown',
  html: 'text/html',
  csv: 'text/csv',
};

function isImageType(mediaType: string | undefined): boolean {
  return mediaType?.toLowerCase().startsWith('image/') === true;
}

export function guessMediaType(uri: string): string | undefined {
  const path = uri.split(/[?#]/)[0] ?? '';
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return extension === undefined ? undefined : EXTENSION_TYPES[extension];
}

function mediaPart(
  source: MediaSource,
  mediaType: string | undefined,
  filename?: string,
): ImagePart | DocumentPart {
  if (isImageType(mediaType)) return { type: 'image', source };
  return filename === undefined ? { type: 'document', source } : { type: 'document', source, filename };
}

export function decodeInlineData(blob: JsonObject): ImagePart | DocumentPart | undefined {
  const data = stringField(blob, 'data');
  if (data === undefined) return undefined;
  const mediaType = stringField(blob, 'mimeType') ?? 'application/octet-stream';
  return mediaPart({ kind: 'base64', mediaType, data }, mediaType, stringField(blob, 'displayName'));
}

export function decodeFileData(file: JsonObject): ImagePart | DocumentPart | undefined {
  const uri = stringField(file, 'fileUri');
  if (uri === undefined) return undefined;
  const mediaType = stringField(file, 'mimeType') ?? guessMediaType(uri);
  const isWebUrl = /^https?:\/\//i.test(uri) && !uri.toLowerCase().includes(FILES_API_HOST);
  const source: MediaSource = isWebUrl
    ? { kind: 'url', url: uri, ...(mediaType ? { mediaType } : {}) }
    : { kind: 'file-id', fileId: uri, ...(mediaType ? { mediaType } : {}) };
  return mediaPart(source, mediaType, stringField(file, 'displayName'));
}

/** A canonical image or document as a Gemini part; undefined (with a warning) when Gemini cannot take it. */
export function encodeMedia(
  part: ImagePart | DocumentPart,
  warnings: TransformWarnings,
  path: string,
): JsonObject | undefined {
  const source = part.source;
  const fallbackType = part.type === 'image' ? 'image/jpeg' : 'application/pdf';
  if (part.type === 'image' && part.detail !== undefined) warnings.add('dropped', `${path}.detail`);
  if (part.type === 'document' && part.filename !== undefined) warnings.add('dropped', `${path}.filename`);
  switch (source.kind) {
    case 'base64':
      return { inlineData: { mimeType: source.mediaType, data: source.data } };
    case 'url': {
      const dataUrl = /^data:([^;,]+)?(?:;[^,]*)?;base64,(.*)$/s.exec(source.url);
      if (dataUrl) return { inlineData: { mimeType: dataUrl[1] ?? fallbackType, data: dataUrl[2] ?? '' } };
      return {
        fileData: {
          mimeType: mediaTypeFor(source.url, source.mediaType, fallbackType, warnings, path),
          fileUri: source.url,
        },
      };
    }
    case 'file-id':
      // Only URIs (Gemini Files API, gs://) name a file Gemini can read; another provider's file id cannot be sent.
      if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(source.fileId)) {
        warnings.add('unsupported', `${path}.source.fileId`, 'file id of another provider');
        return undefined;
      }
      return {
        fileData: {
          mimeType: mediaTypeFor(source.fileId, source.mediaType, fallbackType, warnings, path),
          fileUri: source.fileId,
        },
      };
  }
}

/** `fileData` needs a MIME type: the given one, else one guessed from the URI, else a default (warned). */
function mediaTypeFor(
  uri: string,
  given: string | undefined,
  fallback: string,
  warnings: TransformWarnings,
  path: string,
): string {
  const known = given ?? guessMediaType(uri);
  if (known !== undefined) return known;
  warnings.add('approximated', `${path}.source.mediaType`, `unknown, sent as ${fallback}`);
  return fallback;
}
