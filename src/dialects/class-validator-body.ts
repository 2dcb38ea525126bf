import { type ArgumentMetadata, type PipeTransform, type Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate, type ValidationError } from 'class-validator';
import { DrfException } from '../problems/drf.exception';
import { FastApiException, type FastApiValidationItem } from '../problems/fastapi.exception';
import { isDrfSerializer, pythonTypeName } from './drf/drf-fields';
import { missing, modelBodyErrors } from './fastapi/fastapi-body';

/**
 * A consumer's `@Body()` DTO declared with plain class-validator decorators
 * (`@IsEmail()`, `@MinLength(8)`…), under `@SurfaceDialect()`: validated as its
 * dialect validates a body, errors in its shape. (DRF serializers have their own
 * pipe; a controller without a dialect validates as any Nest app, with the
 * `ValidationPipe` it applies.)
 */
export function isClassValidatorDto(type: unknown): type is Type {
  return (
    typeof type === 'function' &&
    !isDrfSerializer(type) &&
    validatedProperties(type as Type).length > 0
  );
}

/** The properties class-validator checks, in its order (a class's own first). */
function validatedProperties(type: Type): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(type, '', true, false);
  return [...new Set(metadata.map((entry) => entry.propertyName))];
}

abstract class ClassValidatorBodyPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' || !isClassValidatorDto(metadata.metatype)) return value;
    return this.validateBody(value, metadata.metatype);
  }

  protected abstract validateBody(value: unknown, type: Type): Promise<unknown>;

  /** The DTO of the body's declared fields (as a serializer, nothing else reaches it), and its errors. */
  protected async check(
    body: Record<string, unknown>,
    type: Type,
  ): Promise<{ dto: object; errors: ValidationError[] }> {
    const declared: Record<string, unknown> = {};
    for (const name of validatedProperties(type)) {
      if (Object.hasOwn(body, name)) declared[name] = body[name];
    }
    const dto = plainToInstance(type, declared) as object;
    return { dto, errors: await validate(dto, { forbidUnknownValues: false }) };
  }
}

/** DRF's answer: 400 `{"field": ["message", …]}`, nested DTOs nested, as a serializer says it. */
export class DrfClassValidatorPipe extends ClassValidatorBodyPipe {
  protected async validateBody(value: unknown, type: Type): Promise<unknown> {
    if (value === null || value === undefined) throw DrfException.nonField('No data provided');
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw DrfException.nonField(
        `Invalid data. Expected a dictionary, but got ${pythonTypeName(value)}.`,
      );
    }
    const { dto, errors } = await this.check(value as Record<string, unknown>, type);
    if (errors.length > 0) throw new DrfException(400, drfFieldErrors(errors));
    return dto;
  }
}

function drfFieldErrors(errors: ValidationError[]): Record<string, unknown> {
  return Object.fromEntries(
    errors.map((error) => [
      error.property,
      error.children?.length
        ? drfFieldErrors(error.children)
        : Object.values(error.constraints ?? {}),
    ]),
  );
}

/** FastAPI's answer: 422 `{"detail": [{type, loc: ["body", field], msg, input}, …]}`. */
export class FastApiClassValidatorPipe extends ClassValidatorBodyPipe {
  protected async validateBody(value: unknown, type: Type): Promise<unknown> {
    const envelope = modelBodyErrors(value);
    if (envelope) throw FastApiException.validation(envelope);
    const body = value as Record<string, unknown>;
    const { dto, errors } = await this.check(body, type);
    if (errors.length > 0) {
      throw FastApiException.validation(fastApiItems(errors, ['body'], body));
    }
    return dto;
  }
}

function fastApiItems(
  errors: ValidationError[],
  at: (string | number)[],
  parent: unknown,
): FastApiValidationItem[] {
  return errors.flatMap((error) => {
    const loc = [...at, error.property];
    if (error.children?.length) return fastApiItems(error.children, loc, error.value);
    // pydantic names the whole object as the input of a missing field.
    if (error.value === undefined) return [missing(loc, parent)];
    return Object.entries(error.constraints ?? {}).map(([type, msg]) => ({
      type,
      loc,
      msg,
      input: error.value as unknown,
    }));
  });
}
