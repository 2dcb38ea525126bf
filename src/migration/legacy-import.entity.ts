import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../accounts/user.entity';

/** The legacy services an identity can come from. */
export type LegacySourceName = 'django' | 'fastapi-users';

/**
 * Which legacy row became which user, and a digest of that row as last imported:
 * a re-import updates a user only when the row changed at the source, so a
 * password re-hashed at login in Gatehouse is not taken for a change.
 */
@Entity({ name: 'legacy_imports' })
export class LegacyImport {
  @PrimaryColumn({ type: 'varchar', length: 20 })
  source: LegacySourceName;

  /** Django's pk, or fastapi-users' UUID. */
  @PrimaryColumn({ name: 'source_id', type: 'varchar', length: 36 })
  sourceId: string;

  @Column({ name: 'user_id', type: 'integer' })
  userId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 64 })
  digest: string;

  @Column({ name: 'imported_at', type: Date })
  importedAt: Date;
}
