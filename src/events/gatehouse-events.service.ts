import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import {
  GatehouseEvent,
  type GatehouseEventMap,
  type EventUser,
  type Surface,
  type UserLoginFailedEvent,
  userRef,
} from './gatehouse-events';

/**
 * Emits Gatehouse's lifecycle events with their typed payloads and waits for
 * the listeners, so a listener's work (revoking sessions, writing an audit row)
 * is done before the HTTP answer goes out.
 */
@Injectable()
export class GatehouseEvents {
  constructor(private readonly emitter: EventEmitter2) {}

  async emit<K extends keyof GatehouseEventMap>(
    name: K,
    payload: GatehouseEventMap[K],
  ): Promise<void> {
    await this.emitter.emitAsync(name, payload);
  }

  /** `user.logged_in`, from any surface's login. */
  loggedIn(surface: Surface, user: EventUser): Promise<void> {
    return this.emit(GatehouseEvent.userLoggedIn, { ...userRef(user), surface });
  }

  /** `user.logged_out`, from any surface's logout. */
  loggedOut(surface: Surface, user: EventUser): Promise<void> {
    return this.emit(GatehouseEvent.userLoggedOut, { ...userRef(user), surface });
  }

  /**
   * `user.login_failed`: the reason is derived from the user the identifier
   * named (null: unknown, or a wrong password) unless the caller names it.
   */
  loginFailed(
    surface: Surface,
    identifier: string,
    user: EventUser | null,
    reason: UserLoginFailedEvent['reason'] = !user
      ? 'bad_credentials'
      : !user.isActive
        ? 'inactive'
        : 'blocked',
  ): Promise<void> {
    return this.emit(GatehouseEvent.userLoginFailed, {
      surface,
      identifier,
      reason,
      ...(user ? { userId: user.id } : {}),
    });
  }
}
