import { describe, expect, it } from 'vitest';
import { TransformWarnings } from '../../../../canonical/warnings';
import { fromGeminiSchema } from './schema-from-gemini';
import { toGeminiSchema } from './schema-subset';

function convert(schema: Record<string, unknown>) {
  const warnings = new TransformWarnings();
  return { schema: toGeminiSchema(schema, warnings, 'p'), warnings: warnings.list };
}

describe('toGeminiSchema', () => {
  it('upper-cases types and turns null unions into nullable', () => {
    const { schema, warnings } = convert({
      type: 'object',
      properties: {
        a: { type: ['string', 'null'], description: 'A' },
        b: { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'null' }], description: 'B' },
        c: { type: ['string', 'number'] },
        d: { enum: ['x', null] },
        e: { const: 'fixed' },
      },
      required: ['a'],
    });
    expect(schema).toEqual({
      type: 'OBJECT',
      properties: {
        a: { type: 'STRING', nullable: true, description: 'A' },
        b: { type: 'INTEGER', minimum: 1, nullable: true, description: 'B' },
        c: { anyOf: [{ type: 'STRING' }, { type: 'NUMBER' }] },
        d: { type: 'STRING', nullable: true, enum: ['x'] },
        e: { type: 'STRING', enum: ['fixed'] },
      },
      required: ['a'],
    });
    expect(warnings).toEqual([]);
  });

  it('inlines $defs references and cuts recursive ones with a warning', () => {
    const { schema, warnings } = convert({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: {
        address: { $ref: '#/$defs/Address', description: 'Home' },
        tree: { $ref: '#/definitions/Node' },
      },
      $defs: { Address: { type: 'object', properties: { city: { type: 'string' } } } },
      definitions: {
        Node: {
          type: 'object',
          properties: { children: { type: 'array', items: { $ref: '#/definitions/Node' } } },
        },
      },
    });
    const properties = schema['properties'] as Record<string, Record<string, unknown>>;
    expect(properties['address']).toEqual({
      type: 'OBJECT',
      description: 'Home',
      properties: { city: { type: 'STRING' } },
    });
    // Three levels of Node, then a plain object.
    let node = properties['tree'];
    for (let depth = 0; depth < 3; depth++) {
      expect(node?.['type']).toBe('OBJECT');
      node = ((node?.['properties'] as Record<string, Record<string, unknown>>)['children']?.['items'] ??
        undefined) as Record<string, unknown> | undefined;
    }
    expect(node).toEqual({ type: 'OBJECT' });
    expect(warnings).toEqual([
      {
        kind: 'approximated',
        field:
          'p.properties.tree.properties.children.items.properties.children.items.properties.children.items.$ref',
        detail: 'recursive reference #/definitions/Node cut at depth 3',
      },
    ]);
  });

  it('approximates oneOf, allOf, unsupported formats and bounds, and drops other keywords with warnings', () => {
    const { schema, warnings } = convert({
      type: 'object',
      additionalProperties: false,
      properties: {
        when: { type: 'string', format: 'date-time' },
        mail: { type: 'string', format: 'email', pattern: '^.+@.+$' },
        n: { type: 'number', exclusiveMinimum: 0, multipleOf: 2 },
        pick: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
        both: {
          allOf: [
            { properties: { x: { type: 'string' } }, required: ['x'] },
            { properties: { y: { type: 'string' } } },
          ],
        },
      },
    });
    expect(schema).toEqual({
      type: 'OBJECT',
      properties: {
        when: { type: 'STRING', format: 'date-time' },
        mail: { type: 'STRING', pattern: '^.+@.+$' },
        n: { type: 'NUMBER', minimum: 0 },
        pick: { anyOf: [{ type: 'STRING' }, { type: 'INTEGER' }] },
        both: {
          type: 'OBJECT',
          properties: { x: { type: 'STRING' }, y: { type: 'STRING' } },
          required: ['x'],
        },
      },
    });
    expect(warnings.map((w) => w.field)).toEqual(
      expect.arrayContaining([
        'p.additionalProperties',
        'p.properties.mail.format',
        'p.properties.n.exclusiveMinimum',
        'p.properties.n.multipleOf',
        'p.properties.pick.oneOf',
        'p.properties.both.allOf',
      ]),
    );
  });
});

describe('fromGeminiSchema', () => {
  it('turns the OpenAPI subset back into JSON Schema', () => {
    expect(
      fromGeminiSchema({
        type: 'OBJECT',
        properties: {
          b: { type: 'STRING', format: 'enum', enum: ['x', 'y'], nullable: true },
          a: { type: 'ARRAY', items: { type: 'NUMBER', format: 'double' }, maxItems: '3' },
          c: { anyOf: [{ type: 'STRING' }, { type: 'INTEGER' }], nullable: true, example: 'q' },
        },
        propertyOrdering: ['a', 'b'],
        required: ['a'],
      }),
    ).toEqual({
      type: 'object',
      properties: {
        a: { type: 'array', items: { type: 'number', format: 'double' }, maxItems: 3 },
        b: { type: ['string', 'null'], enum: ['x', 'y', null] },
        c: { anyOf: [{ type: 'string' }, { type: 'integer' }, { type: 'null' }], examples: ['q'] },
      },
      required: ['a'],
    });
  });
});
