import type { INestApplicationContext } from '@nestjs/common';
import type { CommandSpec } from './command';
import { UsageError } from './command';
import { LegacyDatabaseError } from '../migration/legacy-database';
import type { LegacySourceName } from '../migration/legacy-import.entity';
import { type ImportSummary, LegacyImportService } from '../migration/legacy-import.service';
import { ImportProgress } from '../migration/import-progress';

function importCommand(source: LegacySourceName, defaultTable: string, reads: string): CommandSpec {
  return {
    name: `import:${source}`,
    usage: `import:${source} --database-url URL [--user-table ${defaultTable}] [--dry-run]`,
    description: `Imports ${reads} from a ${source === 'django' ? 'Django' : 'fastapi-users'} database (sqlite:<path> or postgres://…, opened read-only). Re-runs update changed rows only; --dry-run writes nothing.`,
    options: {
      'database-url': { type: 'string' },
      'user-table': { type: 'string' },
      'dry-run': { type: 'boolean' },
    },
    async run(app: INestApplicationContext, values) {
      const url = values['database-url'];
      if (typeof url !== 'string' || !url) throw new UsageError('--database-url is required');
      const table = (values['user-table'] as string | undefined) ?? defaultTable;
      const dryRun = values['dry-run'] === true;
      const importer = app.get(LegacyImportService);
      let legacy;
      try {
        legacy = await importer.openSource(source, url, table);
      } catch (error) {
        if (error instanceof LegacyDatabaseError) throw new UsageError(error.message);
        throw error;
      }
      const progress = new ImportProgress(`import:${source}`);
      try {
        const summary = await importer.importAll(legacy, {
          dryRun,
          onProgress: (done, total) => progress.update(done, total),
          onSkip: (row) => progress.skipped(row.sourceId, row.reason),
        });
        return {
          text: describeSummary(summary, dryRun),
          json: {
            dry_run: dryRun,
            created: summary.created,
            updated: summary.updated,
            unchanged: summary.unchanged,
            skipped: summary.skipped,
            skipped_reasons: Object.fromEntries(summary.skippedReasons),
          },
        };
      } finally {
        await legacy.database.close();
      }
    },
  };
}

function describeSummary(summary: ImportSummary, dryRun: boolean): string {
  const lines = [
    `${dryRun ? 'dry run, nothing written: would have ' : ''}created ${summary.created}, updated ${summary.updated}, unchanged ${summary.unchanged}, skipped ${summary.skipped}`,
  ];
  for (const [reason, count] of summary.skippedReasons) lines.push(`  skipped ${count}: ${reason}`);
  return lines.join('\n');
}

export const importDjangoCommand = importCommand(
  'django',
  'auth_user',
  'users, DRF Token keys, SimpleJWT refresh-token records and blacklist, and allauth verified addresses',
);

export const importFastapiUsersCommand = importCommand('fastapi-users', 'user', 'users');
