import type { INestApplicationContext } from '@nestjs/common';
import { type CommandSpec, UsageError } from './command';
import { DjangoExportService, type ExportSummary } from '../migration/django-export';
import { ImportProgress } from '../migration/import-progress';
import { LegacyDatabaseError, openLegacyDatabase } from '../migration/legacy-database';

export const exportDjangoCommand: CommandSpec = {
  name: 'export:django',
  usage: 'export:django --database-url URL [--user-table auth_user]',
  description:
    "Writes every user into a Django database (sqlite:<path> or postgres://…, one Django's migrate made): " +
    'auth_user rows with their ids, flags, dates and passwords in a form Django verifies, and allauth ' +
    'primary addresses with their verified flag. A row of the same id is updated. DRF Token keys are ' +
    'not written: Gatehouse keeps only their SHA-256.',
  options: {
    'database-url': { type: 'string' },
    'user-table': { type: 'string' },
  },
  help: [
    '--database-url URL            the Django database to write into (sqlite:<path> or postgres://…)',
    "--user-table T                the user model's table (default auth_user)",
  ],
  async run(app: INestApplicationContext, values) {
    const url = values['database-url'];
    if (typeof url !== 'string' || !url) throw new UsageError('--database-url is required');
    const table = (values['user-table'] as string | undefined) ?? 'auth_user';
    const progress = new ImportProgress('export:django');
    let target;
    try {
      target = await openLegacyDatabase(url, { writable: true });
    } catch (error) {
      if (error instanceof LegacyDatabaseError) throw new UsageError(error.message);
      throw error;
    }
    try {
      const summary = await app.get(DjangoExportService).exportAll(target, {
        table,
        onProgress: (done, total) => progress.update(done, total),
        onSkip: (id, reason) => progress.skipped(String(id), reason),
      });
      return { text: describeExport(summary, table), json: exportJson(summary) };
    } catch (error) {
      if (error instanceof LegacyDatabaseError) throw new UsageError(error.message);
      throw error;
    } finally {
      await target.close();
    }
  },
};

function describeExport(summary: ExportSummary, table: string): string {
  const lines = [
    `exported to ${table}: created ${summary.created}, updated ${summary.updated}, skipped ${summary.skipped}; ` +
      `${summary.emailAddresses} allauth e-mail addresses`,
  ];
  if (summary.tokenKeysNotExported > 0) {
    lines.push(
      `  ${summary.tokenKeysNotExported} DRF Token keys not exported: Gatehouse keeps only their SHA-256; ` +
        'their holders need new keys from Django',
    );
  }
  if (summary.bcryptUsers > 0) {
    lines.push(
      `  ${summary.bcryptUsers} users have a bcrypt hash (bcrypt$$2b$…): add ` +
        "django.contrib.auth.hashers.BCryptPasswordHasher to Django's PASSWORD_HASHERS",
    );
  }
  if (summary.sequenceProblem) {
    lines.push(`  the id sequence of ${table} was not moved: ${summary.sequenceProblem}`);
  }
  return lines.join('\n');
}

function exportJson(summary: ExportSummary) {
  return {
    created: summary.created,
    updated: summary.updated,
    skipped: summary.skipped,
    email_addresses: summary.emailAddresses,
    bcrypt_users: summary.bcryptUsers,
    token_keys_not_exported: summary.tokenKeysNotExported,
    sequence_problem: summary.sequenceProblem ?? null,
  };
}
