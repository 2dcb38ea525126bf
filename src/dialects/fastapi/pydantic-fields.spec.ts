import { canonicalUuid } from '../../accounts/fastapi-users.service';
import {
  emailSyntaxError,
  PydanticBody,
  PydanticBool,
  PydanticEmail,
  pydanticFields,
  PydanticStr,
} from './pydantic-fields';

@PydanticBody('model')
class Sample {
  @PydanticStr({ pattern: '^password$' })
  grant: string;

  @PydanticEmail()
  email: string;

  @PydanticBool({ required: false, nullable: true })
  flag?: boolean | null;
}

const check = (name: string, value: unknown) =>
  pydanticFields(Sample)
    .find((f) => f.name === name)!
    .check(value);

describe('pydantic-style fields', () => {
  it('keeps the declaration order and options', () => {
    expect(pydanticFields(Sample).map((f) => [f.name, f.required, f.nullable])).toEqual([
      ['grant', true, false],
      ['email', true, false],
      ['flag', false, true],
    ]);
  });

  it('str: string_type for non-strings, string_pattern_mismatch with ctx', () => {
    expect(check('grant', 1)).toEqual({
      error: { type: 'string_type', msg: 'Input should be a valid string', input: 1 },
    });
    expect(check('grant', 'passwords')).toEqual({
      error: {
        type: 'string_pattern_mismatch',
        msg: "String should match pattern '^password$'",
        input: 'passwords',
        ctx: { pattern: '^password$' },
      },
    });
    expect(check('grant', 'password')).toEqual({ value: 'password' });
  });

  it.each([
    [true, true],
    [0, false],
    ['YES', true],
    [' off ', false],
    ['t', true],
  ])('bool: %j → %j', (input, value) => {
    expect(check('flag', input)).toEqual({ value });
  });

  it.each([
    [2, 'bool_parsing'],
    ['maybe', 'bool_parsing'],
    [[], 'bool_type'],
    [{}, 'bool_type'],
  ])('bool: %j → %s', (input, type) => {
    expect(check('flag', input)).toMatchObject({ error: { type, input } });
  });

  it('EmailStr: lower-cases the domain, keeps the local part', () => {
    expect(check('email', 'Ada.Lovelace@Example.COM')).toEqual({
      value: 'Ada.Lovelace@example.com',
    });
  });

  it.each([
    ['\u212aate@Example.com', 'Kate@example.com', 'the Kelvin sign is a K (NFC)'],
    ['jose\u0301@example.com', 'jos\u00e9@example.com', 'combining accents composed (NFC)'],
    ['kate@\uff45xample.com', 'kate@example.com', 'a fullwidth domain letter is plain (UTS #46)'],
    ['kate@\u212axample.com', 'kate@kxample.com', 'the domain is case-folded (UTS #46)'],
    ['v\u0456ctim@example.com', 'v\u0456ctim@example.com', 'a Cyrillic і is another letter'],
  ])('EmailStr: %j is %j — %s', (input, normalized) => {
    expect(check('email', input)).toEqual({ value: normalized });
  });

  it('EmailStr: value_error with the reason in msg and ctx', () => {
    expect(check('email', 'user.example.com')).toEqual({
      error: {
        type: 'value_error',
        msg: 'value is not a valid email address: An email address must have an @-sign.',
        input: 'user.example.com',
        ctx: { reason: 'An email address must have an @-sign.' },
      },
    });
  });

  it.each([
    ['@example.com', 'There must be something before the @-sign.'],
    ['a@', 'There must be something after the @-sign.'],
    ['a@b', 'The part after the @-sign is not valid. It should have a period.'],
    ['a b@c.com', 'The email address contains invalid characters before the @-sign: SPACE.'],
    ['.a@c.com', 'An email address cannot start with a period.'],
    ['a.@c.com', 'An email address cannot have a period immediately before the @-sign.'],
    ['a..b@c.com', 'An email address cannot have two periods in a row.'],
    ['a@.c.com', 'An email address cannot have a period immediately after the @-sign.'],
    ['a@c.com.', 'An email address cannot end with a period.'],
    ['a\u0000@c.com', 'The email address contains invalid characters before the @-sign: U+0000.'],
    ['ka\u200bte@c.com', 'The email address contains unsafe characters: ZERO WIDTH SPACE.'],
    ['ka\u00adte@c.com', 'The email address contains unsafe characters: SOFT HYPHEN.'],
    [
      'k\u202ea\u200bte@c.com',
      'The email address contains unsafe characters: ZERO WIDTH SPACE, RIGHT-TO-LEFT OVERRIDE.',
    ],
    ['ka\u0085te@c.com', 'The email address contains unsafe characters: U+0085.'],
    ['kate@exa\u00admple.com', 'The email address contains unsafe characters: SOFT HYPHEN.'],
    ['kate\u00a0@c.com', 'The email address contains unsafe characters: NO-BREAK SPACE.'],
    [
      'a@c.123',
      'The part after the @-sign is not valid. It is not within a valid top-level domain.',
    ],
    [
      `${'a'.repeat(65)}@c.com`,
      'The email address is too long before the @-sign (1 character too many).',
    ],
    [
      `${'a'.repeat(64)}@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.eeee.com`,
      'The email address is too long (2 characters too many).',
    ],
  ])('email-validator refuses %j', (email, reason) => {
    expect(emailSyntaxError(email)).toBe(reason);
  });

  it.each(['user@example.com', "o'brien+kyc@mail.example.co.uk", 'ünïcode@exämple.de'])(
    'email-validator accepts %s',
    (email) => {
      expect(emailSyntaxError(email)).toBeUndefined();
    },
  );
});

describe('canonicalUuid (Python uuid.UUID forms)', () => {
  const uuid = '7c1e2f4a-9b3d-4e5f-8a6b-1c2d3e4f5a6b';
  it.each([uuid, uuid.toUpperCase(), uuid.replace(/-/g, ''), `{${uuid}}`, `urn:uuid:${uuid}`])(
    '%s',
    (text) => {
      expect(canonicalUuid(text)).toBe(uuid);
    },
  );

  it.each(['', 'me', '42', `${uuid}0`, ` ${uuid}`])('refuses %j', (text) => {
    expect(canonicalUuid(text)).toBeNull();
  });
});
