import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LegacyImport } from './legacy-import.entity';
import { DjangoExportService } from './django-export';
import { LegacyImportService } from './legacy-import.service';
import { LegacyTrickleService } from './legacy-trickle.service';
import { UserIdRange } from './user-id-range';

/**
 * Moving a live Django or fastapi-users deployment over: the bulk imports
 * (`import:django`, `import:fastapi-users`), the way back (`export:django`) and trickle lookups in a legacy database.
 */
@Module({
  imports: [TypeOrmModule.forFeature([LegacyImport])],
  providers: [LegacyImportService, LegacyTrickleService, DjangoExportService, UserIdRange],
  exports: [LegacyImportService, DjangoExportService],
})
export class MigrationModule {}
