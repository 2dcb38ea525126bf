import { DrfException } from '../../problems/drf.exception';
import type { GatehouseConfig } from '../../config/gatehouse-config';
import {
  DrfCharField,
  DrfDefersFieldErrors,
  drfFieldErrors,
  drfFieldOrder,
  DrfRequiredWhen,
  DrfUsernameField,
} from './drf-fields';
import { DrfValidationPipe } from './drf-validation.pipe';

class BaseSerializer {
  @DrfCharField()
  first: string;

  @DrfCharField()
  second: string;
}

/** Declares a field of its own, and redeclares a base field (which keeps its place). */
class ChildSerializer extends BaseSerializer {
  @DrfCharField()
  own: string;

  @DrfCharField({ maxLength: 3 })
  declare first: string;
}

describe('DrfValidationPipe field order', () => {
  it("follows DRF's declared order: base fields first, a redeclared one in its base's place", () => {
    expect(drfFieldOrder(BaseSerializer)).toEqual(['first', 'second']);
    expect(drfFieldOrder(ChildSerializer)).toEqual(['first', 'second', 'own']);
  });

  it('answers field errors in that order', async () => {
    const pipe = new DrfValidationPipe();
    const failure = await Promise.resolve(
      pipe.transform({}, { type: 'body', metatype: ChildSerializer }),
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DrfException);
    expect(Object.keys((failure as DrfException).body as object)).toEqual([
      'first',
      'second',
      'own',
    ]);
  });
});

describe('DrfValidationPipe reads only declared fields', () => {
  it('builds the DTO from the declared fields alone', async () => {
    const pipe = new DrfValidationPipe();
    const body: Record<string, unknown> = { first: 'a', second: 'b', extra: 'x' };
    for (let i = 0; i < 5000; i++) body[`k${i}`] = i;
    const dto = await pipe.transform(body, { type: 'body', metatype: BaseSerializer });
    expect(dto).toBeInstanceOf(BaseSerializer);
    expect({ ...(dto as object) }).toEqual({ first: 'a', second: 'b' });
  });

  it('leaves an absent field absent', async () => {
    const failure = await Promise.resolve(
      new DrfValidationPipe().transform(
        { first: 'a', extra: 'x' },
        { type: 'body', metatype: BaseSerializer },
      ),
    ).catch((error: unknown) => error);
    expect((failure as DrfException).body).toEqual({ second: ['This field is required.'] });
  });

  it('reads inherited and redeclared fields, and no prototype property', async () => {
    const pipe = new DrfValidationPipe();
    const body = JSON.parse('{"first": "abc", "second": "b", "own": "c", "__proto__": {"x": 1}}');
    const dto = await pipe.transform(body, { type: 'body', metatype: ChildSerializer });
    expect({ ...(dto as object) }).toEqual({ first: 'abc', second: 'b', own: 'c' });
    expect((dto as { x?: unknown }).x).toBeUndefined();
  });
});

/** djoser's retype variant: `re_password` exists only when the setting is on. */
class RetypeSerializer {
  @DrfCharField()
  password: string;

  @DrfCharField({ required: false })
  @DrfRequiredWhen((config) => config.djoser.userCreatePasswordRetype)
  re_password?: string;

  @DrfCharField()
  after: string;
}

describe('DrfValidationPipe fields a setting adds', () => {
  const configured = (on: boolean) =>
    new DrfValidationPipe({ djoser: { userCreatePasswordRetype: on } } as GatehouseConfig);
  const errors = (pipe: DrfValidationPipe, body: object) =>
    Promise.resolve(pipe.transform(body, { type: 'body', metatype: RetypeSerializer })).then(
      () => undefined,
      (error: DrfException) => error.body,
    );

  it('reports a missing one with the other field errors, in its place, when the setting is on', async () => {
    expect(await errors(configured(true), {})).toEqual({
      password: ['This field is required.'],
      re_password: ['This field is required.'],
      after: ['This field is required.'],
    });
    expect(await errors(configured(true), { password: 'p', after: 'a' })).toEqual({
      re_password: ['This field is required.'],
    });
  });

  it('leaves it optional when the setting is off, or no config is given', async () => {
    expect(await errors(configured(false), { password: 'p', after: 'a' })).toBeUndefined();
    expect(await errors(new DrfValidationPipe(), { password: 'p', after: 'a' })).toBeUndefined();
  });
});

@DrfDefersFieldErrors()
class DeferringSerializer {
  @DrfUsernameField()
  username: string;

  @DrfCharField()
  password: string;
}

describe('DrfValidationPipe with a serializer whose service adds field checks', () => {
  it('hands its field errors on with the body instead of answering them', async () => {
    const pipe = new DrfValidationPipe();
    const dto = (await pipe.transform(
      { username: `${'a b'.repeat(51)}` },
      { type: 'body', metatype: DeferringSerializer },
    )) as object;
    expect(drfFieldErrors(dto)?.messages()).toEqual({
      username: [
        'Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.',
        'Ensure this field has no more than 150 characters.',
      ],
      password: ['This field is required.'],
    });
  });

  it('hands on no errors for a valid body', async () => {
    const pipe = new DrfValidationPipe();
    const dto = (await pipe.transform(
      { username: 'alice', password: 'x' },
      { type: 'body', metatype: DeferringSerializer },
    )) as object;
    expect(drfFieldErrors(dto)).toBeUndefined();
  });
});
