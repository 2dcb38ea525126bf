import {
  CommonPasswordValidator,
  defaultPasswordValidators,
  MinimumLengthValidator,
  NumericPasswordValidator,
  UserAttributeSimilarityValidator,
} from './password-validators';
import { PasswordValidationService } from './password-validation.service';

describe("Django's password validators", () => {
  const service = new PasswordValidationService(defaultPasswordValidators());

  it.each([
    ['12345678', {}, ['This password is too common.', 'This password is entirely numeric.']],
    [
      '1234',
      {},
      [
        'This password is too short. It must contain at least 8 characters.',
        'This password is too common.',
        'This password is entirely numeric.',
      ],
    ],
    ['73829104', {}, ['This password is entirely numeric.']],
    ['password', {}, ['This password is too common.']],
    ['PassWord ', {}, ['This password is too common.']],
    ['abc', {}, ['This password is too short. It must contain at least 8 characters.']],
    [
      'jane.doe@corp',
      { email: 'jane.doe@corp.example' },
      ['The password is too similar to the email address.'],
    ],
    ['johnsmith1', { username: 'johnsmith' }, ['The password is too similar to the username.']],
    ['test@1291', { email: 'testu1@example.com' }, []],
    ['correct horse battery staple', { email: 'ada@example.com', firstName: 'Ada' }, []],
    ['Pässwörd-ünïcødé-🔑', {}, []],
  ])('%j %j → %j', async (password, user, expected) => {
    await expect(service.messages(password, user)).resolves.toEqual(expected);
  });

  it('counts characters as Python does (code points)', () => {
    expect(new MinimumLengthValidator().validate('🔑🔑🔑🔑🔑🔑🔑🔑')).toEqual([]);
    expect(new MinimumLengthValidator().validate('🔑🔑🔑🔑')).toHaveLength(1);
  });

  it('treats Unicode digits as numeric', () => {
    expect(new NumericPasswordValidator().validate('١٢٣٤٥٦٧٨٩')).toEqual([
      'This password is entirely numeric.',
    ]);
  });

  it('loads the common-password list once and knows thousands of entries', () => {
    const validator = new CommonPasswordValidator();
    for (const common of ['qwerty', 'letmein', 'iloveyou', 'dragon', 'monkey']) {
      expect(validator.validate(common)).toEqual(['This password is too common.']);
    }
    expect(validator.validate('zq8!vB2#wX9$rT4')).toEqual([]);
  });

  it('ignores a short attribute against a much longer password', () => {
    expect(
      new UserAttributeSimilarityValidator().validate('a'.repeat(40), { firstName: 'A' }),
    ).toEqual([]);
  });
});
