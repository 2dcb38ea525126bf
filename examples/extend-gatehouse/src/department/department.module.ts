import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Department } from './department.entity';
import { DepartmentService } from './department.service';

/**
 * Global, because Gatehouse instantiates our claims provider and serializer
 * inside its own modules: their dependencies must be visible there.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Department])],
  providers: [DepartmentService],
  exports: [DepartmentService],
})
export class DepartmentModule {}
