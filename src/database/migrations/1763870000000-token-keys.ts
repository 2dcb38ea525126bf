import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { idColumn, ownedByUser, timestampType } from '../column-types';

/** DRF authtoken keys, stored hashed: several per user, each revocable alone. */
export class TokenKeys1763870000000 implements MigrationInterface {
  name = 'TokenKeys1763870000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);
    const owner = ownedByUser('token_keys');
    await queryRunner.createTable(
      new Table({
        name: 'token_keys',
        columns: [
          idColumn,
          owner.column,
          { name: 'prefix', type: 'varchar', length: '8' },
          { name: 'key_sha256', type: 'varchar', length: '64', isUnique: true },
          { name: 'name', type: 'varchar', length: '100', isNullable: true },
          { name: 'created', type: timestamp },
          { name: 'last_used', type: timestamp, isNullable: true },
        ],
        foreignKeys: [owner.foreignKey],
        indices: [
          owner.index,
          new TableIndex({ name: 'IDX_token_keys_prefix', columnNames: ['prefix'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('token_keys');
  }
}
