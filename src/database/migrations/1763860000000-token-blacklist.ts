import {
  type MigrationInterface,
  type QueryRunner,
  Table,
  TableForeignKey,
  TableIndex,
} from 'typeorm';
import { idColumn, ownedByUser, timestampType } from '../column-types';

/** SimpleJWT's token_blacklist: outstanding refresh tokens and the blacklisted ones. */
export class TokenBlacklist1763860000000 implements MigrationInterface {
  name = 'TokenBlacklist1763860000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);
    const owner = ownedByUser('outstanding_tokens', true);
    await queryRunner.createTable(
      new Table({
        name: 'outstanding_tokens',
        columns: [
          idColumn,
          owner.column,
          { name: 'jti', type: 'varchar', length: '255', isUnique: true },
          { name: 'token_sha256', type: 'varchar', length: '64' },
          { name: 'created_at', type: timestamp },
          { name: 'expires_at', type: timestamp },
        ],
        foreignKeys: [owner.foreignKey],
        indices: [
          owner.index,
          new TableIndex({ name: 'IDX_outstanding_tokens_expires', columnNames: ['expires_at'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'blacklisted_tokens',
        columns: [
          idColumn,
          { name: 'token_id', type: 'integer', isUnique: true },
          { name: 'blacklisted_at', type: timestamp },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_blacklisted_tokens_token',
            columnNames: ['token_id'],
            referencedTableName: 'outstanding_tokens',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('blacklisted_tokens');
    await queryRunner.dropTable('outstanding_tokens');
  }
}
