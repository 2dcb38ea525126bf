import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthEventsController } from '../surfaces/admin/auth-events.controller';
import { AuthEvent } from './auth-event.entity';
import { AuditService } from './audit.service';

/** `auth_events`: every authentication event with address and user agent, its staff API and retention. */
@Module({
  imports: [TypeOrmModule.forFeature([AuthEvent])],
  controllers: [AuthEventsController],
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule {}
