import { Module } from '@nestjs/common';
import { LegacyImportService } from './legacy-import.service';
import { LegacyTrickleService } from './legacy-trickle.service';

/**
 * Moving a live Django or fastapi-users deployment over: the bulk imports
 * (`import:django`, `import:fastapi-users`) and trickle lookups in a legacy database.
 */
@Module({
  providers: [LegacyImportService, LegacyTrickleService],
  exports: [LegacyImportService],
})
export class MigrationModule {}
