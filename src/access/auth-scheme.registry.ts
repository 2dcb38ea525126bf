import { Injectable } from '@nestjs/common';
import type { SecuritySchemeObject } from '@nestjs/swagger';
import type { HttpReply, HttpRequest } from '../http/http-seam';
import passport from 'passport';
import { GatehouseConfig } from '../config/gatehouse-config';
import type { AuthenticatedUser, AuthScheme, Principal } from './auth-scheme';
import { authorizationOf } from './authorization';
import { authenticateWithPassport } from './passport-authenticate';
import { type MaybePromise, whenReady } from '../infra/when-ready';

/**
 * The passport strategies available to the AuthGuard, by scheme word. Gatehouse's
 * own schemes are honoured only when listed in AUTH_HEADER_TYPES; a scheme a
 * consumer registers (GatehouseModule's `authSchemes`) always is.
 */
@Injectable()
export class AuthSchemeRegistry {
  private readonly schemes = new Map<string, AuthScheme>();
  /** This app's passport: the strategies run here, by the scheme's name. */
  private readonly passport = new passport.Passport();
  private readonly names = new Map<AuthScheme, string>();
  /** The schemes consumers added, by name, as the OpenAPI document describes them. */
  readonly documented: { name: string; securityScheme: SecuritySchemeObject }[] = [];
  private readonly enabled: Set<string>;
  /** Consulted when a request has no `Authorization` header (cookie mode). */
  cookieScheme?: AuthScheme;

  constructor(config: GatehouseConfig) {
    this.enabled = new Set(config.authHeaderTypes.map((s) => s.toLowerCase()));
  }

  /**
   * @param options.always honour it whatever AUTH_HEADER_TYPES says (a consumer's scheme)
   * @param options.securityScheme document it on every protected operation
   */
  register(
    scheme: AuthScheme,
    options: { always?: boolean; securityScheme?: SecuritySchemeObject } = {},
  ): void {
    this.use(scheme, scheme.schemes[0] ?? 'scheme');
    for (const word of scheme.schemes) {
      this.schemes.set(word.toLowerCase(), scheme);
      if (options.always) this.enabled.add(word.toLowerCase());
      if (options.always) {
        this.documented.push({
          name: word,
          securityScheme: options.securityScheme ?? { type: 'http', scheme: word.toLowerCase() },
        });
      }
    }
  }

  registerCookieScheme(scheme: AuthScheme): void {
    this.use(scheme, 'cookie');
    this.cookieScheme = scheme;
  }

  /**
   * Runs a scheme's strategy on the request: the user, undefined when it found
   * no credentials, or its error.
   * @param word the scheme word the request used (names a default challenge)
   * @param credentials the header's words after the scheme, handed to the strategy
   */
  authenticate(
    scheme: AuthScheme,
    word: string,
    request: HttpRequest,
    reply: HttpReply,
    credentials: readonly string[] = [],
  ): MaybePromise<AuthenticatedUser | undefined> {
    return authenticateWithPassport(
      this.passport,
      this.names.get(scheme)!,
      scheme,
      word,
      request,
      reply,
      credentials,
    );
  }

  /**
   * The principal of a request's `Authorization` header: undefined without one,
   * or when its scheme is not served (DRF's authenticators pass on a header they
   * do not recognise); the scheme's own 401 when the credential is refused.
   */
  authenticateHeader(request: HttpRequest, reply: HttpReply): Promise<Principal | undefined> {
    try {
      return Promise.resolve(this.authenticateHeaderNow(request, reply));
    } catch (error) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- rejected as it was thrown
      return Promise.reject(error);
    }
  }

  /**
   * authenticateHeader for the guard: a credential its strategy concludes on at
   * once (a cached token or key) is answered at once, or thrown, with no promise;
   * on the hot path every promise saved is CPU saved (each one also runs the
   * request context's async hooks when they are on).
   */
  authenticateHeaderNow(
    request: HttpRequest,
    reply: HttpReply,
  ): MaybePromise<Principal | undefined> {
    const authorization = authorizationOf(request);
    const scheme = authorization && this.schemeFor(authorization.word);
    if (!authorization || !scheme) return undefined;
    const { word, credentials } = authorization;
    return whenReady(
      this.authenticate(scheme, word, request, reply, credentials),
      (authenticated) => authenticated && { ...authenticated, scheme: word },
    );
  }

  private use(scheme: AuthScheme, name: string): void {
    const unique = `${name.toLowerCase()}#${this.names.size}`;
    this.passport.use(unique, scheme.strategy);
    this.names.set(scheme, unique);
  }

  /** The scheme for a header's first word, if that scheme is enabled and served. */
  schemeFor(word: string): AuthScheme | undefined {
    const key = word.toLowerCase();
    return this.enabled.has(key) ? this.schemes.get(key) : undefined;
  }
}
