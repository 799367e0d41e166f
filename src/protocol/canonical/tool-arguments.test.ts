import { describe, expect, it } from 'vitest';
import { argumentsObject } from './tool-arguments';
import { TransformWarnings } from './warnings';

describe('argumentsObject', () => {
  it('parses an object and treats empty text as no arguments, without warnings', () => {
    const warnings = new TransformWarnings();
    expect(argumentsObject('{"city":"Paris"}', warnings, 'f')).toEqual({ city: 'Paris' });
    expect(argumentsObject('  ', warnings, 'f')).toEqual({});
    expect(warnings.list).toEqual([]);
  });

  it('sends {} for text that is not a JSON object, and says so', () => {
    for (const text of ['[1]', '"x"', '{broken']) {
      const warnings = new TransformWarnings();
      expect(argumentsObject(text, warnings, 'parts[0].arguments')).toEqual({});
      expect(warnings.list.map((w) => `${w.kind}:${w.field}`)).toEqual(['approximated:parts[0].arguments']);
    }
  });
});
