import { Transform } from 'class-transformer';
import { ValidateBy, type ValidationArguments } from 'class-validator';
import { applyDecorators } from '@nestjs/common';

/** Marks a DTO class as a DRF serializer, which the DrfValidationPipe validates. */
export const DRF_SERIALIZER = 'gatehouse:drf-serializer';

export function isDrfSerializer(type: unknown): boolean {
  return typeof type === 'function' && Reflect.getMetadata(DRF_SERIALIZER, type) === true;
}

export interface DrfCharFieldOptions {
  required?: boolean;
  allowBlank?: boolean;
  allowNull?: boolean;
  /** DRF trims by default; passwords must not be trimmed. */
  trimWhitespace?: boolean;
  maxLength?: number;
}

/** The first DRF CharField error for `value`, or undefined when it is valid. */
export function drfCharFieldError(
  value: unknown,
  options: DrfCharFieldOptions = {},
): string | undefined {
  const { required = true, allowBlank = false, allowNull = false, maxLength } = options;
  if (value === undefined) return required ? 'This field is required.' : undefined;
  if (value === null) return allowNull ? undefined : 'This field may not be null.';
  // DRF's CharField takes numbers as their text, and nothing else that is not a string.
  if (typeof value === 'boolean' || !['string', 'number'].includes(typeof value))
    return 'Not a valid string.';
  const text = typeof value === 'number' ? String(value) : (value as string);
  if (text === '' && !allowBlank) return 'This field may not be blank.';
  // DRF's ProhibitNullCharactersValidator; PostgreSQL could not store one anyway.
  if (text.includes('\u0000')) return 'Null characters are not allowed.';
  if (maxLength !== undefined && text.length > maxLength) {
    return `Ensure this field has no more than ${maxLength} characters.`;
  }
  return undefined;
}

/**
 * A DRF `CharField` on a DTO property: DRF's checks in DRF's order with DRF's
 * messages (required, null, not a string, blank, too long), and its trimming.
 */
export function DrfCharField(options: DrfCharFieldOptions = {}): PropertyDecorator {
  const trim = options.trimWhitespace ?? true;
  return applyDecorators(
    (target: object) => Reflect.defineMetadata(DRF_SERIALIZER, true, target.constructor),
    Transform(({ value }: { value: unknown }) => {
      if (typeof value === 'number') return String(value);
      return trim && typeof value === 'string' ? value.trim() : value;
    }),
    ValidateBy({
      name: 'drfCharField',
      validator: {
        validate: (value: unknown) => drfCharFieldError(value, options) === undefined,
        defaultMessage: (args?: ValidationArguments) =>
          drfCharFieldError(args?.value, options) ?? '',
      },
    }),
  );
}

const TRUE_VALUES = new Set([
  true,
  1,
  'true',
  'True',
  'TRUE',
  '1',
  'yes',
  'Yes',
  'on',
  'On',
  't',
  'y',
]);
const FALSE_VALUES = new Set([
  false,
  0,
  'false',
  'False',
  'FALSE',
  '0',
  'no',
  'No',
  'off',
  'Off',
  'f',
  'n',
]);

/** A DRF `BooleanField`: true/false and their text forms; anything else is "Must be a valid boolean." */
export function DrfBooleanField(options: { required?: boolean } = {}): PropertyDecorator {
  const { required = false } = options;
  return applyDecorators(
    (target: object) => Reflect.defineMetadata(DRF_SERIALIZER, true, target.constructor),
    Transform(({ value }: { value: unknown }) =>
      TRUE_VALUES.has(value as never) ? true : FALSE_VALUES.has(value as never) ? false : value,
    ),
    ValidateBy({
      name: 'drfBooleanField',
      validator: {
        validate: (value: unknown) =>
          value === undefined ? !required : typeof value === 'boolean',
        defaultMessage: (args?: ValidationArguments) =>
          args?.value === undefined
            ? 'This field is required.'
            : args.value === null
              ? 'This field may not be null.'
              : 'Must be a valid boolean.',
      },
    }),
  );
}

/** Django's EmailValidator, in the shape it accepts for ordinary addresses. */
const EMAIL =
  /^[^\s@"(),:;<>[\\\]]+@([A-Za-z0-9\u00a1-\uffff](?:[A-Za-z0-9\u00a1-\uffff-]{0,61}[A-Za-z0-9\u00a1-\uffff])?\.)+[A-Za-z\u00a1-\uffff]{2,63}$/u;

/** A DRF `EmailField`: a CharField whose value must also look like an e-mail address. */
export function DrfEmailField(options: DrfCharFieldOptions = {}): PropertyDecorator {
  const maxLength = options.maxLength ?? 254;
  const check = (value: unknown) =>
    drfCharFieldError(value, { ...options, maxLength }) ??
    (typeof value === 'string' && value !== '' && !EMAIL.test(value)
      ? 'Enter a valid email address.'
      : undefined);
  return applyDecorators(
    (target: object) => Reflect.defineMetadata(DRF_SERIALIZER, true, target.constructor),
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? value.trim() : value,
    ),
    ValidateBy({
      name: 'drfEmailField',
      validator: {
        validate: (value: unknown) => check(value) === undefined,
        defaultMessage: (args?: ValidationArguments) => check(args?.value) ?? '',
      },
    }),
  );
}
