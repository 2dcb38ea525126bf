import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnModuleInit,
  Optional,
  type Type,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { SecuritySchemeObject } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Strategy } from 'passport';
import { type AuthScheme, CREDENTIAL_CHECKS, type CredentialChecks } from './auth-scheme';
import { AuthSchemeRegistry } from './auth-scheme.registry';

/** A consumer's own `Authorization` scheme, served by a passport strategy. */
export interface PassportAuthScheme {
  /** The scheme word, e.g. `Basic` or `Api-Key` (compared case-insensitively). */
  scheme: string;
  /**
   * A `PassportStrategy(...)` subclass. Gatehouse instantiates it, so it may inject
   * Gatehouse's services (UsersService, CredentialsService, …) and your global
   * providers. Its `validate` answers a Gatehouse `User`, or null to refuse.
   */
  strategy: Type<Strategy>;
  /** How the document describes it; by default `{ type: 'http', scheme: <scheme in lower case> }`. */
  securityScheme?: SecuritySchemeObject;
  /**
   * The error for a refused credential; by default DRF's 401
   * `{"detail": "Incorrect authentication credentials."}` with the strategy's challenge.
   */
  failure?: AuthScheme['failure'];
  /**
   * The e-mail or username a request's credential names, so its checks count
   * against that account's login budget (`login`) besides the address's
   * (`login_address`), as a login does. By default, for `Basic`, the user-id of
   * the `Authorization` header (RFC 7617); for another scheme none: per address only.
   */
  identify?(request: FastifyRequest): string | undefined;
}

/** HTTP Basic's user-id: what precedes the first colon of the decoded credentials (RFC 7617). */
export function basicUserId(request: FastifyRequest): string | undefined {
  const [word, credentials] = (request.headers.authorization ?? '').trim().split(/\s+/);
  if (word?.toLowerCase() !== 'basic' || !credentials) return undefined;
  const decoded = Buffer.from(credentials, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? decoded.slice(0, colon) : undefined;
}

function identifierReader(
  scheme: PassportAuthScheme,
): (request: FastifyRequest) => string | undefined {
  if (scheme.identify) return (request) => scheme.identify!(request);
  return scheme.scheme.toLowerCase() === 'basic' ? basicUserId : () => undefined;
}

const PASSPORT_AUTH_SCHEMES = Symbol('PASSPORT_AUTH_SCHEMES');

/** Registers the consumer's strategies with the AuthGuard once they exist. */
@Injectable()
class PassportSchemesRegistrar implements OnModuleInit {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly registry: AuthSchemeRegistry,
    @Inject(PASSPORT_AUTH_SCHEMES) private readonly schemes: PassportAuthScheme[],
    @Optional() @Inject(CREDENTIAL_CHECKS) private readonly checks?: CredentialChecks,
  ) {}

  onModuleInit(): void {
    for (const scheme of this.schemes) {
      this.registry.register(
        {
          schemes: [scheme.scheme],
          strategy: this.moduleRef.get(scheme.strategy, { strict: false }),
          failure: scheme.failure,
          // Whoever wrote the strategy, its refusals are throttled and audited as logins.
          checkedAsLogin: this.checks && {
            checks: this.checks,
            identify: identifierReader(scheme),
          },
        },
        { always: true, securityScheme: scheme.securityScheme },
      );
    }
  }
}

/**
 * A consumer's passport strategies as further `Authorization` schemes: every
 * protected route accepts them (and the document lists them), beside JWT,
 * Bearer and Token. Given as GatehouseModule's `authSchemes`.
 */
@Module({})
export class PassportSchemesModule {
  static forRoot(schemes: PassportAuthScheme[]): DynamicModule {
    return {
      module: PassportSchemesModule,
      providers: [
        { provide: PASSPORT_AUTH_SCHEMES, useValue: schemes },
        ...schemes.map((scheme) => scheme.strategy),
        PassportSchemesRegistrar,
      ],
    };
  }
}
