import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Who may run a scheduled job until when (the lock without Redis). */
@Entity({ name: 'job_leases' })
export class JobLease {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'varchar', length: 64 })
  holder: string;

  @Column({ name: 'expires_at', type: Date })
  expiresAt: Date;
}
