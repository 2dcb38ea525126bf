import { type MigrationInterface, type QueryRunner, Table, TableForeignKey } from 'typeorm';
import { idColumn, timestampType } from '../column-types';

/** Users and account providers; provider 1 is the platform itself. */
export class InitialAccounts1763850000000 implements MigrationInterface {
  name = 'InitialAccounts1763850000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);
    const flag = (name: string, value: boolean) => ({
      name,
      type: 'boolean',
      default: value ? 'true' : 'false',
    });

    await queryRunner.createTable(
      new Table({
        name: 'account_providers',
        columns: [
          idColumn,
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'slug', type: 'varchar', length: '50', isUnique: true },
          { name: 'referral_base_url', type: 'varchar', length: '200', isNullable: true },
          { name: 'allowed_countries', type: 'varchar', length: '1000', isNullable: true },
          { name: 'created_at', type: timestamp, default: 'CURRENT_TIMESTAMP' },
        ],
      }),
    );
    await queryRunner.query(
      `INSERT INTO "account_providers" ("id", "name", "slug") VALUES (1, 'Platform', 'platform')`,
    );
    if (queryRunner.connection.options.type === 'postgres') {
      // The explicit id above does not move the sequence; the next provider must get 2.
      await queryRunner.query(
        `SELECT setval(pg_get_serial_sequence('account_providers', 'id'), (SELECT MAX("id") FROM "account_providers"))`,
      );
    }

    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          idColumn,
          { name: 'uuid', type: 'varchar', length: '36', isUnique: true },
          { name: 'email', type: 'varchar', length: '254' },
          { name: 'username', type: 'varchar', length: '150', isUnique: true },
          { name: 'first_name', type: 'varchar', length: '150', default: "''" },
          { name: 'last_name', type: 'varchar', length: '150', default: "''" },
          { name: 'password', type: 'varchar', length: '255' },
          flag('is_active', true),
          flag('is_verified', false),
          flag('is_staff', false),
          flag('is_superuser', false),
          flag('is_blocked', false),
          { name: 'date_joined', type: timestamp },
          { name: 'last_login', type: timestamp, isNullable: true },
          { name: 'country_code', type: 'varchar', length: '2', isNullable: true },
          { name: 'kyc_status', type: 'varchar', length: '20', default: "'pending'" },
          { name: 'status', type: 'varchar', length: '20', default: "'pending'" },
          flag('has_deposited', false),
          { name: 'public_key', type: 'varchar', length: '56', isNullable: true },
          { name: 'signer_key', type: 'varchar', length: '56', isNullable: true },
          { name: 'referral_code', type: 'varchar', length: '8', isUnique: true },
          { name: 'account_provider_id', type: 'integer', default: 1 },
          flag('subscribe', false),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_users_account_provider',
            columnNames: ['account_provider_id'],
            referencedTableName: 'account_providers',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
          }),
        ],
      }),
    );
    // E-mail is unique case-insensitively; lookups use the same lower(email) expression.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_users_email_lower" ON "users" (lower("email"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_users_email_lower"`);
    await queryRunner.dropTable('users');
    await queryRunner.dropTable('account_providers');
  }
}
