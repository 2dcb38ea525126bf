import type { FastifyRequest } from 'fastify';
import type { User } from '../../accounts/user.entity';

/** Who a request is authenticated as, and by which credential. */
export interface Principal {
  user: User;
  /** The `Authorization` scheme that authenticated the request (`JWT`, `Bearer`, `Token`), or `cookie`. */
  scheme: string;
  /** Scheme-specific facts (the JWT claims, the TokenKey id) for logout and audit. */
  credential?: Record<string, unknown>;
}

/**
 * One `Authorization` header scheme. Strategies (JWT/Bearer in JwtAuthModule,
 * Token in TokenKeyModule) register themselves with the AuthSchemeRegistry; the
 * one AuthGuard picks the strategy by the header's first word.
 */
export interface AuthSchemeStrategy {
  /** Scheme words this strategy serves, compared case-insensitively. */
  readonly schemes: readonly string[];
  /**
   * @param credentials the header's words after the scheme (normally exactly one);
   *        a strategy raises its own library's errors for zero or several
   * @throws the surface's 401 when the credential is invalid
   */
  authenticate(credentials: string[], request: FastifyRequest): Promise<Omit<Principal, 'scheme'>>;
}

/**
 * Authentication by cookie, tried when a request carries no `Authorization`
 * header (dj-rest-auth's cookie mode). Answers undefined when its cookie is absent.
 */
export interface CookieAuthStrategy {
  authenticateCookie(request: FastifyRequest): Promise<Omit<Principal, 'scheme'> | undefined>;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}
