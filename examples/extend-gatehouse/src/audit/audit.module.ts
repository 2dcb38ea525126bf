import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoginAudit } from './login-audit.entity';
import { LoginAuditListener } from './login-audit.listener';

@Module({
  imports: [TypeOrmModule.forFeature([LoginAudit])],
  providers: [LoginAuditListener],
})
export class AuditModule {}
