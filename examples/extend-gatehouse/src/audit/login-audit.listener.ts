import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import { GatehouseEvent, type UserLoggedInEvent, type UserLoginFailedEvent } from '@gatehouse-auth/nestjs';
import { Repository } from 'typeorm';
import { LoginAudit } from './login-audit.entity';

/** Records Gatehouse's login events in our own table. */
@Injectable()
export class LoginAuditListener {
  constructor(@InjectRepository(LoginAudit) private readonly audit: Repository<LoginAudit>) {}

  @OnEvent(GatehouseEvent.userLoggedIn)
  async loggedIn(event: UserLoggedInEvent): Promise<void> {
    await this.audit.insert({
      event: 'logged_in',
      surface: event.surface,
      identifier: event.email,
      reason: null,
      userId: event.userId,
      at: new Date(),
    });
  }

  @OnEvent(GatehouseEvent.userLoginFailed)
  async loginFailed(event: UserLoginFailedEvent): Promise<void> {
    await this.audit.insert({
      event: 'login_failed',
      surface: event.surface,
      identifier: event.identifier.slice(0, 254),
      reason: event.reason,
      userId: event.userId ?? null,
      at: new Date(),
    });
  }
}
