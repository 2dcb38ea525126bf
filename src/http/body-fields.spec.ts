import { TooManyFieldsError } from '../problems/problem';
import {
  countFormFields,
  countJsonFields,
  MAX_JSON_DEPTH,
  parseJson,
  readJson,
} from './body-fields';

describe('countJsonFields', () => {
  it.each([
    ['{}', 0],
    ['[]', 0],
    ['"text"', 0],
    ['1', 0],
    ['{"a": 1}', 1],
    ['{"a": 1, "b": 2}', 2],
    ['[1, 2, 3]', 3],
    ['[ ]', 0],
    ['[[]]', 1],
    ['[[], []]', 2],
    ['[{}]', 1],
    ['{"a": [1, 2], "b": {"c": null}}', 5],
    ['[[1, 2], [3]]', 5],
    // Structural characters inside strings are text, escaped quotes included.
    ['{"a:b": "x, y", "c": "[\\"]{"}', 2],
    ['["a,b", "c\\\\", "d"]', 3],
    ['{"a": "x\\\\\\"y,", "b": "\\\\\\\\"}', 2],
    ['\n{\t"a" :\r 1 }\n', 1],
  ])('counts the members and items of %j as %d', (text, fields) => {
    expect(countJsonFields(text, 1000)).toBe(fields);
    // The count agrees with the value JSON.parse builds.
    expect(fieldsOf(JSON.parse(text))).toBe(fields);
  });

  it('refuses a field past the limit, and accepts exactly the limit', () => {
    const body = (n: number) =>
      JSON.stringify(Object.fromEntries(range(n).map((i) => [`k${i}`, i])));
    expect(countJsonFields(body(1000), 1000)).toBe(1000);
    expect(() => countJsonFields(body(1001), 1000)).toThrow(TooManyFieldsError);
    expect(() => countJsonFields(JSON.stringify(range(1001)), 1000)).toThrow(TooManyFieldsError);
    // Nested: 10 objects of 100 keys each are 1,010 fields.
    const nested = Object.fromEntries(
      range(10).map((i) => [`o${i}`, Object.fromEntries(range(100).map((j) => [`k${j}`, j]))]),
    );
    expect(() => countJsonFields(JSON.stringify(nested), 1000)).toThrow(TooManyFieldsError);
  });

  it('names the limit in the error', () => {
    expect(() => countJsonFields('[1, 2, 3]', 2)).toThrow(
      expect.objectContaining({ limit: 2, statusCode: 400 }),
    );
  });

  it(`refuses nesting deeper than ${MAX_JSON_DEPTH} as unparsable`, () => {
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    expect(() => countJsonFields(deep(MAX_JSON_DEPTH), 1000)).not.toThrow();
    expect(() => countJsonFields(deep(MAX_JSON_DEPTH + 1), 1000)).toThrow(SyntaxError);
  });
});

it('leaves an unterminated string to JSON.parse', () => {
  expect(countJsonFields('{"a": 1, "b": "x, y', 1000)).toBe(2);
  expect(() => parseJson('{"a": 1, "b": "x, y', 1000)).toThrow(SyntaxError);
});

describe('parseJson and readJson', () => {
  it('parse after counting', () => {
    expect(parseJson('{"a": [1, 2]}', 3)).toEqual({ a: [1, 2] });
    expect(readJson('{"a": [1, 2]}', 3)).toEqual({ value: { a: [1, 2] }, fields: 3 });
    expect(() => parseJson('{"a": [1, 2]}', 2)).toThrow(TooManyFieldsError);
    expect(() => parseJson('{"a": 1,}', 10)).toThrow(SyntaxError);
  });
});

describe('countFormFields', () => {
  it.each([
    ['', 0],
    ['a=1', 1],
    ['a=1&b=2', 2],
    // As Python's parse_qsl counts them for Django: every `&` separates a field.
    ['a=1&', 2],
    ['&&', 3],
  ])('counts %j as %d', (text, fields) => expect(countFormFields(text)).toBe(fields));
});

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function fieldsOf(value: unknown): number {
  if (Array.isArray(value))
    return value.length + value.reduce((n: number, v) => n + fieldsOf(v), 0);
  if (typeof value === 'object' && value !== null) {
    const values = Object.values(value);
    return values.length + values.reduce((n: number, v) => n + fieldsOf(v), 0);
  }
  return 0;
}
