import { Module } from '@nestjs/common';
import { UsersAdminController } from '../accounts/users-admin.controller';
import { SimpleJwtController } from './simplejwt.controller';

/** Seed 004's surface: SimpleJWT's token views and the `*` admin user endpoints. */
@Module({ controllers: [SimpleJwtController, UsersAdminController] })
export class SimpleJwtSurfaceModule {}
