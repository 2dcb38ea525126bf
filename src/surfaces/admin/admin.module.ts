import { Module } from '@nestjs/common';
import { AuditModule } from '../../audit/audit.module';
import { AccountProvidersController } from './account-providers.controller';
import { AuthEventsController } from './auth-events.controller';
import { UsersAdminController } from './users-admin.controller';
import { UsersAdminService } from './users-admin.service';
import { UserSessionsAdminController } from './user-sessions.controller';
import { UserMfaAdminController } from './user-mfa.controller';

/** Staff-only management: users, white-label account providers, the authentication audit log. */
@Module({
  imports: [AuditModule],
  controllers: [
    UsersAdminController,
    UserSessionsAdminController,
    UserMfaAdminController,
    AccountProvidersController,
    AuthEventsController,
  ],
  providers: [UsersAdminService],
})
export class AdminSurfaceModule {}
