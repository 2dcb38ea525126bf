import { Injectable } from '@nestjs/common';
import { GatehouseEvents } from '../events/gatehouse-events.service';
import { RevokeOnPasswordChange } from '../events/revoke-on-password-change';
import { GatehouseConfig } from '../config/gatehouse-config';
import { JwtTokenService } from './jwt-token.service';

/** A new password blacklists every refresh token the user holds. */
@Injectable()
export class LogoutOnPasswordChangeListener extends RevokeOnPasswordChange {
  protected readonly kind = 'refresh_token';

  constructor(
    config: GatehouseConfig,
    events: GatehouseEvents,
    private readonly tokens: JwtTokenService,
  ) {
    super(config, events);
  }

  protected revokeAll(userId: number): Promise<number> {
    return this.tokens.blacklistAllFor(userId);
  }
}
