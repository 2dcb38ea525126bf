import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { ownedByUser, timestampType } from '../column-types';

/**
 * Multi-factor login (DESIGN.md "Multi-factor login"): the pending challenges of a
 * login whose first factor was right (`mfa_challenges`, the token's SHA-256 only),
 * and the authentication methods of a session (`auth_sessions.amr`, RFC 8176).
 */
export class MfaChallenges1763980000000 implements MigrationInterface {
  name = 'MfaChallenges1763980000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);
    const owner = ownedByUser('mfa_challenges');
    await queryRunner.createTable(
      new Table({
        name: 'mfa_challenges',
        columns: [
          { name: 'token_sha256', type: 'varchar', length: '64', isPrimary: true },
          owner.column,
          { name: 'surface', type: 'varchar', length: '32' },
          { name: 'first_factor', type: 'varchar', length: '8' },
          { name: 'attempts', type: 'integer', default: 0 },
          { name: 'created_at', type: timestamp },
          { name: 'expires_at', type: timestamp },
          { name: 'used_at', type: timestamp, isNullable: true },
        ],
        foreignKeys: [owner.foreignKey],
        indices: [
          owner.index,
          new TableIndex({ name: 'IDX_mfa_challenges_expires', columnNames: ['expires_at'] }),
        ],
      }),
    );
    // Plain ALTER TABLE: TypeORM's SQLite addColumn rebuilds the table.
    await queryRunner.query(`ALTER TABLE "auth_sessions" ADD COLUMN "amr" varchar(64) NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('auth_sessions', 'amr');
    await queryRunner.dropTable('mfa_challenges');
  }
}
