import { Strategy } from 'passport';

import type { SchemeRun } from './authorization';

type Verified = (error: unknown, user?: unknown) => void;

/**
 * The smallest passport strategy: it hands the request and the credential the
 * registry read from its `Authorization` header to `verify(request, credentials, done)`
 * (under @nestjs/passport, the subclass's `validate(request, credentials)`), for
 * credentials no published strategy reads, such as DRF's `Token` keys.
 */
export class RequestStrategy extends Strategy {
  constructor(
    private readonly verify: (
      request: unknown,
      credentials: readonly string[],
      done: Verified,
    ) => void,
  ) {
    super();
  }

  // Passport calls it on a copy of the strategy that carries success/fail/error.
  authenticate(request: unknown, options?: Partial<SchemeRun>): void {
    const self = this as unknown as RequestStrategy & {
      success(user: unknown): void;
      fail(): void;
      error(error: unknown): void;
    };
    self.verify(request, options?.credentials ?? [], (error, user) => {
      if (error) self.error(error);
      else if (user) self.success(user);
      else self.fail();
    });
  }
}
