import { Inject, Injectable, Optional } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { HttpRequest } from '../http/http-seam';
import { GatehouseConfig } from '../config/gatehouse-config';
import type { CredentialCheck, CredentialChecks } from '../access/auth-scheme';
import { GatehouseEvent, type UserLoginFailedEvent } from '../events/gatehouse-events';
import { inRequestContext } from '../http/request-context';
import {
  accountIdentifier,
  clientAddress,
  THROTTLE_ACCOUNTS,
  type ThrottleAccounts,
} from './client-identity';
import { countsFor, throttledAnswer } from './throttle-counts';
import { throttleRate } from './throttle-scopes';
import { THROTTLE_STORE, type ThrottleStore } from './throttle-store';

/**
 * A scheme's credential checks under the logins' counts (the keys
 * `@Throttled('login', { account })` counts at POST /api/token/): refused while a
 * count is spent, counted only when the credential is refused — a check that
 * succeeds uses up nothing — and each refusal a `user.login_failed` (so a row in
 * `auth_events`). As at a login endpoint, the account's count is per address:
 * an attacker elsewhere never locks its owner out.
 */
@Injectable()
export class LoginCountedCredentialChecks implements CredentialChecks {
  constructor(
    private readonly config: GatehouseConfig,
    @Inject(THROTTLE_STORE) private readonly store: ThrottleStore,
    private readonly emitter: EventEmitter2,
    @Optional() @Inject(THROTTLE_ACCOUNTS) private readonly accounts?: ThrottleAccounts,
  ) {}

  async begin(request: HttpRequest, scheme: string, identifier?: string): Promise<CredentialCheck> {
    const address = clientAddress(request);
    const typed = identifier?.trim() || undefined;
    const counts = countsFor(
      'login',
      address,
      typed === undefined ? undefined : await accountIdentifier(typed, this.accounts),
    );
    // Spent when the next attempt would be refused: the one a login endpoint refuses.
    const now = await this.store.peek(counts.map((count) => count.key));
    const spent = Math.max(
      0,
      ...now.map((count, i) =>
        count.hits >= throttleRate(this.config, counts[i].name).limit ? count.retryAfter : 0,
      ),
    );
    if (spent > 0) throw await throttledAnswer(this.emitter, request, 'login', address, spent);
    return { refused: () => this.refused(request, scheme, typed, address, counts) };
  }

  private async refused(
    request: HttpRequest,
    scheme: string,
    identifier: string | undefined,
    address: string,
    counts: ReturnType<typeof countsFor>,
  ): Promise<void> {
    let retryAfter = 0;
    for (const { name, key } of counts) {
      const rate = throttleRate(this.config, name);
      const hit = await this.store.hit(key, rate.limit, rate.seconds * 1000);
      if (!hit.allowed) retryAfter = Math.max(retryAfter, hit.retryAfter);
    }
    const event: UserLoginFailedEvent = {
      surface: `scheme:${scheme}`,
      identifier: identifier ?? '',
      reason: 'bad_credentials',
    };
    // A safe read runs outside a request context: the audit row still names its client.
    await inRequestContext(request, () =>
      this.emitter.emitAsync(GatehouseEvent.userLoginFailed, event),
    );
    // Concurrent guesses may pass `begin` together: the one past the count is refused as such.
    if (retryAfter > 0)
      throw await throttledAnswer(this.emitter, request, 'login', address, retryAfter);
  }
}
