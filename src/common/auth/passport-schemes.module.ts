import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnModuleInit,
  type Type,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { SecuritySchemeObject } from '@nestjs/swagger';
import type { Strategy } from 'passport';
import type { AuthScheme } from './auth-scheme';
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
}

const PASSPORT_AUTH_SCHEMES = Symbol('PASSPORT_AUTH_SCHEMES');

/** Registers the consumer's strategies with the AuthGuard once they exist. */
@Injectable()
class PassportSchemesRegistrar implements OnModuleInit {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly registry: AuthSchemeRegistry,
    @Inject(PASSPORT_AUTH_SCHEMES) private readonly schemes: PassportAuthScheme[],
  ) {}

  onModuleInit(): void {
    for (const scheme of this.schemes) {
      this.registry.register(
        {
          schemes: [scheme.scheme],
          strategy: this.moduleRef.get(scheme.strategy, { strict: false }),
          failure: scheme.failure,
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
