import { Module } from '@nestjs/common';
import { AccountProvidersController } from './account-providers.controller';
import { UsersAdminController } from './users-admin.controller';
import { UsersAdminService } from './users-admin.service';

/** Staff-only management: users (`/api/users/`) and white-label account providers. */
@Module({
  controllers: [UsersAdminController, AccountProvidersController],
  providers: [UsersAdminService],
})
export class AdminSurfaceModule {}
