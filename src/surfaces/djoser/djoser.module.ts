import { Module } from '@nestjs/common';
import { DjoserController } from './djoser.controller';
import { DstoqController } from './dstoq.controller';
import { DjoserUsersController } from './djoser-users.controller';
import { DjoserSessionsController } from './sessions.controller';
import { DjoserMfaController } from './mfa.controller';

/** djoser's JWT views, its UserViewSet, DSTOQ's "who am I" endpoints (auth info, trading info) and the caller's sessions. */
@Module({
  controllers: [
    DjoserController,
    DstoqController,
    DjoserUsersController,
    DjoserSessionsController,
    DjoserMfaController,
  ],
})
export class DjoserSurfaceModule {}
