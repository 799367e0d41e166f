/** Gemini keywords that have the same name and meaning in the canonical model, decoded and encoded alike. */

/** `generationConfig` numbers copied as they are to and from the canonical request. */
export const GENERATION_NUMBERS = [
  'maxOutputTokens',
  'temperature',
  'topP',
  'topK',
  'seed',
  'presencePenalty',
  'frequencyPenalty',
] as const;

/** The count keywords of Gemini's `Schema` and JSON Schema: int64, which proto3 JSON may write as strings. */
export const SCHEMA_COUNT_KEYWORDS = [
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'minProperties',
  'maxProperties',
] as const;
