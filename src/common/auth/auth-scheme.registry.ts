import { Injectable } from '@nestjs/common';
import { GatehouseConfig } from '../../config/gatehouse-config';
import type { FastifyRequest } from 'fastify';
import type { AuthSchemeStrategy, CookieAuthStrategy, Principal } from './auth-scheme';

/**
 * The strategies available to the AuthGuard, by scheme word. Only the schemes
 * listed in AUTH_HEADER_TYPES are honoured, whatever is registered.
 */
@Injectable()
export class AuthSchemeRegistry {
  private readonly strategies = new Map<string, AuthSchemeStrategy>();
  private readonly enabled: ReadonlySet<string>;
  /** Consulted when a request has no `Authorization` header (cookie mode). */
  cookieStrategy?: CookieAuthStrategy;

  constructor(config: GatehouseConfig) {
    this.enabled = new Set(config.authHeaderTypes.map((s) => s.toLowerCase()));
  }

  register(strategy: AuthSchemeStrategy): void {
    for (const scheme of strategy.schemes) this.strategies.set(scheme.toLowerCase(), strategy);
  }

  registerCookieStrategy(strategy: CookieAuthStrategy): void {
    this.cookieStrategy = strategy;
  }

  /**
   * The principal of a request's `Authorization` header: undefined without one,
   * or when its scheme is not served (DRF's authenticators pass on a header they
   * do not recognise); the scheme's own 401 when the credential is refused.
   */
  async authenticateHeader(request: FastifyRequest): Promise<Principal | undefined> {
    const [scheme, ...credentials] = (request.headers.authorization ?? '').trim().split(/\s+/);
    const strategy = scheme ? this.strategyFor(scheme) : undefined;
    return strategy && { ...(await strategy.authenticate(credentials, request)), scheme };
  }

  /** The strategy for a header's scheme word, if that scheme is enabled and served. */
  strategyFor(scheme: string): AuthSchemeStrategy | undefined {
    const key = scheme.toLowerCase();
    return this.enabled.has(key) ? this.strategies.get(key) : undefined;
  }
}
