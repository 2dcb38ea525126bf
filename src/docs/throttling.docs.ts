import type { Dialect } from '../http/route-config';
import { DRF_MESSAGES } from '../problems/drf.exception';
import { FASTAPI_REASONS } from '../problems/fastapi.exception';
import { THROTTLE_SCOPE } from '../throttling/throttle-scopes';
import { documentHandlerOrClass, DrfResponse, FastApiResponse } from './responses';

const THROTTLED = 'Throttled: too many requests from this address, or for this account from it';
const RETRY_AFTER = {
  'Retry-After': {
    description: 'Seconds until the count starts over and the request may be sent again',
    schema: { type: 'integer', example: 60 },
  },
} as const;

/** The 429 the guard answers, in the dialect's words, with `Retry-After`. Made afresh per use. */
function throttledResponse(dialect: Dialect) {
  return dialect === 'fastapi'
    ? FastApiResponse(429, THROTTLED, { Throttled: { detail: FASTAPI_REASONS[429] } }, RETRY_AFTER)
    : DrfResponse(
        429,
        THROTTLED,
        { Throttled: { detail: DRF_MESSAGES.throttled(60) } },
        RETRY_AFTER,
      );
}

/**
 * Documents the 429 of a throttled handler (or of every handler of a throttled
 * controller) in its surface's dialect. Called by `@SurfaceDialect()`, which
 * knows the dialect, as the 401/403 bodies are.
 */
export function documentThrottling(
  target: object,
  descriptor: PropertyDescriptor | undefined,
  dialect: Dialect,
): void {
  const holder = (descriptor?.value ?? target) as object;
  if (Reflect.getOwnMetadata(THROTTLE_SCOPE, holder) === undefined) return;
  documentHandlerOrClass([throttledResponse(dialect)], target, descriptor);
}
