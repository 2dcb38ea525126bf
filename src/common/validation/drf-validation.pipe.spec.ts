import { DrfException } from '../errors/drf.exception';
import { DrfCharField, drfFieldOrder } from './drf-fields';
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
