import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { getMetadataStorage, ValidateBy, type ValidationArguments } from 'class-validator';
import { unsafeCharacters } from './unsafe-characters';

/** Marks a DTO class as a DRF serializer, which the DrfValidationPipe validates. */
export const DRF_SERIALIZER = 'gatehouse:drf-serializer';

export function isDrfSerializer(type: unknown): boolean {
  return typeof type === 'function' && Reflect.getMetadata(DRF_SERIALIZER, type) === true;
}

/**
 * A serializer's fields in the order DRF declares them: a base class's first (a
 * field a subclass redeclares keeps its base's place), then the class's own, each
 * in declaration order. class-validator lists a class's own fields first.
 */
export function drfFieldOrder(type: abstract new (...args: never[]) => unknown): string[] {
  const chain: (abstract new (...args: never[]) => unknown)[] = [];
  for (let t: unknown = type; typeof t === 'function' && t !== Function.prototype;) {
    chain.unshift(t as (typeof chain)[number]);
    t = Object.getPrototypeOf(t);
  }
  const storage = getMetadataStorage();
  const names = new Set<string>();
  for (const target of chain) {
    for (const metadata of storage.getTargetValidationMetadatas(target, '', false, false)) {
      if (metadata.target === target) names.add(metadata.propertyName);
    }
  }
  return [...names];
}

// Mapped types (PickType, PartialType…) build classes that do not inherit this
// marker: declare serializer DTOs with DRF field decorators of their own.

/** Returns DRF's first error message for a value, or undefined when it is valid. */
/** Returns DRF's first error message for a value (the whole body at hand), or undefined when valid. */
export type DrfCheck = (value: unknown, body?: object) => string | undefined;

/**
 * One serializer field: `transform` turns the raw value into the field's value
 * (DRF's to_internal_value), `check` gives DRF's first message for it. Every
 * DRF field decorator below is one of these.
 */
export function DrfField(
  check: DrfCheck,
  transform: (value: unknown) => unknown = (v) => v,
): PropertyDecorator {
  return applyDecorators(
    (target: object) => Reflect.defineMetadata(DRF_SERIALIZER, true, target.constructor),
    Transform(({ value }: { value: unknown }) => transform(value)),
    ValidateBy({
      name: 'drfField',
      validator: {
        validate: (value: unknown, args?: ValidationArguments) =>
          check(value, args?.object) === undefined,
        defaultMessage: (args?: ValidationArguments) => check(args?.value, args?.object) ?? '',
      },
    }),
  );
}

export interface DrfFieldOptions {
  required?: boolean;
  allowNull?: boolean;
}

/** DRF's checks before any type check — required, then null — followed by the field's own. */
function withPresence(
  { required = true, allowNull = false }: DrfFieldOptions,
  check: DrfCheck,
): DrfCheck {
  return (value) => {
    if (value === undefined) return required ? 'This field is required.' : undefined;
    if (value === null) return allowNull ? undefined : 'This field may not be null.';
    return check(value);
  };
}

export interface DrfCharFieldOptions extends DrfFieldOptions {
  allowBlank?: boolean;
  /** DRF trims by default; passwords must not be trimmed. */
  trimWhitespace?: boolean;
  maxLength?: number;
}

/** The first DRF CharField error for `value`, or undefined when it is valid. */
export function drfCharFieldError(
  value: unknown,
  options: DrfCharFieldOptions = {},
): string | undefined {
  return withPresence(options, (v) => charError(v, options))(value);
}

function charError(value: unknown, options: DrfCharFieldOptions): string | undefined {
  // DRF's CharField takes numbers as their text, and nothing else that is not a string.
  if (typeof value === 'boolean' || !['string', 'number'].includes(typeof value))
    return 'Not a valid string.';
  const text = typeof value === 'number' ? String(value) : (value as string);
  if (text === '' && !options.allowBlank) return 'This field may not be blank.';
  // DRF's ProhibitNullCharactersValidator; PostgreSQL could not store one anyway.
  if (text.includes('\u0000')) return 'Null characters are not allowed.';
  if (options.maxLength !== undefined && text.length > options.maxLength) {
    return `Ensure this field has no more than ${options.maxLength} characters.`;
  }
  return undefined;
}

/** DRF CharField's to_internal_value: a number as its text, a string trimmed unless told not to. */
export function charValue(trim: boolean) {
  return (value: unknown) => {
    if (typeof value === 'number') return String(value);
    return trim && typeof value === 'string' ? value.trim() : value;
  };
}

/** A DRF `CharField`: required, null, not a string, blank, too long — DRF's order and messages. */
export function DrfCharField(options: DrfCharFieldOptions = {}): PropertyDecorator {
  return DrfField((v) => drfCharFieldError(v, options), charValue(options.trimWhitespace ?? true));
}

/**
 * A DRF CharField with one more rule applied to a non-empty string value
 * (e-mail shape, slug, URL, Stellar key…), with that rule's message.
 */
export function DrfTextField(
  options: DrfCharFieldOptions,
  valid: (text: string) => boolean,
  message: string,
): PropertyDecorator {
  const check: DrfCheck = (value) =>
    drfCharFieldError(value, options) ??
    (typeof value === 'string' && value !== '' && !valid(value) ? message : undefined);
  return DrfField(check, charValue(options.trimWhitespace ?? true));
}

/**
 * Django's EmailValidator (3.2, what DRF's EmailField runs), its patterns as they
 * are: an ASCII dot-atom or quoted local part, an ASCII domain, a domain literal,
 * or an internationalised domain whose IDNA form is one (Python's `idna` codec is
 * IDNA 2003, Node's domainToASCII UTS #46: the same mapping for what passes here).
 * Python matches these case-insensitively by Unicode rules, so the Kelvin sign,
 * the long ſ and the Turkish İ/ı pass as letters — the user store's identity key
 * makes each one the address it looks like. Beyond Django, no address may hold an
 * invisible or control character anywhere (email-validator's rule, see
 * unsafeCharacters): Django lets them through in the domain, where IDNA drops
 * them, so `kate@exa\u00admple.com` would be mailed at example.com. (Django's
 * quoted string admits ASCII controls too; that rule refuses them, so the pattern
 * here leaves them out.)
 */
const DJANGO_EMAIL_USER =
  /^(?:[-!#$%&'*+/=?^_`{}|~0-9A-Z\u0130\u0131]+(?:\.[-!#$%&'*+/=?^_`{}|~0-9A-Z\u0130\u0131]+)*|"(?:[ !#-[\]-~]|\\[ -~])*")$/iu;
const DJANGO_EMAIL_DOMAIN = /^(?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?\.)+[A-Z0-9-]{2,63}(?<!-)$/iu;
const DJANGO_EMAIL_LITERAL = /^\[([A-f0-9:.]+)\]$/iu;

export function isDjangoEmail(value: string): boolean {
  if (value.length > 320 || unsafeCharacters(value, true).length > 0) return false;
  const at = value.lastIndexOf('@');
  if (at < 0 || !DJANGO_EMAIL_USER.test(value.slice(0, at))) return false;
  const domain = value.slice(at + 1);
  const valid = (d: string) =>
    DJANGO_EMAIL_DOMAIN.test(d) || isIP(DJANGO_EMAIL_LITERAL.exec(d)?.[1] ?? '') !== 0;
  return domain === 'localhost' || valid(domain) || valid(domainToASCII(domain));
}

/** A DRF `EmailField`. */
export function DrfEmailField(options: DrfCharFieldOptions = {}): PropertyDecorator {
  return DrfTextField(
    { maxLength: 254, ...options },
    isDjangoEmail,
    'Enter a valid email address.',
  );
}

const TRUE_VALUES = new Set<unknown>([
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
const FALSE_VALUES = new Set<unknown>([
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

/** A DRF `BooleanField` (not required unless asked): its text forms, else "Must be a valid boolean." */
export function DrfBooleanField(options: DrfFieldOptions = {}): PropertyDecorator {
  const settings = { required: false, ...options };
  return DrfField(
    withPresence(settings, (value) =>
      typeof value === 'boolean' ? undefined : 'Must be a valid boolean.',
    ),
    (value) => (TRUE_VALUES.has(value) ? true : FALSE_VALUES.has(value) ? false : value),
  );
}

/** A DRF `ChoiceField` (not required unless asked). */
export function DrfChoiceField(
  choices: readonly string[],
  options: DrfFieldOptions = {},
): PropertyDecorator {
  const settings = { required: false, ...options };
  return DrfField(
    withPresence(settings, (value) =>
      typeof value === 'string' && choices.includes(value)
        ? undefined
        : `"${String(value)}" is not a valid choice.`,
    ),
  );
}

/** A DRF `PrimaryKeyRelatedField` value check (existence is the service's business). */
export function DrfPrimaryKeyField(options: DrfFieldOptions = {}): PropertyDecorator {
  const settings = { required: false, ...options };
  return DrfField(
    withPresence(settings, (value) =>
      Number.isSafeInteger(value) && (value as number) > 0
        ? undefined
        : `Incorrect type. Expected pk value, received ${pythonTypeName(value)}.`,
    ),
    (value) => (typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value),
  );
}

/** Python's name for the type of a JSON value, as DRF's messages show it. */
export function pythonTypeName(value: unknown): string {
  if (Array.isArray(value)) return 'list';
  if (value === null) return 'NoneType';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  return (
    ({ string: 'str', boolean: 'bool', object: 'dict' } as Record<string, string>)[typeof value] ??
    typeof value
  );
}
