import { Module } from '@nestjs/common';
import { LegacyImportService } from './legacy-import.service';

/**
 * Moving a live Django or fastapi-users deployment over: the bulk imports
 * (`import:django`, `import:fastapi-users`) and trickle lookups in a legacy database.
 */
@Module({
  providers: [LegacyImportService],
  exports: [LegacyImportService],
})
export class MigrationModule {}
