import { Module } from '@nestjs/common';
import { DjoserController } from './djoser.controller';
import { DstoqController } from './dstoq.controller';
import { DjoserUsersController } from './djoser-users.controller';

/** djoser's JWT views, its UserViewSet, and DSTOQ's "who am I" endpoints (auth info, trading info). */
@Module({ controllers: [DjoserController, DstoqController, DjoserUsersController] })
export class DjoserSurfaceModule {}
