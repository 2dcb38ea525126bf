import { Module } from '@nestjs/common';
import { AccountProvidersController } from '../accounts/account-providers.controller';
import { DstoqController } from '../accounts/dstoq.controller';
import { DjoserController } from './djoser.controller';

/** Seed 000's surface: djoser's JWT views, DSTOQ's "who am I" endpoints, white-label providers. */
@Module({ controllers: [DjoserController, DstoqController, AccountProvidersController] })
export class DjoserSurfaceModule {}
