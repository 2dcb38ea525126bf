import { OnEvent } from '@nestjs/event-emitter';
import type { GatehouseConfig } from '../config/gatehouse-config';
import {
  GatehouseEvent,
  type PasswordChangedEvent,
  type TokenRevokedEvent,
} from './gatehouse-events';
import type { GatehouseEvents } from './gatehouse-events.service';

/** Whether a password change logs its user out everywhere (the surface's own setting first). */
export function logsOutEverywhere(
  config: Pick<GatehouseConfig, 'logoutOnPasswordChange'>,
  event: PasswordChangedEvent,
): boolean {
  return event.logout ?? config.logoutOnPasswordChange;
}

/**
 * LOGOUT_ON_PASSWORD_CHANGE: each module that issues a credential (refresh
 * tokens, Token keys) revokes a user's credentials of its kind when the
 * password changes, and announces it as `token.revoked`.
 */
export abstract class RevokeOnPasswordChange {
  protected abstract readonly kind: TokenRevokedEvent['kind'];

  constructor(
    private readonly config: GatehouseConfig,
    private readonly events: GatehouseEvents,
  ) {}

  /** Revokes every credential of this kind the user holds; returns how many. */
  protected abstract revokeAll(userId: number): Promise<number>;

  @OnEvent(GatehouseEvent.passwordChanged, { suppressErrors: false })
  async onPasswordChanged(event: PasswordChangedEvent): Promise<void> {
    if (!logsOutEverywhere(this.config, event)) return;
    const count = await this.revokeAll(event.userId);
    if (count === 0) return;
    await this.events.emit(GatehouseEvent.tokenRevoked, {
      userId: event.userId,
      kind: this.kind,
      reason: 'password_changed',
      count,
    });
  }
}
