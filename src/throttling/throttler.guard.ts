import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  Optional,
} from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { HttpRequest } from '../http/http-seam';
import { GatehouseConfig } from '../config/gatehouse-config';
import { handlerMetadata } from '../http/handler-metadata';
import {
  clientAddress,
  requestIdentifier,
  THROTTLE_ACCOUNTS,
  type ThrottleAccounts,
  type ThrottleIdentity,
} from './client-identity';
import {
  COUNTED_ACROSS_ADDRESSES,
  THROTTLE_IDENTITY,
  THROTTLE_SCOPE,
  type ThrottleScope,
  throttleRate,
} from './throttle-scopes';
import { countsFor, throttledAnswer } from './throttle-counts';
import { THROTTLE_STORE, type ThrottleStore } from './throttle-store';

/**
 * Throttles handlers marked `@Throttled(scope, identity)`: one count per client
 * address (`<scope>_address`), one per (address, account) (`<scope>`) — so an
 * attacker hammering an account from one address is stopped there while its
 * owner, from another address, still logs in (no lockout), and spraying many
 * accounts from one address meets the per-address count. Mail is also counted per
 * account across addresses (`mail_account`). Answers 429 in the route's dialect
 * with `Retry-After`; no X-RateLimit headers (the Python peers send none). Runs
 * after the AuthGuard (registered first), so an authenticated route counts its user.
 */
@Injectable()
export class ThrottlerGuard implements CanActivate {
  constructor(
    private readonly config: GatehouseConfig,
    @Inject(THROTTLE_STORE) private readonly store: ThrottleStore,
    private readonly emitter: EventEmitter2,
    @Optional() @Inject(THROTTLE_ACCOUNTS) private readonly accounts?: ThrottleAccounts,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const scope = throttleScopeOf(context);
    // Unthrottled routes (most of them) answer at once, without a promise.
    if (scope === undefined || context.getType() !== 'http') return true;
    return this.throttle(context, scope);
  }

  private async throttle(context: ExecutionContext, scope: ThrottleScope): Promise<boolean> {
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const address = clientAddress(request);
    const identity = handlerMetadata<ThrottleIdentity>(THROTTLE_IDENTITY, context) ?? {};
    // A credential check counts the account it checks, however it is typed; a mail
    // goes to the address as typed (case aside), which is what its count caps.
    const accounts = scope === 'login' ? this.accounts : undefined;
    const identifier = await requestIdentifier(request, identity, accounts);

    const counts = countsFor(scope, address, identifier);
    let retryAfter = 0;
    for (const { name, key } of counts)
      retryAfter = Math.max(retryAfter, await this.hit(name, key));
    // Across addresses, only what the other counts let through: refused requests
    // from one address must not use up the account's count for everyone else.
    if (retryAfter === 0 && identifier !== undefined && COUNTED_ACROSS_ADDRESSES.has(scope)) {
      retryAfter = await this.hit(`${scope}_account`, `${scope}:account:${identifier}`);
    }
    if (retryAfter === 0) return true;
    throw await throttledAnswer(this.emitter, request, scope, address, retryAfter);
  }

  /** One hit on a count: 0 when allowed, else the seconds until it starts over. */
  private async hit(name: string, key: string): Promise<number> {
    const rate = throttleRate(this.config, name);
    const hit = await this.store.hit(key, rate.limit, rate.seconds * 1000);
    return hit.allowed ? 0 : hit.retryAfter;
  }
}

/** The scope a handler (or its controller) is throttled under, if any. */
function throttleScopeOf(context: ExecutionContext): ThrottleScope | undefined {
  return handlerMetadata<ThrottleScope>(THROTTLE_SCOPE, context);
}
