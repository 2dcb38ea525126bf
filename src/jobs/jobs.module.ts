import { Global, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JobLease } from './job-lease.entity';
import { JobLockService } from './job-lock.service';
import { TokenFlushService } from './token-flush.service';

/**
 * Scheduled jobs (`@nestjs/schedule`): the token flush (which other modules
 * extend with their own expired rows), and the leases that keep each job on
 * one instance at a time.
 */
@Global()
@Module({
  imports: [ScheduleModule.forRoot(), TypeOrmModule.forFeature([JobLease])],
  providers: [JobLockService, TokenFlushService],
  exports: [JobLockService, TokenFlushService],
})
export class JobsModule {}
