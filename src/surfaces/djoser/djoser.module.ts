import { Module } from '@nestjs/common';
import { DjoserController } from './djoser.controller';
import { DstoqController } from './dstoq.controller';

/** djoser's JWT views and DSTOQ's "who am I" endpoints (auth info, trading info). */
@Module({ controllers: [DjoserController, DstoqController] })
export class DjoserSurfaceModule {}
