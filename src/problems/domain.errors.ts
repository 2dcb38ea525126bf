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
