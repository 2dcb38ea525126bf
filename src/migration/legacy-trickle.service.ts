import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { MissedIdentities, type MissedLookup } from '../accounts/missed-identities';
import { GatehouseConfig } from '../config/gatehouse-config';
import { isSkipped } from './legacy-identity';
import type { LegacySourceName } from './legacy-import.entity';
import { LegacyImportService } from './legacy-import.service';
import type { LegacySource } from './legacy-sources';

/** After a legacy database failed, lookups are misses for this long before it is tried again. */
const RETRY_AFTER_MS = 30_000;

interface Configured {
  name: LegacySourceName;
  url: string;
  table: string;
  source?: Promise<LegacySource>;
  downUntil: number;
}

/**
 * Trickle mode (LEGACY_DJANGO_DATABASE_URL, LEGACY_FASTAPI_USERS_DATABASE_URL):
 * a lookup that misses in Gatehouse looks the identity up in the old service's
 * database and imports it (with its keys and blacklist rows), so users who
 * signed up or changed their password there after the bulk import are not lost.
 * A legacy database that cannot be reached makes the lookup a miss, logged.
 */
@Injectable()
export class LegacyTrickleService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('LegacyTrickle');
  private readonly sources: Configured[];

  constructor(
    config: GatehouseConfig,
    private readonly missed: MissedIdentities,
    private readonly importer: LegacyImportService,
  ) {
    const { django, fastapiUsers } = config.legacy ?? {};
    this.sources = [
      ...(django ? [{ name: 'django' as const, ...django, downUntil: 0 }] : []),
      ...(fastapiUsers ? [{ name: 'fastapi-users' as const, ...fastapiUsers, downUntil: 0 }] : []),
    ];
  }

  onModuleInit(): void {
    if (this.sources.length > 0) this.missed.register(this);
  }

  async onApplicationShutdown(): Promise<void> {
    for (const configured of this.sources) {
      const source = await configured.source?.catch(() => undefined);
      await source?.database.close();
    }
  }

  async importMissing(lookup: MissedLookup): Promise<boolean> {
    for (const configured of this.sources) {
      if (Date.now() < configured.downUntil) continue;
      try {
        configured.source ??= this.importer.openSource(
          configured.name,
          configured.url,
          configured.table,
        );
        const read = await (await configured.source).find(lookup);
        if (!read) continue;
        if (isSkipped(read)) {
          this.logger.warn(`${configured.name} row ${read.sourceId} not imported: ${read.reason}`);
          return false;
        }
        const [result, { outcome }] = await this.importer.importMissed(read, lookup);
        if (outcome === 'skipped') {
          this.logger.warn(
            `${configured.name} row ${read.sourceId} not imported: ${(result as { reason: string }).reason}`,
          );
          return false;
        }
        this.logger.log(
          `imported ${configured.name} row ${read.sourceId} on first use (${outcome})`,
        );
        return true;
      } catch (error) {
        // Unreachable, or gone since: a miss for now, and a new connection next time.
        this.logger.error(
          `legacy ${configured.name} database unavailable, lookup treated as a miss: ${(error as Error).message}`,
        );
        const failed = configured.source;
        configured.source = undefined;
        configured.downUntil = Date.now() + RETRY_AFTER_MS;
        void failed?.then((s) => s.database.close()).catch(() => undefined);
      }
    }
    return false;
  }
}
