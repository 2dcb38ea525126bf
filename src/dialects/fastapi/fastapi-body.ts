import {
  type ArgumentMetadata,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  type PipeTransform,
} from '@nestjs/common';
import type { HttpRequest } from '../../http/http-seam';
import { FastApiException, type FastApiValidationItem } from '../../problems/fastapi.exception';
import { parseForm, RawBody } from '../../http/body-parsers';
import {
  type PydanticBodyKind,
  pydanticBodyKind,
  type PydanticError,
  type PydanticField,
  pydanticFields,
} from './pydantic-fields';

/** What the param decorator hands the pipe: the parsed body and the media type it came as. */
class ReceivedBody {
  constructor(
    readonly body: unknown,
    readonly mediaType: string,
  ) {}
}

/**
 * Validates a DTO declared with `@PydanticBody(…)` and pydantic field decorators
 * as FastAPI does, answering its 422 `{"detail": [{type, loc, msg, input}]}`:
 * every error of every field, in field order.
 */
@Injectable()
export class FastApiValidationPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const kind = pydanticBodyKind(metadata.metatype);
    if (!(value instanceof ReceivedBody) || !kind) {
      throw new Error('@FastApiBody() needs a DTO declared with @PydanticBody()');
    }
    const fields = pydanticFields(metadata.metatype);
    const result = validate(kind, fields, value);
    if ('errors' in result) throw FastApiException.validation(result.errors);
    const dto = Object.create((metadata.metatype as { prototype: object }).prototype) as object;
    return Object.assign(dto, result.values);
  }
}

/**
 * The request body, read and validated the FastAPI way (see PydanticBodyKind).
 * Controllers using it also carry `@ApiBody` for the document.
 */
export const FastApiBody = (): ParameterDecorator =>
  createParamDecorator((_data: unknown, context: ExecutionContext) => {
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const mediaType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    return new ReceivedBody(request.body, mediaType);
  })(new FastApiValidationPipe());

type Outcome = { values: Record<string, unknown> } | { errors: FastApiValidationItem[] };

function validate(
  kind: PydanticBodyKind,
  fields: readonly PydanticField[],
  received: ReceivedBody,
): Outcome {
  if (kind === 'form') return validateFields(fields, formFields(received), { form: true });
  const body = received.body;
  if (kind === 'embed') {
    if (body instanceof RawBody && body.jsonError) return { errors: [jsonInvalid(body)] };
    // Not JSON: FastAPI holds the bytes, which are no object to read fields from.
    if (body !== undefined && !isObject(body)) {
      return { errors: fields.map((f) => missing(['body', f.name], null)) };
    }
    return validateFields(fields, body ?? {}, { embed: true });
  }
  const errors = modelBodyErrors(body);
  return errors
    ? { errors }
    : validateFields(fields, body as Record<string, unknown>, { model: body });
}

/**
 * What FastAPI answers for a model body (`def f(note: Note)`) before it reads a
 * field: broken JSON, no body, or a body that is no object. Undefined: an object.
 */
export function modelBodyErrors(body: unknown): FastApiValidationItem[] | undefined {
  if (body instanceof RawBody) {
    return [body.jsonError ? jsonInvalid(body) : modelAttributesType(body.text)];
  }
  if (body === undefined) return [missing(['body'], null)];
  if (!isObject(body)) return [modelAttributesType(body)];
  return undefined;
}

function jsonInvalid(body: RawBody): FastApiValidationItem {
  const { message, position } = body.jsonError!;
  return {
    type: 'json_invalid',
    loc: ['body', position],
    msg: 'JSON decode error',
    input: {},
    ctx: { error: message },
  };
}

/** Starlette reads form fields from urlencoded and multipart bodies only; others are an empty form. */
function formFields(received: ReceivedBody): Record<string, unknown> {
  const { body, mediaType } = received;
  if (mediaType === 'application/x-www-form-urlencoded' && body instanceof RawBody) {
    return parseForm(body.text);
  }
  if (mediaType === 'multipart/form-data' && isObject(body)) return body;
  return {};
}

function validateFields(
  fields: readonly PydanticField[],
  source: Record<string, unknown>,
  mode: { form?: boolean; embed?: boolean; model?: unknown },
): Outcome {
  const values: Record<string, unknown> = {};
  const errors: FastApiValidationItem[] = [];
  for (const field of fields) {
    const raw = Object.hasOwn(source, field.name) ? source[field.name] : undefined;
    // FastAPI treats an empty form field, and a null embedded field, as absent.
    const absent = raw === undefined || (mode.form && raw === '') || (mode.embed && raw === null);
    if (absent) {
      // pydantic names the whole object as the input of a missing model field.
      const required = field.requiredWhen ? field.requiredWhen(source) : field.required;
      if (required) errors.push(missing(['body', field.name], mode.model ?? null));
      continue;
    }
    if (raw === null && field.nullable) {
      values[field.name] = null;
      continue;
    }
    const checked = field.check(raw);
    if ('error' in checked) errors.push(located(checked.error, ['body', field.name]));
    else values[field.name] = checked.value;
  }
  return errors.length > 0 ? { errors } : { values };
}

/** pydantic's key order: type, loc, msg, input, ctx. */
function located(error: PydanticError, loc: (string | number)[]): FastApiValidationItem {
  const { type, msg, input, ctx } = error;
  return ctx === undefined ? { type, loc, msg, input } : { type, loc, msg, input, ctx };
}

export function missing(loc: (string | number)[], input: unknown): FastApiValidationItem {
  return { type: 'missing', loc, msg: 'Field required', input };
}

function modelAttributesType(input: unknown): FastApiValidationItem {
  return {
    type: 'model_attributes_type',
    loc: ['body'],
    msg: 'Input should be a valid dictionary or object to extract fields from',
    input,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
