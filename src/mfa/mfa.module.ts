import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MfaService } from './mfa.service';
import { MfaViewsService } from './mfa-views';
import { RecoveryCode } from './recovery-code.entity';
import { TotpDevice } from './totp-device.entity';

/**
 * Multi-factor login (docs/mfa.md): TOTP devices and recovery codes, enrolled
 * through each surface's `<me>/mfa/` and checked by its logins. Global: the
 * login flows and the CLI ask it whether a user has MFA on.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([TotpDevice, RecoveryCode])],
  providers: [MfaService, MfaViewsService],
  exports: [MfaService, MfaViewsService],
})
export class MfaModule {}
