/**
 * What went wrong in the feature modules, said without any HTTP dialect. A
 * feature service throws one of these; each surface renders it as its library
 * does (see `SurfaceDialect`'s error mapper), and what a surface does not map
 * gets its dialect's plain rendering. Consumer extensions (a UserSerializer's
 * `update`, a password validator) throw them too.
 */
export abstract class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** One broken rule of one field: a stable code and the library's message for it. */
export interface FieldProblem {
  code: string;
  message: string;
}

/** The key under which errors about the input as a whole are reported (DRF's `non_field_errors`). */
export const NON_FIELD = 'non_field_errors';

/**
 * Input that breaks rules, field by field, in the order the fields are declared.
 * Field names are the wire's (the surface's body field names).
 */
export class FieldErrors extends DomainError {
  constructor(readonly fields: Readonly<Record<string, readonly FieldProblem[]>>) {
    super(`invalid fields: ${Object.keys(fields).join(', ')}`);
  }

  static of(field: string, code: string, ...messages: string[]): FieldErrors {
    return new FieldErrors({ [field]: messages.map((message) => ({ code, message })) });
  }

  /**
   * `{"field": ["message", …]}`, DRF's shape.
   * @param wording a surface's own message for a `field:code`, where its library words it differently
   */
  messages(wording: Readonly<Record<string, string>> = {}): Record<string, string[]> {
    return Object.fromEntries(
      Object.entries(this.fields).map(([field, problems]) => [
        field,
        problems.map((p) => wording[`${field}:${p.code}`] ?? p.message),
      ]),
    );
  }

  /** Whether a field was refused with this code. */
  has(field: string, code: string): boolean {
    return this.fields[field]?.some((p) => p.code === code) ?? false;
  }
}

/**
 * Field errors gathered from several checks and reported together, in `order`
 * (the serializer's fields; others after them), as a DRF serializer reports every
 * field's errors at once. A field already refused skips its later checks.
 */
export class FieldErrorCollector {
  private readonly found = new Map<string, FieldProblem[]>();

  constructor(
    private readonly order: readonly string[],
    earlier?: FieldErrors,
  ) {
    for (const [field, problems] of Object.entries(earlier?.fields ?? {})) {
      this.found.set(field, [...problems]);
    }
  }

  /** Whether `field` has no error yet (so its next check runs). */
  ok(field: string): boolean {
    return !this.found.has(field);
  }

  get empty(): boolean {
    return this.found.size === 0;
  }

  add(field: string, code: string, message: string): void {
    this.found.set(field, [...(this.found.get(field) ?? []), { code, message }]);
  }

  throwIfAny(): void {
    if (this.empty) return;
    const rank = (field: string) => {
      const index = this.order.indexOf(field);
      return index < 0 ? this.order.length : index;
    };
    const fields = [...this.found].sort(([a], [b]) => rank(a) - rank(b));
    throw new FieldErrors(Object.fromEntries(fields));
  }
}

/** Why a login was refused; a surface decides how much of it its library tells. */
export type LoginRefusal = 'bad_credentials' | 'inactive' | 'blocked' | 'unverified';

export class LoginRefused extends DomainError {
  constructor(readonly reason: LoginRefusal) {
    super(`login refused: ${reason}`);
  }
}

/** The thing asked for does not exist (or may not be shown to this caller). */
export class NotFoundError extends DomainError {
  constructor(what = 'object') {
    super(`${what} not found`);
  }
}

/** Authenticated, but not allowed to do this. */
export class PermissionDeniedError extends DomainError {
  constructor(reason = 'permission denied') {
    super(reason);
  }
}

/**
 * A credential presented to a header scheme (or a cookie) was refused. `body` is
 * what the scheme's library answers in DRF's dialect (SimpleJWT's and DRF's
 * authentication classes are global in Django, so the answer is the scheme's,
 * not the surface's); FastAPI's dialect answers its bare 401.
 */
export class AuthenticationFailed extends DomainError {
  constructor(
    readonly body: Readonly<Record<string, unknown>>,
    readonly challenge?: string,
  ) {
    super(`authentication failed: ${String(body.detail)}`);
  }
}

/** Django's CSRF check failed (cookie authentication and the dashboard's forms). */
export class CsrfFailed extends DomainError {
  constructor(readonly reason: string) {
    super(`CSRF Failed: ${reason}`);
  }
}

/** Too many attempts (wrong second-factor codes, say): refused for `retryAfter` seconds. */
export class TooManyAttempts extends DomainError {
  constructor(readonly retryAfter: number) {
    super(`too many attempts: retry after ${retryAfter} s`);
  }
}

/** A second-factor code refused: wrong, malformed, already used, or no MFA to check it against. */
export class MfaCodeRejected extends DomainError {
  constructor() {
    super('MFA code rejected');
  }
}

/** The account password given to turn MFA off was wrong. */
export class MfaPasswordRejected extends DomainError {
  constructor() {
    super('password rejected');
  }
}

/**
 * The MFA step asked for does not fit the user's state: `pending` (a confirmation
 * with no enrolment begun), `enabled` (enrolment while MFA is already on),
 * `disabled` (a recovery-code set or a disabling while MFA is off).
 */
export class MfaStateConflict extends DomainError {
  constructor(readonly expected: 'pending' | 'enabled' | 'disabled') {
    super(
      expected === 'pending'
        ? 'no TOTP enrolment is pending'
        : expected === 'enabled'
          ? 'MFA is already on'
          : 'MFA is off',
    );
  }
}

/** MFA cannot seal or open secrets: MFA_ENCRYPTION_KEY is not set (production). */
export class MfaUnavailable extends DomainError {
  constructor() {
    super('Multi-factor authentication is not configured on this server (MFA_ENCRYPTION_KEY).');
  }
}
