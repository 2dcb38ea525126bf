import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The platform itself has id 1 (created by the initial migration). */
export const PLATFORM_PROVIDER_ID = 1;

/**
 * A white-label partner ("bring your own customer base"): every user belongs to one.
 * Its id is the `account_provider` of seed 000's trading information.
 */
@Entity({ name: 'account_providers' })
export class AccountProvider {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 50, unique: true })
  slug: string;

  /** Base of the users' referral links; null means the deployment's default. */
  @Column({ name: 'referral_base_url', type: 'varchar', length: 200, nullable: true })
  referralBaseUrl: string | null;

  /** ISO 3166 alpha-2 codes, comma-separated; null means every country. */
  @Column({ name: 'allowed_countries', type: 'varchar', length: 1000, nullable: true })
  allowedCountries: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;
}
