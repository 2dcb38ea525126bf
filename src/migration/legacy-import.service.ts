import { randomUUID } from 'node:crypto';
import { sha256Hex } from '../infra/crypto/sha256';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import { PasswordHasherService } from '../accounts/password-hasher.service';
import { type ImportedUser, type ImportTarget, UsersService } from '../accounts/users.service';
import { type MissedLookup, lookupKind, typedIdentifier } from '../accounts/missed-identities';
import { GatehouseEvent, type UserEventPayload, userRef } from '../events/gatehouse-events';
import { GatehouseEvents } from '../events/gatehouse-events.service';
import { BlacklistedToken } from '../jwt-auth/blacklisted-token.entity';
import { OutstandingToken } from '../jwt-auth/outstanding-token.entity';
import { backfillSessions } from '../database/session-backfill';
import { TokenKey } from '../token-key/token-key.entity';
import { storedKeyFields } from '../token-key/token-key.service';
import { bulkWrite } from '../database/bulk-write';
import { openLegacyDatabase } from './legacy-database';
import {
  identityDigest,
  isSkipped,
  type LegacyIdentity,
  type LegacyRead,
  type SkippedRow,
} from './legacy-identity';
import { LegacyImport, type LegacySourceName } from './legacy-import.entity';
import { DjangoSource, FastapiUsersSource, type LegacySource } from './legacy-sources';
import { UserIdRange } from './user-id-range';

/** Name of the Token keys that came from DRF's authtoken table (replaced when the source's key changes). */
export const IMPORTED_KEY_NAME = 'drf authtoken (imported)';
export const DEFAULT_BATCH_SIZE = 1000;

export type ImportOutcome = 'created' | 'updated' | 'unchanged' | 'skipped';

/** What became of one row: its outcome and, when it was written, the user it is now. */
export interface RowResult {
  outcome: ImportOutcome;
  user?: UserEventPayload;
}

export interface ImportSummary {
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  /** How many rows were skipped for each reason (the rows themselves are reported as they come). */
  skippedReasons: Map<string, number>;
}

export interface ImportOptions {
  dryRun?: boolean;
  batchSize?: number;
  /** Told after every batch: rows done so far of the total. */
  onProgress?(done: number, total: number): void;
  /** Told of every skipped row, when it is skipped. */
  onSkip?(row: SkippedRow): void;
}

/** Raised inside a dry run's transaction so that nothing it wrote is kept. */
class DryRunRollback extends Error {}

/**
 * Imports users with their DRF keys and SimpleJWT refresh-token records from a
 * Django or fastapi-users database. A transaction per batch; a re-run updates
 * only rows that changed at the source (the digest in `legacy_imports`) and
 * never duplicates; a row Gatehouse cannot take is skipped with its reason.
 */
@Injectable()
export class LegacyImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasherService,
    private readonly events: GatehouseEvents,
    private readonly idRange: UserIdRange,
  ) {}

  /** Opens a legacy database (read-only) as a source of the given kind. */
  async openSource(name: LegacySourceName, url: string, table: string): Promise<LegacySource> {
    const database = await openLegacyDatabase(url);
    const canStore = (encoded: string) => this.hasher.canStore(encoded);
    try {
      return name === 'django'
        ? await DjangoSource.open(database, table, canStore)
        : await FastapiUsersSource.open(database, table, canStore);
    } catch (error) {
      await database.close();
      throw error;
    }
  }

  /**
   * The bulk import: every row of the source, in pk order, a batch per
   * transaction; announced once with its counts (a dry run, which keeps nothing, is not).
   */
  async importAll(source: LegacySource, options: ImportOptions): Promise<ImportSummary> {
    const summary: ImportSummary = {
      created: 0,
      updated: 0,
      unchanged: 0,
      skipped: 0,
      skippedReasons: new Map(),
    };
    const total = await source.count();
    const size = options.batchSize ?? DEFAULT_BATCH_SIZE;
    let done = 0;
    for (let cursor: string | null = null; ;) {
      const batch = await source.batch(cursor, size);
      if (batch.reads.length === 0) break;
      for (const [read, { outcome }] of await this.importBatch(
        batch.reads,
        options.dryRun ?? false,
      )) {
        summary[outcome]++;
        if (outcome === 'skipped') {
          const skipped = read as SkippedRow;
          options.onSkip?.(skipped);
          summary.skippedReasons.set(
            reasonKind(skipped.reason),
            (summary.skippedReasons.get(reasonKind(skipped.reason)) ?? 0) + 1,
          );
        }
      }
      done += batch.reads.length;
      options.onProgress?.(done, Math.max(total, done));
      cursor = batch.cursor;
    }
    if (!options.dryRun) {
      const { created, updated, unchanged, skipped } = summary;
      await this.events.emit(GatehouseEvent.legacyImported, {
        source: source.name,
        created,
        updated,
        unchanged,
        skipped,
      });
    }
    return summary;
  }

  /**
   * Trickle mode: imports the one identity a lookup missed on, announced as
   * `user.imported` when it wrote the user (not when it was there, unchanged).
   */
  async importMissed(
    identity: LegacyIdentity,
    lookup: MissedLookup,
  ): Promise<[LegacyRead, RowResult]> {
    const [[read, result]] = await this.importBatch([identity]);
    const { outcome, user } = result;
    if (user && (outcome === 'created' || outcome === 'updated')) {
      const identifier = typedIdentifier(lookup);
      await this.events.emit(GatehouseEvent.userImported, {
        ...user,
        source: identity.source,
        outcome,
        via: lookupKind(lookup),
        ...(identifier !== undefined ? { identifier } : {}),
      });
    }
    return [read, result];
  }

  /**
   * Imports some rows in one transaction; when it fails as a whole (a row that
   * breaks a constraint the checks did not foresee), each row in its own, so one
   * bad row is skipped with the database's reason and no user is half-written.
   */
  async importBatch(
    reads: readonly LegacyRead[],
    dryRun = false,
  ): Promise<Map<LegacyRead, RowResult>> {
    try {
      return await this.inTransaction(reads, dryRun);
    } catch (error) {
      if (reads.length === 1) {
        const [read] = reads;
        return new Map([
          [
            { sourceId: read.sourceId, reason: `not stored: ${(error as Error).message}` },
            { outcome: 'skipped' },
          ],
        ]);
      }
      const outcomes = new Map<LegacyRead, RowResult>();
      for (const read of reads) {
        for (const [r, result] of await this.importBatch([read], dryRun)) outcomes.set(r, result);
      }
      return outcomes;
    }
  }

  private async inTransaction(
    reads: readonly LegacyRead[],
    dryRun: boolean,
  ): Promise<Map<LegacyRead, RowResult>> {
    let outcomes = new Map<LegacyRead, RowResult>();
    try {
      await this.dataSource.transaction(async (manager) => {
        outcomes = await this.write(manager, reads);
        if (dryRun) throw new DryRunRollback();
      });
    } catch (error) {
      if (!(error instanceof DryRunRollback)) throw error;
    }
    return outcomes;
  }

  private async write(
    manager: EntityManager,
    reads: readonly LegacyRead[],
  ): Promise<Map<LegacyRead, RowResult>> {
    const outcomes = new Map<LegacyRead, RowResult>();
    const identities: LegacyIdentity[] = [];
    for (const read of reads) {
      if (isSkipped(read)) outcomes.set(read, { outcome: 'skipped' });
      else identities.push(read);
    }
    if (identities.length === 0) return outcomes;
    const source = identities[0].source;

    const logged = new Map(
      (
        await manager.getRepository(LegacyImport).findBy({
          source,
          sourceId: In(identities.map((i) => i.sourceId)),
        })
      ).map((row) => [row.sourceId, row]),
    );
    const targets = await this.users.findImportTargets(manager, {
      ids: identities.flatMap((i) => (i.user.id !== undefined ? [i.user.id] : [])),
      uuids: identities.flatMap((i) => (i.user.uuid !== undefined ? [i.user.uuid] : [])),
      emails: identities.map((i) => i.user.email),
      usernames: identities.map((i) => i.user.username),
    });
    const byId = new Map(targets.map((t) => [t.id, t]));
    const byUuid = new Map(targets.map((t) => [t.uuid, t]));
    const byEmail = new Map(targets.map((t) => [t.email.toLowerCase(), t]));
    const byUsername = new Map(targets.map((t) => [t.username, t]));

    const toWrite: { identity: LegacyIdentity; row: ImportedUser; outcome: ImportOutcome }[] = [];
    const claimedEmails = new Map<string, string>();
    const claimedUsernames = new Map<string, string>();
    const unchanged: LegacyIdentity[] = [];
    const digests = new Map<LegacyIdentity, string>();
    for (const identity of identities) {
      const skip = (reason: string) =>
        outcomes.set({ sourceId: identity.sourceId, reason }, { outcome: 'skipped' });
      const target: ImportTarget | undefined =
        identity.user.id !== undefined
          ? byId.get(identity.user.id)
          : byUuid.get(identity.user.uuid as string);
      const digest = identityDigest(identity);
      digests.set(identity, digest);
      const entry = logged.get(identity.sourceId);
      // An id Gatehouse gave someone else (a sign-up, another source's import) while the
      // legacy service kept handing out its own: never overwrite that person.
      if (target && entry?.userId !== target.id) {
        skip(`id ${target.id} belongs to another Gatehouse user`);
        continue;
      }
      if (target && entry && entry.userId === target.id && entry.digest === digest) {
        outcomes.set(identity, { outcome: 'unchanged' });
        unchanged.push(identity);
        continue;
      }
      const email = identity.user.email.toLowerCase();
      const emailOwner = byEmail.get(email);
      if (emailOwner && emailOwner.id !== target?.id) {
        skip(
          `e-mail ${identity.user.email} belongs to another Gatehouse user (id ${emailOwner.id})`,
        );
        continue;
      }
      if (claimedEmails.has(email)) {
        skip(
          `e-mail ${identity.user.email} differs only by case from row ${claimedEmails.get(email)}'s`,
        );
        continue;
      }
      const usernameOwner = byUsername.get(identity.user.username);
      if (
        (usernameOwner && usernameOwner.id !== target?.id) ||
        claimedUsernames.has(identity.user.username)
      ) {
        skip(`username ${identity.user.username} belongs to another user`);
        continue;
      }
      claimedEmails.set(email, identity.sourceId);
      claimedUsernames.set(identity.user.username, identity.sourceId);
      const row: ImportedUser = {
        ...identity.user,
        ...(target ? { id: target.id } : {}),
        uuid: target?.uuid ?? identity.user.uuid ?? randomUUID(),
      };
      toWrite.push({ identity, row, outcome: target ? 'updated' : 'created' });
    }

    const ids = await this.users.upsertImported(
      manager,
      toWrite.map((w) => w.row),
    );
    // Kept legacy ids: Gatehouse's next own id goes above them, and above the legacy range.
    await this.idRange.reserve(
      manager,
      toWrite.flatMap((w) => (w.row.id !== undefined ? [w.row.id] : [])),
    );
    const written = toWrite.map((w) => ({
      ...w,
      userId: ids.get(w.row.uuid) as number,
      digest: digests.get(w.identity) as string,
    }));
    await this.replaceKeys(manager, written);
    await bulkWrite(
      manager,
      LegacyImport,
      written.map((w) => ({
        source,
        sourceId: w.identity.sourceId,
        userId: w.userId,
        digest: w.digest,
        importedAt: new Date(),
      })),
      { conflict: ['source', 'sourceId'], update: ['userId', 'digest', 'importedAt'] },
    );
    // Refresh-token records and blacklistings are applied on every run: one
    // blacklisted at the source since the last import is refused from now on.
    await this.recordRefreshTokens(manager, [
      ...written.map((w) => ({ identity: w.identity, userId: w.userId })),
      ...unchanged.map((identity) => ({ identity, userId: logged.get(identity.sourceId)!.userId })),
    ]);
    // Imported credentials are sessions like any: listed, ended, refused once ended.
    await backfillSessions(manager, [
      ...written.map((w) => w.userId),
      ...unchanged.map((identity) => logged.get(identity.sourceId)!.userId),
    ]);
    for (const w of written) {
      outcomes.set(w.identity, {
        outcome: w.outcome,
        user: userRef({ id: w.userId, uuid: w.row.uuid, email: w.row.email }),
      });
    }
    return outcomes;
  }

  /** DRF keys, stored hashed; a key the source replaced stops working. */
  private async replaceKeys(
    manager: EntityManager,
    written: { identity: LegacyIdentity; userId: number; outcome: ImportOutcome }[],
  ): Promise<void> {
    const keys = manager.getRepository(TokenKey);
    const updatedIds = written.filter((w) => w.outcome === 'updated').map((w) => w.userId);
    if (updatedIds.length) await keys.delete({ userId: In(updatedIds), name: IMPORTED_KEY_NAME });
    const rows = written.flatMap((w) =>
      w.identity.tokenKeys.map((k) => ({
        userId: w.userId,
        ...storedKeyFields(k.key),
        name: IMPORTED_KEY_NAME,
        created: k.created,
        lastUsed: null,
      })),
    );
    await bulkWrite(manager, TokenKey, rows, { conflict: ['keySha256'] });
  }

  private async recordRefreshTokens(
    manager: EntityManager,
    owners: { identity: LegacyIdentity; userId: number }[],
  ): Promise<void> {
    const tokens = owners.flatMap(({ identity, userId }) =>
      identity.refreshTokens.map((t) => ({ ...t, userId })),
    );
    if (tokens.length === 0) return;
    await bulkWrite(
      manager,
      OutstandingToken,
      tokens.map((t) => ({
        userId: t.userId,
        jti: t.jti,
        tokenSha256: sha256Hex(t.token),
        createdAt: t.createdAt,
        expiresAt: t.expiresAt,
      })),
      { conflict: ['jti'] },
    );
    const blacklisted = tokens.filter((t) => t.blacklistedAt);
    if (blacklisted.length === 0) return;
    const records = await manager.getRepository(OutstandingToken).find({
      select: { id: true, jti: true },
      where: { jti: In(blacklisted.map((t) => t.jti)) },
    });
    const when = new Map(blacklisted.map((t) => [t.jti, t.blacklistedAt as Date]));
    await bulkWrite(
      manager,
      BlacklistedToken,
      records.map((r) => ({ tokenId: r.id, blacklistedAt: when.get(r.jti) })),
      { conflict: ['tokenId'] },
    );
  }
}

/** The reason without the row's own details, to count reasons in the summary. */
function reasonKind(reason: string): string {
  return reason
    .replace(/^(e-mail|username|invalid e-mail address) \S+/, '$1 …')
    .replace(/\(id \d+\)|row \S+'s/g, '…')
    .replace(/^not stored: .*/, 'not stored (database error)');
}
