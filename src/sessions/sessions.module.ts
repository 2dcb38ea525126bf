import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { User } from '../accounts/user.entity';
import { Session } from './session.entity';
import { SessionsService } from './sessions.service';
import { SessionViewsService } from './session-views.service';

/**
 * Sessions (docs/sessions.md): one per login on any surface, listed and ended by
 * their user or staff; the credential modules end their credentials with them. Global.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Session, User])],
  providers: [SessionsService, SessionViewsService],
  exports: [SessionsService, SessionViewsService],
})
export class SessionsModule {}
