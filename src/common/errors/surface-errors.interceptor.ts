import {
  type CallHandler,
  type ExecutionContext,
  type HttpException,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { catchError, type Observable, throwError } from 'rxjs';
import { DomainError } from './domain.errors';

/**
 * A surface's wording of domain errors: its library's exact answer, or
 * undefined to leave the error to the dialect's plain rendering.
 */
export type SurfaceErrorMapper = (error: DomainError) => HttpException | undefined;

/** Turns what a surface's handlers raise into its library's answers (see `SurfaceDialect`). */
@Injectable()
export class SurfaceErrorsInterceptor implements NestInterceptor {
  constructor(private readonly mapper: SurfaceErrorMapper) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next
      .handle()
      .pipe(
        catchError((error: unknown) =>
          throwError(() => (error instanceof DomainError && this.mapper(error)) || error),
        ),
      );
  }
}
