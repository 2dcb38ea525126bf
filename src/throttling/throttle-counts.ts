import { type HttpRequest, routeOf } from '../http/http-seam';
import type { EventEmitter2 } from '@nestjs/event-emitter';
import { routeDialect } from '../http/route-config';
import { DRF_MESSAGES, DrfException } from '../problems/drf.exception';
import { FASTAPI_REASONS, FastApiException } from '../problems/fastapi.exception';
import { GatehouseEvent, type RequestThrottledEvent } from '../events/gatehouse-events';
import type { ThrottleScope } from './throttle-scopes';

/** One count a request meets: its rate's name (`login`, `login_address`) and its store key. */
export interface ThrottleCountKey {
  name: string;
  key: string;
}

/**
 * The counts a request of a scope meets: its address's (`<scope>_address`) and,
 * when it names an account, that account's from this address (`<scope>`).
 */
export function countsFor(
  scope: ThrottleScope,
  address: string,
  identifier: string | undefined,
): ThrottleCountKey[] {
  const counts = [{ name: `${scope}_address`, key: `${scope}:address:${address}` }];
  if (identifier !== undefined) {
    counts.push({ name: scope, key: `${scope}:identifier:${address}|${identifier}` });
  }
  return counts;
}

/**
 * Announces a refused request (`request.throttled`, for the audit trail) and
 * makes the 429 in the route's dialect, with `Retry-After`.
 */
export async function throttledAnswer(
  emitter: EventEmitter2,
  request: HttpRequest,
  scope: ThrottleScope,
  address: string,
  retryAfter: number,
): Promise<Error> {
  const event: RequestThrottledEvent = {
    scope,
    path: routeOf(request)?.url ?? '',
    address,
    userAgent: request.headers['user-agent'],
  };
  // The audit trail's business; a listener's failure must not change the answer.
  await emitter.emitAsync(GatehouseEvent.requestThrottled, event).catch(() => undefined);
  const headers = { 'Retry-After': String(retryAfter) };
  if (routeDialect(request) === 'fastapi') {
    return new FastApiException(429, FASTAPI_REASONS[429], headers);
  }
  return DrfException.detail(429, DRF_MESSAGES.throttled(retryAfter), undefined, headers);
}
