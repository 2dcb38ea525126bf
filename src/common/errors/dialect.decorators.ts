import { UseFilters } from '@nestjs/common';
import { FastApiExceptionFilter } from './fastapi-exception.filter';

/**
 * Marks a controller as speaking FastAPI's dialect. DRF's is the app-wide default
 * (installed by `configureApp`), so DRF controllers need no marker.
 */
export const FastApiDialect = (): ClassDecorator & MethodDecorator =>
  UseFilters(FastApiExceptionFilter);
