import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthEvent } from './auth-event.entity';
import { AuditService } from './audit.service';

/**
 * `auth_events`: every authentication event with address and user agent, and its
 * retention; the admin surface serves it to staff (`GET /api/auth-events/`).
 */
@Module({
  imports: [TypeOrmModule.forFeature([AuthEvent])],
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule {}
