import { type ArgumentMetadata, Injectable, type PipeTransform, type Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DrfException } from '../errors/drf.exception';
import { drfFieldOrder, isDrfSerializer, pythonTypeName } from './drf-fields';

/**
 * Validates a body DTO as a DRF serializer would: a body that is not an object is
 * a `non_field_errors` answer naming its Python type; field errors come as
 * `{"field": ["message"]}` in the serializer's field order (drfFieldOrder), one message per field.
 */
@Injectable()
export class DrfValidationPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const metatype = metadata.metatype;
    // Only DTOs declared with DRF fields: other dialects validate their own bodies.
    // Every other argument passes at once, without a promise.
    if (metadata.type !== 'body' || !metatype || !isDrfSerializer(metatype)) return value;
    return this.validate(value, metatype);
  }

  private async validate(value: unknown, metatype: Type): Promise<unknown> {
    if (value === null || value === undefined) throw DrfException.nonField('No data provided');
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw DrfException.nonField(
        `Invalid data. Expected a dictionary, but got ${pythonTypeName(value)}.`,
      );
    }
    const dto = plainToInstance(metatype, value) as object;
    const errors = await validate(dto, { stopAtFirstError: true, forbidUnknownValues: false });
    if (errors.length > 0) {
      const order = drfFieldOrder(metatype);
      errors.sort((a, b) => order.indexOf(a.property) - order.indexOf(b.property));
      const fields: Record<string, string[]> = {};
      for (const error of errors) {
        fields[error.property] = [Object.values(error.constraints ?? {})[0] ?? 'Invalid value.'];
      }
      throw DrfException.fields(fields);
    }
    return dto;
  }
}
