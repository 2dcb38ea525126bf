import { Injectable } from '@nestjs/common';
import { GatehouseEvents } from '../events/gatehouse-events.service';
import { RevokeOnPasswordChange } from '../events/revoke-on-password-change';
import { GatehouseConfig } from '../config/gatehouse-config';
import { TokenKeyService } from './token-key.service';

/** A new password revokes every Token key the user holds. */
@Injectable()
export class LogoutOnPasswordChangeListener extends RevokeOnPasswordChange {
  protected readonly kind = 'token_key';

  constructor(
    config: GatehouseConfig,
    events: GatehouseEvents,
    private readonly keys: TokenKeyService,
  ) {
    super(config, events);
  }

  protected revokeAll(userId: number): Promise<number> {
    return this.keys.revokeAllFor(userId);
  }
}
