import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { SURFACE_DIALECT } from './dialect.decorators';
import { isClassValidatorDto } from './class-validator-body';
import { isDrfSerializer } from './drf/drf-fields';

/**
 * Validation fails closed: a surface handler's `@Body()` must be a DTO its
 * dialect validates (a DRF serializer; FastAPI routes read bodies through
 * `@FastApiBody()`, or a DTO declared with class-validator decorators, which
 * `@SurfaceDialect()` validates in its dialect), or be declared unchecked with `@UncheckedBody()`. Anything
 * else would reach the handler unvalidated, so the app refuses to boot.
 */
@Injectable()
export class SurfaceValidationAudit implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  onModuleInit(): void {
    const unchecked: string[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const type = wrapper.metatype as (new (...args: never[]) => object) | undefined;
      if (!type || !Reflect.hasMetadata(SURFACE_DIALECT, type)) continue;
      const prototype = type.prototype as Record<string, unknown>;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, type, method) ?? {}) as Record<
          string,
          { index: number }
        >;
        const types = (Reflect.getMetadata('design:paramtypes', prototype, method) ??
          []) as unknown[];
        for (const [key, arg] of Object.entries(args)) {
          if (key.split(':')[0] !== String(RouteParamtypes.BODY)) continue;
          const dto = types[arg.index];
          if (!isDrfSerializer(dto) && !isClassValidatorDto(dto))
            unchecked.push(`${type.name}.${method}`);
        }
      }
    }
    if (unchecked.length > 0) {
      throw new Error(
        `@Body() without a DTO the surface validates (declare DRF fields or class-validator decorators, or use @UncheckedBody()): ${unchecked.join(', ')}`,
      );
    }
  }
}
