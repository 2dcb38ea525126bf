import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { idColumn, ownedByUser, timestampType } from '../column-types';

/**
 * Multi-factor login (docs/mfa.md): a TOTP device per user (its secret sealed,
 * pending until confirmed, the last step used against replay) and the hashed
 * single-use recovery codes.
 */
export class Mfa1763970000000 implements MigrationInterface {
  name = 'Mfa1763970000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);
    const device = ownedByUser('mfa_totp_devices');
    await queryRunner.createTable(
      new Table({
        name: 'mfa_totp_devices',
        columns: [
          idColumn,
          device.column,
          { name: 'secret', type: 'text' },
          { name: 'created_at', type: timestamp },
          { name: 'confirmed_at', type: timestamp, isNullable: true },
          { name: 'last_used_step', type: 'integer', isNullable: true },
        ],
        foreignKeys: [device.foreignKey],
        // One device per user: `isEnabled` is one lookup on it.
        indices: [
          new TableIndex({
            name: 'IDX_mfa_totp_devices_user',
            columnNames: ['user_id'],
            isUnique: true,
          }),
        ],
      }),
    );
    const codes = ownedByUser('mfa_recovery_codes');
    await queryRunner.createTable(
      new Table({
        name: 'mfa_recovery_codes',
        columns: [
          idColumn,
          codes.column,
          { name: 'code_hash', type: 'varchar', length: '64' },
          { name: 'created_at', type: timestamp },
          { name: 'used_at', type: timestamp, isNullable: true },
        ],
        foreignKeys: [codes.foreignKey],
        indices: [codes.index],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('mfa_recovery_codes');
    await queryRunner.dropTable('mfa_totp_devices');
  }
}
