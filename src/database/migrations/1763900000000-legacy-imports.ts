import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { ownedByUser, timestampType } from '../column-types';

/** Which Django or fastapi-users row became which user (src/migration), for idempotent re-imports. */
export class LegacyImports1763900000000 implements MigrationInterface {
  name = 'LegacyImports1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const owner = ownedByUser('legacy_imports');
    await queryRunner.createTable(
      new Table({
        name: 'legacy_imports',
        columns: [
          { name: 'source', type: 'varchar', length: '20', isPrimary: true },
          { name: 'source_id', type: 'varchar', length: '36', isPrimary: true },
          owner.column,
          { name: 'digest', type: 'varchar', length: '64' },
          { name: 'imported_at', type: timestampType(queryRunner) },
        ],
        foreignKeys: [owner.foreignKey],
        indices: [owner.index],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('legacy_imports');
  }
}
