import type { HttpRequest } from '../http/http-seam';
import type { Strategy } from 'passport';
/**
 * The user a request is authenticated as, as the access floor reads it: the id
 * (throttling counts per account) and the flags the access levels check. The
 * floor is generic over the user, so it imports no feature; Gatehouse's `User`
 * satisfies it, and a host app may widen it by declaration merging
 * (`declare module '@gatehouse-auth/nestjs' { interface AuthUser { department?: string } }`).
 */
export interface AuthUser {
  id: number;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
}

/** Who a request is authenticated as, and by which credential. */
export interface Principal<TUser extends AuthUser = AuthUser> {
  user: TUser;
  /** The `Authorization` scheme that authenticated the request (`JWT`, `Bearer`, `Token`), or `cookie`. */
  scheme: string;
  /** Scheme-specific facts (the JWT claims, the TokenKey id) for logout and audit. */
  credential?: Record<string, unknown>;
}

/** What a Gatehouse passport strategy's `validate` answers: the user and credential facts. */
export type AuthenticatedUser<TUser extends AuthUser = AuthUser> = Omit<Principal<TUser>, 'scheme'>;

/**
 * One `Authorization` header scheme, served by a passport strategy. Strategies
 * (JWT/Bearer in JwtAuthModule, Token in TokenKeyModule, a consumer's own) are
 * registered with the AuthSchemeRegistry; the one AuthGuard picks the strategy by
 * the header's first word and runs it through passport.
 */
export interface AuthScheme {
  /** Scheme words this strategy serves, compared case-insensitively. */
  readonly schemes: readonly string[];
  /**
   * The passport strategy instance. The registry runs it on a passport
   * Authenticator of its own: passport's default one is one per process, and
   * several apps in a process (tests, a consumer's) must not take each other's.
   * Its `authenticate(request, options)` gets the header's credential words as
   * `options.credentials` (SchemeRun).
   */
  readonly strategy: Strategy;
  /**
   * The error for a passport `fail()` (a strategy raises its own library's errors
   * through `error()`); undefined: "credentials not provided". By default DRF's
   * `Incorrect authentication credentials.` with the strategy's challenge.
   * @param credentials the `Authorization` header's words after the scheme (none for the cookie)
   */
  failure?(request: HttpRequest, info: unknown, credentials: readonly string[]): Error | undefined;
  /**
   * For a scheme whose credential can be guessed (a password): its checks are
   * counted and audited as logins (CREDENTIAL_CHECKS). Every consumer scheme has it.
   */
  readonly checkedAsLogin?: {
    readonly checks: CredentialChecks;
    /** The e-mail or username the request's credential names, if it names one. */
    identify(request: HttpRequest): string | undefined;
  };
}

/**
 * Counts a scheme's credential checks with the logins' (`login` per account from
 * an address, `login_address` per address) and audits each refusal as a failed
 * login: a password guessed through a scheme costs what it costs at a login
 * endpoint. ThrottlingModule provides it.
 */
export interface CredentialChecks {
  /**
   * Before a check: refused (429 in the route's dialect) while either count is
   * spent, a right password too — nothing is counted for a check that succeeds.
   * @param scheme the scheme word, named in the audit trail
   * @param identifier the e-mail or username the credential names; without one, per address only
   */
  begin(request: HttpRequest, scheme: string, identifier?: string): Promise<CredentialCheck>;
}

export interface CredentialCheck {
  /** The credential was refused: counted, announced as `user.login_failed`, 429 once over a count. */
  refused(): Promise<void>;
}

export const CREDENTIAL_CHECKS = Symbol('CREDENTIAL_CHECKS');

declare module '../http/http-seam' {
  interface HttpRequest {
    principal?: Principal;
  }
}
