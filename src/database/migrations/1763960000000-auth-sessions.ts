import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { ownedByUser, timestampType } from '../column-types';
import { backfillSessions } from '../session-backfill';

/** Credential tables whose rows now name their session. */
const CREDENTIAL_TABLES = ['outstanding_tokens', 'token_keys', 'dashboard_sessions'];

/**
 * Sessions (docs/sessions.md): `auth_sessions`, the `session_id` of every
 * credential row, the rotation record of refresh tokens (reuse detection) and
 * `users.sessions_ended_at`. Live credentials already stored become sessions.
 */
export class AuthSessions1763960000000 implements MigrationInterface {
  name = 'AuthSessions1763960000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);
    const owner = ownedByUser('auth_sessions');
    await queryRunner.createTable(
      new Table({
        name: 'auth_sessions',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          owner.column,
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'surface', type: 'varchar', length: '32' },
          { name: 'created_at', type: timestamp },
          { name: 'last_used_at', type: timestamp, isNullable: true },
          { name: 'user_agent', type: 'varchar', length: '512', isNullable: true },
          { name: 'ip_address', type: 'varchar', length: '45', isNullable: true },
          { name: 'ended_at', type: timestamp, isNullable: true },
          { name: 'end_reason', type: 'varchar', length: '32', isNullable: true },
        ],
        foreignKeys: [owner.foreignKey],
        indices: [
          owner.index,
          new TableIndex({ name: 'IDX_auth_sessions_ended', columnNames: ['ended_at'] }),
        ],
      }),
    );
    // Plain ALTER TABLE: TypeORM's SQLite addColumn rebuilds the table.
    for (const table of CREDENTIAL_TABLES) {
      await queryRunner.query(`ALTER TABLE "${table}" ADD COLUMN "session_id" varchar(36) NULL`);
      await queryRunner.query(`CREATE INDEX "IDX_${table}_session" ON "${table}" ("session_id")`);
    }
    await queryRunner.query(
      `ALTER TABLE "outstanding_tokens" ADD COLUMN "rotated_at" ${timestamp} NULL`,
    );
    await queryRunner.query(`ALTER TABLE "outstanding_tokens" ADD COLUMN "successor" text NULL`);
    await queryRunner.query(`ALTER TABLE "users" ADD COLUMN "sessions_ended_at" ${timestamp} NULL`);
    await backfillSessions(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('users', 'sessions_ended_at');
    await queryRunner.dropColumn('outstanding_tokens', 'successor');
    await queryRunner.dropColumn('outstanding_tokens', 'rotated_at');
    for (const table of CREDENTIAL_TABLES) {
      await queryRunner.query(`DROP INDEX "IDX_${table}_session"`);
      await queryRunner.dropColumn(table, 'session_id');
    }
    await queryRunner.dropTable('auth_sessions');
  }
}
