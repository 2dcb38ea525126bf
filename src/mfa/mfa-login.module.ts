import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MfaChallenge } from './mfa-challenge.entity';
import { MfaChallengeService } from './mfa-challenge.service';

/**
 * The second factor of every login endpoint (MfaChallengeService, installed in
 * LoginService); MfaModule (global) checks the codes.
 */
@Module({
  imports: [TypeOrmModule.forFeature([MfaChallenge])],
  providers: [MfaChallengeService],
  exports: [MfaChallengeService],
})
export class MfaLoginModule {}
