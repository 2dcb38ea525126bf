/**
 * What a structural OpenAPI validator does not catch (swagger-parser checks the
 * shape of an OpenAPI 3 document and resolves its `$ref`s, nothing more): every
 * finding here is a warning, and the document must have none.
 */

type Json = any;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const OPERATION_ID = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface Operation {
  path: string;
  method: string;
  operation: Json;
}

export function operationsOf(document: Json): Operation[] {
  return Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    METHODS.filter((method) => (item as Json)[method]).map((method) => ({
      path,
      method,
      operation: (item as Json)[method],
    })),
  );
}

/** The warnings of `document`; an empty list means none. */
export function lintOpenApi(document: Json): string[] {
  const warnings: string[] = [];
  const warn = (where: string, message: string) => warnings.push(`${where}: ${message}`);
  const declaredTags = new Set<string>((document.tags ?? []).map((tag: Json) => tag.name));
  const usedTags = new Set<string>();
  const schemes = document.components?.securitySchemes ?? {};
  const usedSchemes = new Set<string>();
  const operationIds = new Set<string>();

  for (const { path, method, operation } of operationsOf(document)) {
    const where = `${method.toUpperCase()} ${path}`;
    const id = operation.operationId as string | undefined;
    if (!id || !OPERATION_ID.test(id)) warn(where, `operationId "${id}" is not an identifier`);
    else if (operationIds.has(id)) warn(where, `duplicate operationId "${id}"`);
    else operationIds.add(id);

    if (!operation.summary) warn(where, 'no summary');
    if (!operation.description) warn(where, 'no description');
    if (!operation.tags?.length) warn(where, 'no tag');
    for (const tag of operation.tags ?? []) {
      usedTags.add(tag);
      if (!declaredTags.has(tag)) warn(where, `tag "${tag}" is not declared`);
    }

    for (const requirement of operation.security ?? []) {
      for (const [name, scopes] of Object.entries(requirement)) {
        usedSchemes.add(name);
        if (!schemes[name]) warn(where, `security scheme "${name}" is not defined`);
        if ((scopes as unknown[]).length > 0) warn(where, `scopes for "${name}"`);
      }
    }

    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
    const pathParameters = (operation.parameters ?? []).filter((p: Json) => p.in === 'path');
    for (const name of templated) {
      if (!pathParameters.some((p: Json) => p.name === name && p.required === true)) {
        warn(where, `path parameter "${name}" is not declared as required`);
      }
    }
    for (const parameter of pathParameters) {
      if (!templated.includes(parameter.name)) warn(where, `no "{${parameter.name}}" in the path`);
    }

    for (const [type, media] of Object.entries(operation.requestBody?.content ?? {})) {
      checkExamples(document, media, `${where} request ${type}`, warn);
    }
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      const answer = response as Json;
      if (!answer.description) warn(where, `response ${status} has no description`);
      for (const [type, media] of Object.entries(answer.content ?? {})) {
        checkExamples(document, media, `${where} ${status} ${type}`, warn);
      }
    }
  }

  for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
    for (const [property, definition] of Object.entries((schema as Json).properties ?? {})) {
      const { example, ...rest } = definition as Json;
      if (example === undefined) continue;
      for (const problem of schemaProblems(document, rest, example, '')) {
        warn(`components ${name}.${property}`, `example${problem}`);
      }
    }
  }
  for (const tag of declaredTags) if (!usedTags.has(tag)) warn('tags', `"${tag}" is unused`);
  for (const name of Object.keys(schemes)) {
    if (!usedSchemes.has(name)) warn('securitySchemes', `"${name}" is unused`);
  }
  checkReferences(document, warn);
  return warnings;
}

/** Every `$ref` resolves, and every component schema is referenced. */
function checkReferences(document: Json, warn: (where: string, message: string) => void): void {
  const referenced = new Set<string>();
  const visit = (node: Json, where: string) => {
    if (Array.isArray(node)) node.forEach((item, i) => visit(item, `${where}/${i}`));
    else if (node && typeof node === 'object') {
      if (typeof node.$ref === 'string') {
        referenced.add(node.$ref);
        if (resolve(document, node.$ref) === undefined)
          warn(where, `$ref ${node.$ref} is unresolved`);
      }
      // What reflection makes of `string | null` when a property does not name its type.
      const shapeless = !node.properties && node.additionalProperties === undefined && !node.allOf;
      if (node.type === 'object' && shapeless && !node.oneOf && !node.anyOf) {
        warn(where, 'an object schema without properties (a property without its type?)');
      }
      for (const [key, value] of Object.entries(node)) {
        // Examples are bodies, not schemas.
        if (key !== 'example' && key !== 'examples') visit(value, `${where}/${key}`);
      }
    }
  };
  visit(document, '#');
  for (const name of Object.keys(document.components?.schemas ?? {})) {
    if (!referenced.has(`#/components/schemas/${name}`)) {
      warn('components', `schema "${name}" is unused`);
    }
  }
}

function resolve(document: Json, ref: string): Json {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((node: Json, part) => (node === undefined ? undefined : node[part]), document);
}

/** A media type's examples exist (when it has a schema) and are instances of its schema. */
function checkExamples(
  document: Json,
  media: Json,
  where: string,
  warn: (where: string, message: string) => void,
): void {
  const examples: [string, unknown][] = [];
  if ('example' in media) examples.push(['example', media.example]);
  for (const [name, example] of Object.entries(media.examples ?? {})) {
    examples.push([name, (example as Json).value]);
  }
  if (media.schema && examples.length === 0) warn(where, 'no example');
  for (const [name, value] of examples) {
    for (const problem of schemaProblems(document, media.schema ?? {}, value, '')) {
      warn(where, `example "${name}"${problem}`);
    }
  }
}

/**
 * Why `value` is not an instance of an OpenAPI 3.0 schema: the subset the
 * document uses (type, nullable, enum, properties, required,
 * additionalProperties, items, maxItems, oneOf, anyOf, allOf, $ref).
 */
export function schemaProblems(document: Json, schema: Json, value: unknown, at: string): string[] {
  if (schema.$ref) return schemaProblems(document, resolve(document, schema.$ref), value, at);
  const problems: string[] = [];
  const fail = (message: string) => problems.push(`${at ? ` at ${at}` : ''}: ${message}`);
  if (value === null) {
    const allowed =
      schema.nullable === true || schema.type === undefined || (schema.enum ?? []).includes(null);
    if (!allowed) fail('null, and the schema is not nullable');
    if (schema.allOf || schema.oneOf || schema.anyOf) {
      // nullable + allOf is how @nestjs/swagger writes a nullable reference.
      return schema.nullable ? problems : [...problems, ...combined(document, schema, value, at)];
    }
    return problems;
  }
  if (schema.enum && !schema.enum.some((option: unknown) => deepEqual(option, value))) {
    fail(`${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  const type = schema.type as string | undefined;
  if (type && !hasType(value, type)) {
    fail(`${JSON.stringify(value)} is not of type ${type}`);
    return problems;
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems)
      fail(`more than ${schema.maxItems} items`);
    if (schema.items) {
      value.forEach((item, i) =>
        problems.push(...schemaProblems(document, schema.items, item, `${at}[${i}]`)),
      );
    }
  } else if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    for (const name of schema.required ?? []) {
      if (!(name in object)) fail(`"${name}" is required`);
    }
    for (const [name, item] of Object.entries(object)) {
      const property = schema.properties?.[name];
      if (property) problems.push(...schemaProblems(document, property, item, `${at}.${name}`));
      else if (schema.additionalProperties === false) fail(`"${name}" is not a property`);
      else if (typeof schema.additionalProperties === 'object') {
        problems.push(
          ...schemaProblems(document, schema.additionalProperties, item, `${at}.${name}`),
        );
      } else if (schema.properties && schema.additionalProperties === undefined) {
        // Not an error in JSON Schema, but here a property the schema forgot.
        fail(`"${name}" is not a documented property`);
      }
    }
  }
  problems.push(...combined(document, schema, value, at));
  return problems;
}

function combined(document: Json, schema: Json, value: unknown, at: string): string[] {
  const problems: string[] = [];
  for (const part of schema.allOf ?? [])
    problems.push(...schemaProblems(document, part, value, at));
  const matching = (options: Json[]) =>
    options.filter((option) => schemaProblems(document, option, value, at).length === 0).length;
  if (schema.oneOf && matching(schema.oneOf) !== 1) {
    problems.push(`${at ? ` at ${at}` : ''}: matches ${matching(schema.oneOf)} of oneOf`);
  }
  if (schema.anyOf && matching(schema.anyOf) === 0) {
    problems.push(`${at ? ` at ${at}` : ''}: matches none of anyOf`);
  }
  return problems;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      return typeof value === type;
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
