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

/**
 * Every entity of Gatehouse's features, for the data source the composition roots
 * build (GatehouseModule, the CLI, ormconfig.ts): database/ imports no feature, so the
 * list lives here, above the features, and a feature adding a table adds it here.
 */
export const gatehouseEntities = [
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
];
