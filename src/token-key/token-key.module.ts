import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '../accounts/accounts.module';
import { RegistrationModule } from '../registration/registration.module';
import { DashboardSession } from './dashboard-session.entity';
import { DashboardController } from './dashboard.controller';
import { DashboardService } from './dashboard.service';
import { RestAuthController } from './rest-auth.controller';
import { RestAuthService } from './rest-auth.service';
import { TokenKey } from './token-key.entity';
import { TokenKeyService } from './token-key.service';
import { TokenStrategy } from './token.strategy';
import { LogoutOnPasswordChangeListener } from './logout-on-password-change.listener';

/** Persistent `Token` keys (DRF authtoken), the `Token` header scheme, dj-rest-auth login and sign-up. */
@Module({
  imports: [
    AccountsModule,
    RegistrationModule,
    TypeOrmModule.forFeature([TokenKey, DashboardSession]),
  ],
  controllers: [RestAuthController, DashboardController],
  providers: [
    TokenKeyService,
    TokenStrategy,
    RestAuthService,
    DashboardService,
    LogoutOnPasswordChangeListener,
  ],
  exports: [TokenKeyService],
})
export class TokenKeyModule {}
