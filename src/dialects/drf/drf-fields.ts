import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import {
  getMetadataStorage,
  ValidateBy,
  ValidateIf,
  type ValidationArguments,
} from 'class-validator';
import type { GatehouseConfig } from '../../config/gatehouse-config';
import type { FieldErrors } from '../../problems/domain.errors';
import { unsafeCharacters } from '../unsafe-characters';

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

const DRF_DEFERS_FIELD_ERRORS = 'gatehouse:drf-defers-field-errors';

/**
 * The serializer has field checks the handler's service runs (a UniqueValidator, a
 * `validate_current_password`): the DrfValidationPipe then hands its field errors
 * on (drfFieldErrors) instead of answering them, so that every field's errors are
 * reported at once, as DRF does.
 */
export const DrfDefersFieldErrors = (): ClassDecorator => (target) =>
  Reflect.defineMetadata(DRF_DEFERS_FIELD_ERRORS, true, target);

export function defersFieldErrors(type: object): boolean {
  return Reflect.getMetadata(DRF_DEFERS_FIELD_ERRORS, type) === true;
}

const deferredErrors = new WeakMap<object, FieldErrors>();

/** The field errors the pipe found in a DrfDefersFieldErrors body, if any. */
export function drfFieldErrors(dto: object): FieldErrors | undefined {
  return deferredErrors.get(dto);
}

/** Records the pipe's field errors on the body it hands on. */
export function deferFieldErrors(dto: object, errors: FieldErrors): void {
  deferredErrors.set(dto, errors);
}

const DRF_REQUIRED_WHEN = 'gatehouse:drf-required-when';

/** Whether a setting adds a field to a serializer. */
export type DrfSetting = (config: GatehouseConfig) => boolean;

/**
 * A field the serializer has only when a setting is on (djoser's `*_RETYPE`
 * variants add `re_password`…): then it is required, and a missing one is
 * reported with the other fields' errors, in its place. Put it on a field
 * declared `required: false`.
 */
export function DrfRequiredWhen(setting: DrfSetting): PropertyDecorator {
  return (target: object, property: string | symbol) => {
    const type = target.constructor;
    const inherited = (Reflect.getMetadata(DRF_REQUIRED_WHEN, type) ?? new Map()) as Map<
      string,
      DrfSetting
    >;
    Reflect.defineMetadata(
      DRF_REQUIRED_WHEN,
      new Map(inherited).set(String(property), setting),
      type,
    );
  };
}

/** The fields of a serializer DTO that a setting makes required. */
export function drfRequiredWhen(type: object): ReadonlyMap<string, DrfSetting> {
  return (Reflect.getMetadata(DRF_REQUIRED_WHEN, type) ?? new Map()) as Map<string, DrfSetting>;
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
  /** Null: a field OPTIONS does not list (see DrfSecondStepFields). */
  info: DrfFieldInfoOptions | null = { type: 'field', required: true },
): PropertyDecorator {
  return applyDecorators(
    (target: object) => Reflect.defineMetadata(DRF_SERIALIZER, true, target.constructor),
    ...(info ? [DrfFieldInfo(info)] : []),
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
  /** DRF's `label` when it is not the field name's (a model field's verbose name). */
  label?: string;
  /** DRF's `help_text` (a model field's), shown by OPTIONS. */
  helpText?: string;
}

/**
 * What DRF's SimpleMetadata tells of a field in an OPTIONS answer (its `type` is
 * the label of the serializer field's class: `string`, `email`, `boolean`,
 * `choice`, `field`…), before the field is bound to its name.
 */
export interface DrfFieldInfoOptions {
  type: string;
  required: boolean;
  readOnly?: boolean;
  label?: string;
  helpText?: string;
  maxLength?: number;
  choices?: readonly string[];
}

/** A field's SimpleMetadata, keys in DRF's order. */
export interface DrfFieldDescription {
  type: string;
  required: boolean;
  read_only: boolean;
  label: string;
  help_text?: string;
  max_length?: number;
  choices?: { value: string; display_name: string }[];
}

const DRF_FIELD_INFO = 'gatehouse:drf-field-info';

/**
 * Records how OPTIONS describes a field (DRF's SimpleMetadata). The field
 * decorators below call it; alone, it declares a read-only field (`readOnly`),
 * which the serializer lists but never reads.
 */
export function DrfFieldInfo(info: DrfFieldInfoOptions): PropertyDecorator {
  return (target: object, property: string | symbol) => {
    const type = target.constructor;
    const own = (Reflect.getOwnMetadata(DRF_FIELD_INFO, type) ?? new Map()) as Map<
      string,
      DrfFieldInfoOptions
    >;
    Reflect.defineMetadata(DRF_FIELD_INFO, new Map(own).set(String(property), info), type);
  };
}

/**
 * DRF's `get_serializer_info`: every field of a serializer DTO with its
 * SimpleMetadata, base class fields first (the order DRF declares them). The
 * label is the field name as DRF makes it (`new_password1` → "New password1")
 * unless the field gives its own.
 */
export function drfSerializerInfo(
  type: abstract new (...args: never[]) => unknown,
): Record<string, DrfFieldDescription> {
  const chain: object[] = [];
  for (let t: unknown = type; typeof t === 'function' && t !== Function.prototype;) {
    chain.unshift(t);
    t = Object.getPrototypeOf(t);
  }
  const fields = new Map<string, DrfFieldInfoOptions>();
  for (const target of chain) {
    const own = Reflect.getOwnMetadata(DRF_FIELD_INFO, target) as
      Map<string, DrfFieldInfoOptions> | undefined;
    for (const [name, info] of own ?? []) fields.set(name, info);
  }
  return Object.fromEntries(
    [...fields].map(([name, info]) => {
      const described: DrfFieldDescription = {
        type: info.type,
        required: info.required && !info.readOnly,
        read_only: info.readOnly ?? false,
        label: info.label ?? capitalize(name.replace(/_/g, ' ')),
      };
      if (info.helpText) described.help_text = info.helpText;
      if (info.maxLength !== undefined) described.max_length = info.maxLength;
      if (info.choices && !info.readOnly) {
        described.choices = info.choices.map((value) => ({ value, display_name: value }));
      }
      return [name, described];
    }),
  );
}

/** Python's `str.capitalize`. */
function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1).toLowerCase();
}

/** The SimpleMetadata of a field declared with these options. */
function fieldInfo(
  type: string,
  options: DrfFieldOptions & { maxLength?: number },
  requiredByDefault = true,
): DrfFieldInfoOptions {
  return {
    type,
    required: options.required ?? requiredByDefault,
    label: options.label,
    helpText: options.helpText,
    maxLength: options.maxLength,
  };
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
  /** The serializer field's `max_length` (checked, and shown by OPTIONS). */
  maxLength?: number;
  /**
   * A bound of Gatehouse's own where the mirrored serializer declares none (the
   * password cap): checked with DRF's max_length message, not shown by OPTIONS.
   */
  cap?: number;
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
  const maxLength = options.maxLength ?? options.cap;
  if (maxLength !== undefined && text.length > maxLength) {
    return `Ensure this field has no more than ${maxLength} characters.`;
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
  return DrfField(
    (v) => drfCharFieldError(v, options),
    charValue(options.trimWhitespace ?? true),
    fieldInfo('string', options),
  );
}

/** The body field that makes a login body the second step of a multi-factor login. */
export const MFA_TOKEN_FIELD = 'mfa_token';

/** Whether a (partly validated) login body is a multi-factor login's second step. */
export function isSecondStep(body: unknown): boolean {
  return (body as Record<string, unknown> | undefined)?.[MFA_TOKEN_FIELD] !== undefined;
}

/**
 * On a login serializer's credential fields: their checks are skipped in a
 * multi-factor login's second step (the body carries `mfa_token` and `code` instead).
 */
export const UnlessSecondStep = (): PropertyDecorator => ValidateIf((body) => !isSecondStep(body));

/**
 * The second step of a multi-factor login on a DRF login serializer: `mfa_token`
 * (optional: its presence makes the step) and `code` (then required), both
 * CharFields. Gatehouse's addition to the mirrored serializers, so OPTIONS does not
 * list them: the views' metadata stays the libraries'.
 */
export const DrfMfaTokenField = (): PropertyDecorator =>
  DrfField((v) => drfCharFieldError(v, { required: false, maxLength: 128 }), charValue(true), null);
export const DrfMfaCodeField = (): PropertyDecorator =>
  DrfField(
    (v, body) => drfCharFieldError(v, { required: isSecondStep(body), maxLength: 64 }),
    charValue(true),
    null,
  );

/**
 * A DRF CharField with one more rule applied to a non-empty string value
 * (e-mail shape, slug, URL, Stellar key…), with that rule's message.
 */
export function DrfTextField(
  options: DrfCharFieldOptions,
  valid: (text: string) => boolean,
  message: string,
  type = 'string',
): PropertyDecorator {
  const check: DrfCheck = (value) =>
    drfCharFieldError(value, options) ??
    (typeof value === 'string' && value !== '' && !valid(value) ? message : undefined);
  return DrfField(check, charValue(options.trimWhitespace ?? true), fieldInfo(type, options));
}

/** Django's UnicodeUsernameValidator message. */
export const DJANGO_USERNAME_INVALID =
  'Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.';

/**
 * Between the messages of one field that breaks several validators (DRF runs them
 * all): a DrfCheck gives one string, which the DrfValidationPipe splits on it.
 */
export const DRF_MESSAGE_SEPARATOR = '\u0000';

/**
 * Django's `username` model field as DRF builds it: a CharField whose validators
 * (UnicodeUsernameValidator, then max_length's) all run, each message reported.
 */
export function DrfUsernameField(options: DrfCharFieldOptions = {}): PropertyDecorator {
  const field = { maxLength: 150, ...options };
  const check: DrfCheck = (value) => {
    const first = drfCharFieldError(value, { ...field, maxLength: undefined });
    if (first !== undefined || typeof value !== 'string' || value === '') return first;
    const messages = [
      ...(/^[\p{L}\p{N}@.+_-]+$/u.test(value) ? [] : [DJANGO_USERNAME_INVALID]),
      ...(value.length > field.maxLength
        ? [`Ensure this field has no more than ${field.maxLength} characters.`]
        : []),
    ];
    return messages.length > 0 ? messages.join(DRF_MESSAGE_SEPARATOR) : undefined;
  };
  return DrfField(check, charValue(field.trimWhitespace ?? true), fieldInfo('string', field));
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
    'email',
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
    fieldInfo('boolean', settings),
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
    undefined,
    { ...fieldInfo('choice', settings), choices },
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
    // A RelatedField is none of SimpleMetadata's labelled classes: its base's, `field`.
    fieldInfo('field', settings),
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
