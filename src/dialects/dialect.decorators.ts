import { UseFilters, UsePipes } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { documentAccess } from '../docs/access.docs';
import { type Dialect, DIALECT_ROUTE_CONFIG, RouteConfigEntry } from '../http/route-config';
import { documentThrottling } from '../docs/throttling.docs';
import {
  DrfClassValidatorPipe,
  FastApiClassValidatorPipe,
  isClassValidatorDto,
} from './class-validator-body';
import { FastApiExceptionFilter } from './fastapi/fastapi-exception.filter';
import { SURFACE_ERRORS_ROUTE_CONFIG, type SurfaceErrorMapper } from './surface-errors';

/** Class metadata: the dialect a surface controller declared. */
export const SURFACE_DIALECT = 'gatehouse:surface-dialect';

/**
 * Declares the error dialect of a surface's controller, once: what its handlers
 * raise is answered in it, its routes' Fastify config names it (so what fails
 * before a handler runs — body parsing, a 405 at its path — is answered in it
 * too), its body DTOs are audited at boot, and the 401/403 bodies and security
 * schemes of its protected routes, and the 429 of its throttled ones, are
 * documented in it. `errors` words the
 * domain errors its handlers raise as the surface's library does; what it leaves
 * unmapped gets the dialect's plain answer.
 */
export const SurfaceDialect =
  (dialect: Dialect, errors?: SurfaceErrorMapper): ClassDecorator =>
  (target: object): void => {
    const controller = target as new (...args: unknown[]) => unknown;
    Reflect.defineMetadata(SURFACE_DIALECT, dialect, controller);
    if (dialect === 'fastapi') UseFilters(FastApiExceptionFilter)(controller);
    if (errors) RouteConfigEntry(SURFACE_ERRORS_ROUTE_CONFIG, errors)(controller);
    RouteConfigEntry(DIALECT_ROUTE_CONFIG, dialect)(controller);
    const documenters = [documentAccess, documentThrottling];
    for (const document of documenters) document(controller, undefined, dialect);
    // Class decorators run after method decorators: every handler exists by now.
    const prototype = controller.prototype as object;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
      if (name === 'constructor' || typeof descriptor?.value !== 'function') continue;
      for (const document of documenters) document(prototype, descriptor, dialect);
      // Only handlers with a plain class-validator body get a pipe: the others keep theirs.
      if (hasClassValidatorBody(controller, name)) {
        UsePipes(
          dialect === 'fastapi' ? new FastApiClassValidatorPipe() : new DrfClassValidatorPipe(),
        )(prototype, name, descriptor);
      }
    }
  };

/** Whether a handler's `@Body()` is a DTO declared with plain class-validator decorators. */
function hasClassValidatorBody(controller: object, method: string): boolean {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<
    string,
    { index: number }
  >;
  const types = (Reflect.getMetadata(
    'design:paramtypes',
    (controller as { prototype: object }).prototype,
    method,
  ) ?? []) as unknown[];
  return Object.entries(args).some(
    ([key, arg]) =>
      key.split(':')[0] === String(RouteParamtypes.BODY) && isClassValidatorDto(types[arg.index]),
  );
}
