/**
 * Message content of the Responses wire: `input_text` / `output_text` / `refusal`, `input_image`,
 * `input_file`, both directions. Also the content of `function_call_output.output`.
 */
import type { DocumentPart, ImagePart, MediaSource, TextPart } from '../../../../canonical/parts';
import type { TransformWarnings } from '../../../../canonical/warnings';
import { arrayAt, asObject, stringAt } from '../../../../json-access';
import type { JsonObject } from '../../../../json-access';
import { filenameForMediaType, mediaTypeOfFilename, parseDataUrl, sourceFromUrl, toDataUrl } from './media';

export type InputContentPart = TextPart | ImagePart | DocumentPart;

/** `content` of a message item (a string or a list of parts), or `output` of a function_call_output. */
export function decodeContent(value: unknown, path: string, warnings: TransformWarnings): InputContentPart[] {
  if (typeof value === 'string') return [{ type: 'text', text: value }];
  if (!Array.isArray(value)) return [];
  const out: InputContentPart[] = [];
  value.forEach((item, index) => {
    const part = asObject(item);
    if (!part) return;
    const decoded = decodeContentPart(part, `${path}[${index}]`, warnings);
    if (decoded) out.push(decoded);
  });
  return out;
}

function decodeContentPart(
  part: JsonObject,
  path: string,
  warnings: TransformWarnings,
): InputContentPart | undefined {
  const type = stringAt(part, 'type');
  switch (type) {
    case 'input_text':
    case 'output_text':
    case 'text': {
      const annotations = arrayAt(part, 'annotations');
      if (annotations && annotations.length > 0) warnings.add('dropped', `${path}.annotations`);
      return { type: 'text', text: stringAt(part, 'text') ?? '' };
    }
    case 'refusal':
      return { type: 'text', text: stringAt(part, 'refusal') ?? '', refusal: true };
    case 'input_image':
      return decodeImage(part, path, warnings);
    case 'input_file':
      return decodeFile(part, path, warnings);
    default:
      warnings.add('unsupported', path, `content type ${type ?? 'missing'}`);
      return undefined;
  }
}

function decodeImage(part: JsonObject, path: string, warnings: TransformWarnings): ImagePart | undefined {
  const url = stringAt(part, 'image_url');
  const fileId = stringAt(part, 'file_id');
  let source: MediaSource;
  if (url !== undefined) source = sourceFromUrl(url);
  else if (fileId !== undefined) source = { kind: 'file-id', fileId };
  else {
    warnings.add('unsupported', path, 'input_image without image_url or file_id');
    return undefined;
  }
  const image: ImagePart = { type: 'image', source };
  const detail = stringAt(part, 'detail');
  if (detail === 'auto' || detail === 'low' || detail === 'high') image.detail = detail;
  else if (detail === 'original') {
    // `original` asks for no downscaling at all; `high` is the closest level other wires know.
    image.detail = 'high';
    warnings.add('approximated', `${path}.detail`, 'original as high');
  }
  return image;
}

function decodeFile(part: JsonObject, path: string, warnings: TransformWarnings): DocumentPart | undefined {
  const filename = stringAt(part, 'filename');
  const fileData = stringAt(part, 'file_data');
  const fileId = stringAt(part, 'file_id');
  const fileUrl = stringAt(part, 'file_url');
  let source: MediaSource;
  if (fileData !== undefined) {
    // The API documents a data URL; some clients send bare base64, typed here from the file name.
    const data = parseDataUrl(fileData);
    source = data
      ? { kind: 'base64', mediaType: data.mediaType, data: data.data }
      : { kind: 'base64', mediaType: mediaTypeOfFilename(filename), data: fileData };
  } else if (fileId !== undefined) source = { kind: 'file-id', fileId };
  else if (fileUrl !== undefined) source = sourceFromUrl(fileUrl);
  else {
    warnings.add('unsupported', path, 'input_file without file_data, file_id or file_url');
    return undefined;
  }
  const document: DocumentPart = { type: 'document', source };
  if (filename !== undefined) document.filename = filename;
  return document;
}

/** A canonical text, image or document as Responses input content (user side). */
export function encodeInputContent(part: InputContentPart): JsonObject {
  switch (part.type) {
    case 'text':
      return { type: 'input_text', text: part.text };
    case 'image':
      return { type: 'input_image', ...imageSource(part.source), detail: part.detail ?? 'auto' };
    case 'document':
      return { type: 'input_file', ...fileSource(part) };
  }
}

function imageSource(source: MediaSource): JsonObject {
  switch (source.kind) {
    case 'base64':
      return { image_url: toDataUrl(source.mediaType, source.data) };
    case 'url':
      return { image_url: source.url };
    case 'file-id':
      return { file_id: source.fileId };
  }
}

function fileSource(part: DocumentPart): JsonObject {
  const { source, filename } = part;
  switch (source.kind) {
    case 'base64':
      return {
        filename: filename ?? filenameForMediaType(source.mediaType),
        file_data: toDataUrl(source.mediaType, source.data),
      };
    case 'url':
      return filename === undefined ? { file_url: source.url } : { filename, file_url: source.url };
    case 'file-id':
      return filename === undefined ? { file_id: source.fileId } : { filename, file_id: source.fileId };
  }
}
