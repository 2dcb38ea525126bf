import {
  type ArgumentMetadata,
  Injectable,
  Optional,
  type PipeTransform,
  type Type,
} from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DrfException } from '../../problems/drf.exception';
import { GatehouseConfig } from '../../config/gatehouse-config';
import { FieldErrors } from '../../problems/domain.errors';
import {
  deferFieldErrors,
  defersFieldErrors,
  DRF_MESSAGE_SEPARATOR,
  drfFieldOrder,
  drfRequiredWhen,
  isDrfSerializer,
  pythonTypeName,
} from './drf-fields';

/**
 * Validates a body DTO as a DRF serializer would: a body that is not an object is
 * a `non_field_errors` answer naming its Python type; field errors come as
 * `{"field": ["message"]}` in the serializer's field order (drfFieldOrder), the first failing
 * check's message per field (all of a field's validators' where it runs them, DRF_MESSAGE_SEPARATOR).
 * Like a serializer, it reads only the fields it declares: whatever else the body
 * holds never reaches class-transformer, whose work grows with the square of the keys.
 */
@Injectable()
export class DrfValidationPipe implements PipeTransform {
  private readonly fieldOrders = new WeakMap<Type, readonly string[]>();

  /** @param config the settings that add fields (DrfRequiredWhen); without it, none does. */
  constructor(@Optional() private readonly config?: GatehouseConfig) {}

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
    const order = this.fieldOrder(metatype);
    const declared = declaredFields(value, order);
    const dto = plainToInstance(metatype, declared) as object;
    const errors = await validate(dto, { stopAtFirstError: true, forbidUnknownValues: false });
    const problems = errors.map(
      (error) =>
        [error.property, Object.values(error.constraints ?? {})[0] ?? 'Invalid value.'] as const,
    );
    for (const [name, setting] of drfRequiredWhen(metatype)) {
      if (this.config && setting(this.config) && !Object.hasOwn(declared, name)) {
        problems.push([name, 'This field is required.']);
      }
    }
    if (problems.length > 0) {
      problems.sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));
      const fields: Record<string, string[]> = {};
      for (const [property, message] of problems) {
        fields[property] = message.split(DRF_MESSAGE_SEPARATOR);
      }
      if (!defersFieldErrors(metatype)) throw DrfException.fields(fields);
      deferFieldErrors(
        dto,
        new FieldErrors(
          Object.fromEntries(
            Object.entries(fields).map(([name, messages]) => [
              name,
              messages.map((message) => ({ code: 'invalid', message })),
            ]),
          ),
        ),
      );
    }
    return dto;
  }

  private fieldOrder(metatype: Type): readonly string[] {
    let order = this.fieldOrders.get(metatype);
    if (!order) {
      order = drfFieldOrder(metatype);
      this.fieldOrders.set(metatype, order);
    }
    return order;
  }
}

/** The body's own values of the declared fields (an absent field stays absent). */
function declaredFields(body: object, names: readonly string[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const name of names) {
    if (Object.hasOwn(body, name)) fields[name] = (body as Record<string, unknown>)[name];
  }
  return fields;
}
