import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { GatehouseEvent, type PasswordChangedEvent } from '../events/gatehouse-events';
import { DashboardService } from './dashboard.service';

/**
 * A new password (changed, or reset through a mailed link) ends the user's
 * dashboard sessions and pending login-link tickets, whatever
 * LOGOUT_ON_PASSWORD_CHANGE says: a session someone else opened must not outlive
 * the password that let them in (as Django's update_session_auth_hash does for others).
 */
@Injectable()
export class EndSessionsOnPasswordChangeListener {
  constructor(private readonly dashboard: DashboardService) {}

  @OnEvent(GatehouseEvent.passwordChanged, { suppressErrors: false })
  async onPasswordChanged(event: PasswordChangedEvent): Promise<void> {
    await this.dashboard.closeAllFor(event.userId);
  }
}
