import { domainToASCII, domainToUnicode } from 'node:url';
import type { FastApiValidationItem } from '../../problems/fastapi.exception';
import { characterDisplay, unsafeCharacters } from '../unsafe-characters';

/** One pydantic 2 error about a value, before FastAPI gives it its `loc`. */
export type PydanticError = Omit<FastApiValidationItem, 'loc'>;

/** A field's check: the validated (possibly normalised) value, or pydantic's error. */
export type PydanticCheck = (value: unknown) => { value: unknown } | { error: PydanticError };

export interface PydanticFieldOptions {
  /** pydantic: a field without a default. */
  required?: boolean;
  /** `Optional[...]`: null is a value (fastapi-users' update fields). */
  nullable?: boolean;
  /**
   * Required or not by what else the body holds (a multi-factor login's second
   * step, whose `mfa_token` makes `code` required and the credentials not); wins over `required`.
   */
  requiredWhen?: (source: Readonly<Record<string, unknown>>) => boolean;
}

export interface PydanticField extends Required<Omit<PydanticFieldOptions, 'requiredWhen'>> {
  name: string;
  check: PydanticCheck;
  requiredWhen?: (source: Readonly<Record<string, unknown>>) => boolean;
}

/**
 * How FastAPI reads a DTO from the request: `model` is a pydantic model as the
 * whole JSON body, `embed` one or more `Body(embed=True)` fields of a JSON object,
 * `form` `Form()` fields (OAuth2PasswordRequestForm).
 */
export type PydanticBodyKind = 'model' | 'embed' | 'form';

const FIELDS = Symbol('gatehouse:pydantic-fields');
const KIND = Symbol('gatehouse:pydantic-body-kind');

/** Declares how FastAPI reads this DTO (see PydanticBodyKind); its fields use the decorators below. */
export function PydanticBody(kind: PydanticBodyKind): ClassDecorator {
  return (target) => Reflect.defineMetadata(KIND, kind, target);
}

export function pydanticBodyKind(type: unknown): PydanticBodyKind | undefined {
  return typeof type === 'function'
    ? (Reflect.getMetadata(KIND, type) as PydanticBodyKind | undefined)
    : undefined;
}

/** The DTO's fields in declaration order (the order pydantic reports errors in). */
export function pydanticFields(type: unknown): readonly PydanticField[] {
  return typeof type === 'function'
    ? ((Reflect.getMetadata(FIELDS, type) as PydanticField[] | undefined) ?? [])
    : [];
}

function field(check: PydanticCheck, options: PydanticFieldOptions = {}): PropertyDecorator {
  return (target, name) => {
    const type = target.constructor;
    const fields = [...pydanticFields(type)];
    fields.push({
      name: String(name),
      required: options.required ?? true,
      nullable: options.nullable ?? false,
      requiredWhen: options.requiredWhen,
      check,
    });
    Reflect.defineMetadata(FIELDS, fields, type);
  };
}

/** `str`, optionally with `pattern` (pydantic's `string_pattern_mismatch`). */
export function PydanticStr(
  options: PydanticFieldOptions & { pattern?: string; maxLength?: number } = {},
) {
  return field((value) => strCheck(value, options.pattern, options.maxLength), options);
}

/** pydantic's `EmailStr` (email-validator's syntax rules, without deliverability). */
export function PydanticEmail(options: PydanticFieldOptions = {}) {
  return field((value) => {
    const str = strCheck(value);
    if ('error' in str) return str;
    const checked = validateEmailSyntax(str.value as string);
    if ('reason' in checked) {
      const { reason } = checked;
      return {
        error: {
          type: 'value_error',
          msg: `value is not a valid email address: ${reason}`,
          input: value,
          ctx: { reason },
        },
      };
    }
    return { value: checked.normalized };
  }, options);
}

const TRUE_STRINGS = new Set(['1', 'on', 't', 'true', 'y', 'yes']);
const FALSE_STRINGS = new Set(['0', 'off', 'f', 'false', 'n', 'no']);

/** `bool` in pydantic's lax mode: true/false, 0/1 and their usual words. */
export function PydanticBool(options: PydanticFieldOptions = {}) {
  return field((value) => {
    if (typeof value === 'boolean') return { value };
    if (typeof value === 'number') {
      if (value === 0 || value === 1) return { value: value === 1 };
      return { error: boolParsing(value) };
    }
    if (typeof value === 'string') {
      const word = value.trim().toLowerCase();
      if (TRUE_STRINGS.has(word)) return { value: true };
      if (FALSE_STRINGS.has(word)) return { value: false };
      return { error: boolParsing(value) };
    }
    return { error: { type: 'bool_type', msg: 'Input should be a valid boolean', input: value } };
  }, options);
}

function boolParsing(input: unknown): PydanticError {
  return {
    type: 'bool_parsing',
    msg: 'Input should be a valid boolean, unable to interpret input',
    input,
  };
}

function strCheck(
  value: unknown,
  pattern?: string,
  maxLength?: number,
): { value: unknown } | { error: PydanticError } {
  if (typeof value !== 'string') {
    return { error: { type: 'string_type', msg: 'Input should be a valid string', input: value } };
  }
  if (maxLength !== undefined && value.length > maxLength) {
    return {
      error: {
        type: 'string_too_long',
        msg: `String should have at most ${maxLength} characters`,
        input: value,
        ctx: { max_length: maxLength },
      },
    };
  }
  if (pattern !== undefined && !new RegExp(pattern, 'u').test(value)) {
    return {
      error: {
        type: 'string_pattern_mismatch',
        msg: `String should match pattern '${pattern}'`,
        input: value,
        ctx: { pattern },
      },
    };
  }
  return { value };
}

/** The characters email-validator allows unquoted before the @ (RFC 5322 atext, plus UTF-8). */
const LOCAL_ATOM = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u{80}-\u{10FFFF}]+$/u;
const ASCII_LOCAL = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]*$/;
const DOMAIN_LABEL =
  /^[A-Za-z0-9\u{80}-\u{10FFFF}](?:[A-Za-z0-9\u{80}-\u{10FFFF}-]*[A-Za-z0-9\u{80}-\u{10FFFF}])?$/u;
const MAX_EMAIL_LENGTH = 254;
const MAX_LOCAL_LENGTH = 64;

/**
 * email-validator's reason for refusing an address, for the common mistakes, in
 * its words; undefined when the address is acceptable.
 */
export function emailSyntaxError(email: string): string | undefined {
  const checked = validateEmailSyntax(email);
  return 'reason' in checked ? checked.reason : undefined;
}

/**
 * email-validator's `validate_email` (2.x, as pydantic calls it): its reason for
 * refusing an address, or the normalised address — an internationalised local
 * part in NFC (RFC 6532), the domain by UTS #46 (lower-cased, the Kelvin sign a k,
 * fullwidth letters plain), so the address is stored as the library returns it.
 * Unsafe characters (zero-width, soft hyphen, bidirectional, controls…) are refused.
 */
export function validateEmailSyntax(email: string): { reason: string } | { normalized: string } {
  const refuse = (reason: string) => ({ reason });
  const at = email.lastIndexOf('@');
  if (at < 0) return refuse('An email address must have an @-sign.');
  let local = email.slice(0, at);
  let domain = email.slice(at + 1);
  if (local === '') return refuse('There must be something before the @-sign.');
  if (local.length > MAX_LOCAL_LENGTH) {
    return refuse(
      `The email address is too long before the @-sign ${tooMany(local.length - MAX_LOCAL_LENGTH)}.`,
    );
  }
  const badLocal = [...new Set([...local].filter((c) => c !== '.' && !LOCAL_ATOM.test(c)))];
  if (badLocal.length > 0) {
    return refuse(
      `The email address contains invalid characters before the @-sign: ${displayAll(badLocal)}.`,
    );
  }
  if (local.endsWith('.'))
    return refuse('An email address cannot have a period immediately before the @-sign.');
  if (local.startsWith('.')) return refuse('An email address cannot start with a period.');
  if (local.includes('..')) return refuse('An email address cannot have two periods in a row.');
  if (!ASCII_LOCAL.test(local)) {
    local = local.normalize('NFC');
    const unsafe = unsafeCharacters(local);
    if (unsafe.length > 0) return refuse(unsafeReason(unsafe));
  }

  if (domain === '') return refuse('There must be something after the @-sign.');
  const badDomain = [
    ...new Set([...domain].filter((c) => !/[A-Za-z0-9.\-\u{80}-\u{10FFFF}]/u.test(c))),
  ];
  if (badDomain.length > 0) {
    return refuse(
      `The part after the @-sign contains invalid characters: ${displayAll(badDomain)}.`,
    );
  }
  const unsafeDomain = unsafeCharacters(domain);
  if (unsafeDomain.length > 0) return refuse(unsafeReason(unsafeDomain));
  if (domain.endsWith('.')) return refuse('An email address cannot end with a period.');
  if (domain.startsWith('.'))
    return refuse('An email address cannot have a period immediately after the @-sign.');
  if (domain.includes('..')) return refuse('An email address cannot have two periods in a row.');
  const labels = domain.split('.');
  if (labels.some((label) => !DOMAIN_LABEL.test(label))) {
    return refuse('The part after the @-sign is not valid.');
  }
  if (labels.length < 2)
    return refuse('The part after the @-sign is not valid. It should have a period.');
  if (
    !/^[A-Za-z\u{80}-\u{10FFFF}][A-Za-z0-9\u{80}-\u{10FFFF}-]*$/u.test(labels[labels.length - 1])
  ) {
    return refuse(
      'The part after the @-sign is not valid. It is not within a valid top-level domain.',
    );
  }
  if (/^\p{ASCII}*$/u.test(domain)) domain = domain.toLowerCase();
  else {
    // UTS #46 mapping and IDNA round trip: the canonical internationalised form.
    const ascii = domainToASCII(domain);
    if (ascii === '') return refuse('The part after the @-sign is not valid IDNA.');
    domain = domainToUnicode(ascii);
  }
  const length = [...email].length;
  if (length > MAX_EMAIL_LENGTH) {
    return refuse(`The email address is too long ${tooMany(length - MAX_EMAIL_LENGTH)}.`);
  }
  return { normalized: `${local}@${domain}` };
}

function tooMany(over: number): string {
  return `(${over} character${over === 1 ? '' : 's'} too many)`;
}

function displayAll(chars: string[]): string {
  return chars.map(characterDisplay).sort().join(', ');
}

function unsafeReason(chars: string[]): string {
  return `The email address contains unsafe characters: ${chars.map(characterDisplay).join(', ')}.`;
}
