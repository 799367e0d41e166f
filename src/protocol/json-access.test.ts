import { describe, expect, it } from 'vitest';
import {
  arrayAt,
  asArray,
  asBoolean,
  asNumber,
  asObject,
  asString,
  booleanAt,
  countAt,
  isSet,
  numberAt,
  objectAt,
  objectsAt,
  stringAt,
} from './json-access';

describe('json-access', () => {
  it('reads values of the right type and treats every other type as absent', () => {
    expect(asObject({ a: 1 })).toEqual({ a: 1 });
    expect(asObject([])).toBeUndefined();
    expect(asObject(null)).toBeUndefined();
    expect(asString('x')).toBe('x');
    expect(asString(1)).toBeUndefined();
    expect(asNumber(2)).toBe(2);
    expect(asNumber(Number.NaN)).toBeUndefined();
    expect(asNumber(Infinity)).toBeUndefined();
    expect(asNumber('2')).toBeUndefined();
    expect(asBoolean(false)).toBe(false);
    expect(asBoolean('true')).toBeUndefined();
    expect(asArray([1])).toEqual([1]);
    expect(asArray({})).toBeUndefined();
  });

  it('reads fields of a possibly absent parent', () => {
    const parent = { s: 's', n: 3, b: true, a: [1, { x: 1 }, null, { y: 2 }], o: { k: 1 }, z: null, c: -1 };
    expect(stringAt(parent, 's')).toBe('s');
    expect(stringAt(parent, 'n')).toBeUndefined();
    expect(numberAt(parent, 'n')).toBe(3);
    expect(booleanAt(parent, 'b')).toBe(true);
    expect(arrayAt(parent, 'a')).toHaveLength(4);
    expect(objectAt(parent, 'o')).toEqual({ k: 1 });
    expect(objectsAt(parent, 'a')).toEqual([{ x: 1 }, { y: 2 }]);
    expect(objectsAt(parent, 'missing')).toEqual([]);
    expect(isSet(parent, 's')).toBe(true);
    expect(isSet(parent, 'z')).toBe(false);
    expect(isSet(parent, 'missing')).toBe(false);
    expect(countAt(parent, 'n')).toBe(3);
    expect(countAt(parent, 'c')).toBeUndefined();
    expect(stringAt(undefined, 's')).toBeUndefined();
    expect(objectAt(undefined, 'o')).toBeUndefined();
  });
});
