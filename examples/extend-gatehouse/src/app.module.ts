import { type DynamicModule, Module } from '@nestjs/common';
import { type GatehouseConfig, GatehouseModule } from '@gatehouse-auth/nestjs';
import { AuditModule } from './audit/audit.module';
import { LoginAudit } from './audit/login-audit.entity';
import { CompanyNameValidator } from './department/company-name.validator';
import { DepartmentClaimsProvider } from './department/department-claims.provider';
import { Department } from './department/department.entity';
import { DepartmentModule } from './department/department.module';
import { DepartmentUserSerializer } from './department/department-user.serializer';
import { AcmeTables1800000000000 } from './migrations/1800000000000-acme-tables';

export const COMPANY_NAME = 'Acme';

/** Acme's auth service: all of Gatehouse, plus a department, a password rule and a login audit. */
@Module({})
export class AcmeAppModule {
  static forRoot(config: GatehouseConfig): DynamicModule {
    return {
      module: AcmeAppModule,
      imports: [
        GatehouseModule.forRoot({
          config,
          entities: [Department, LoginAudit],
          migrations: [AcmeTables1800000000000],
          jwtClaimsProvider: DepartmentClaimsProvider,
          userSerializer: DepartmentUserSerializer,
          passwordValidators: (defaults) => [...defaults, new CompanyNameValidator(COMPANY_NAME)],
        }),
        DepartmentModule,
        AuditModule,
      ],
    };
  }
}
