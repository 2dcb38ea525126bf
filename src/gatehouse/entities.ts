import { AccountProvider } from '../accounts/account-provider.entity';
import { AuthEvent } from '../audit/auth-event.entity';
import { User } from '../accounts/user.entity';
import { BlacklistedToken } from '../jwt-auth/blacklisted-token.entity';
import { OutstandingToken } from '../jwt-auth/outstanding-token.entity';
import { LegacyImport } from '../migration/legacy-import.entity';
import { DashboardSession } from '../token-key/dashboard-session.entity';
import { JobLease } from '../jobs/job-lease.entity';
import { OutboxMail } from '../mail/outbox/outbox-mail.entity';
import { TokenKey } from '../token-key/token-key.entity';
import { Session } from '../sessions/session.entity';
import { MfaChallenge } from '../mfa/mfa-challenge.entity';
import { RecoveryCode } from '../mfa/recovery-code.entity';
import { TotpDevice } from '../mfa/totp-device.entity';

/**
 * Every entity of Gatehouse's features, for a data source built outside Nest
 * (ormconfig.ts, a host's own TypeORM CLI set-up). Inside Nest each feature module
 * registers its own (`TypeOrmModule.forFeature`) and the data source loads them.
 */
// A plain class list (what TypeORM's `entities` takes): the inferred union of every
// entity class would put each one in the public API and reorder with the compiler.
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const gatehouseEntities: Function[] = [
  User,
  AccountProvider,
  OutstandingToken,
  BlacklistedToken,
  TokenKey,
  DashboardSession,
  LegacyImport,
  AuthEvent,
  OutboxMail,
  JobLease,
  Session,
  MfaChallenge,
  TotpDevice,
  RecoveryCode,
];
