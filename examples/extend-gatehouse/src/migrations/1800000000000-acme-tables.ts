import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { idColumn, timestampType } from '@gatehouse-auth/nestjs';

/** Our tables, migrated after Gatehouse's own (TypeORM orders migrations by timestamp). */
export class AcmeTables1800000000000 implements MigrationInterface {
  name = 'AcmeTables1800000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'acme_departments',
        columns: [
          { name: 'user_id', type: 'integer', isPrimary: true },
          { name: 'name', type: 'varchar', length: '100' },
        ],
        foreignKeys: [
          {
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'acme_login_audit',
        columns: [
          idColumn,
          { name: 'event', type: 'varchar', length: '20' },
          { name: 'surface', type: 'varchar', length: '20' },
          { name: 'identifier', type: 'varchar', length: '254' },
          { name: 'reason', type: 'varchar', length: '20', isNullable: true },
          { name: 'user_id', type: 'integer', isNullable: true },
          { name: 'at', type: timestampType(queryRunner) },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('acme_login_audit');
    await queryRunner.dropTable('acme_departments');
  }
}
