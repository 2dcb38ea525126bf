import { TooManyFieldsError } from '../problems/problem';

/**
 * Deeper JSON is refused as unparsable: nothing Gatehouse reads nests beyond a few
 * levels, and transforming and validating a deeper body recurses once per level.
 */
export const MAX_JSON_DEPTH = 64;

/** A JSON value and the number of fields it holds (see countJsonFields). */
export interface CountedJson {
  value: unknown;
  fields: number;
}

/**
 * The fields of an urlencoded body as Django counts them against
 * DATA_UPLOAD_MAX_NUMBER_FIELDS (Python's `parse_qsl`): one more than its `&`s.
 */
export function countFormFields(text: string): number {
  if (text === '') return 0;
  let fields = 1;
  for (let i = text.indexOf('&'); i !== -1; i = text.indexOf('&', i + 1)) fields++;
  return fields;
}

/**
 * JSON.parse, refusing more than `maxFields` fields (every object member and every
 * array item, at any depth) and nesting deeper than MAX_JSON_DEPTH, both counted
 * in one pass over the text before anything is built.
 */
export function parseJson(text: string, maxFields: number): unknown {
  return readJson(text, maxFields).value;
}

/** parseJson, with the number of fields the value holds. */
export function readJson(text: string, maxFields: number): CountedJson {
  const fields = countJsonFields(text, maxFields);
  return { value: JSON.parse(text), fields };
}

const ARRAY = 1;
const OBJECT = 2;

/**
 * Counts the fields of a JSON text without parsing it: each `:` outside a string
 * is an object member, each array holds one item more than its `,`s unless empty.
 * Throws TooManyFieldsError past `maxFields`, a parser-style SyntaxError past
 * MAX_JSON_DEPTH; a text that is not JSON gets a count JSON.parse will then refuse.
 */
export function countJsonFields(text: string, maxFields: number): number {
  const containers = new Uint8Array(MAX_JSON_DEPTH + 1);
  let depth = 0;
  let fields = 0;
  // Just after `[`: the next value, unless `]`, is the array's first item.
  let arrayOpened = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Whitespace (space, tab, newline, carriage return) changes nothing.
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
    if (arrayOpened) {
      arrayOpened = false;
      if (c !== 0x5d) fields++;
    }
    if (c === 0x22) {
      // A string: on to its closing quote (one no backslash escapes), natively.
      i = text.indexOf('"', i + 1);
      while (i !== -1 && escaped(text, i)) i = text.indexOf('"', i + 1);
      if (i === -1) break; // unterminated: JSON.parse says so
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) {
        throw new SyntaxError(
          `Maximum nesting depth of ${MAX_JSON_DEPTH} exceeded at position ${i}`,
        );
      }
      containers[depth] = c === 0x5b ? ARRAY : OBJECT;
      arrayOpened = c === 0x5b;
    } else if (c === 0x5d || c === 0x7d) {
      if (depth > 0) depth--;
    } else if (c === 0x3a || (c === 0x2c && containers[depth] === ARRAY)) {
      fields++;
    }
    if (fields > maxFields) throw new TooManyFieldsError(maxFields);
  }
  return fields;
}

/** Whether the quote at `at` is escaped: an odd run of backslashes before it. */
function escaped(text: string, at: number): boolean {
  let backslashes = 0;
  while (text.charCodeAt(at - 1 - backslashes) === 0x5c) backslashes++;
  return backslashes % 2 === 1;
}
