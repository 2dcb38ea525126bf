import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DashboardSession } from './dashboard-session.entity';
import { DashboardService } from './dashboard.service';
import { EndSessionsOnPasswordChangeListener } from './end-sessions-on-password-change.listener';
import { LogoutOnPasswordChangeListener } from './logout-on-password-change.listener';
import { TokenKey } from './token-key.entity';
import { TokenKeyService } from './token-key.service';
import { TokenStrategy } from './token.strategy';

/**
 * Persistent `Token` keys (DRF authtoken) and the `Token` header scheme,
 * the dashboard session. Global.
 */
@Module({})
export class TokenKeyModule {
  static forRoot(): DynamicModule {
    return {
      global: true,
      module: TokenKeyModule,
      imports: [TypeOrmModule.forFeature([TokenKey, DashboardSession])],
      providers: [
        TokenKeyService,
        TokenStrategy,
        DashboardService,
        LogoutOnPasswordChangeListener,
        EndSessionsOnPasswordChangeListener,
      ],
      exports: [TokenKeyService, DashboardService],
    };
  }
}
