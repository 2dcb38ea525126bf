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

/** Every entity the data source maps; feature modules add theirs here. */
export const entities = [
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
];
