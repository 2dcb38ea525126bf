import { InitialAccounts1763850000000 } from './1763850000000-initial-accounts';
import { TokenBlacklist1763860000000 } from './1763860000000-token-blacklist';
import { TokenKeys1763870000000 } from './1763870000000-token-keys';
import { DashboardSessions1763880000000 } from './1763880000000-dashboard-sessions';
import { EmailConfirmationSent1763890000000 } from './1763890000000-email-confirmation-sent';
import { LegacyImports1763900000000 } from './1763900000000-legacy-imports';
import { AuthEvents1763910000000 } from './1763910000000-auth-events';
import { MailOutbox1763920000000 } from './1763920000000-mail-outbox';
import { JobLeases1763930000000 } from './1763930000000-job-leases';
import { AuthEventDetails1763940000000 } from './1763940000000-auth-event-details';
import { IdentityKeys1763950000000 } from './1763950000000-identity-keys';
import { AuthSessions1763960000000 } from './1763960000000-auth-sessions';
import { Mfa1763970000000 } from './1763970000000-mfa';
import { MfaChallenges1763980000000 } from './1763980000000-mfa-challenges';

/**
 * Every migration, in order. Listed explicitly (not globbed) so the same list
 * works from `dist/`, from ts-node (`ormconfig.ts`) and inside jest.
 */
export const migrations = [
  InitialAccounts1763850000000,
  TokenBlacklist1763860000000,
  TokenKeys1763870000000,
  DashboardSessions1763880000000,
  EmailConfirmationSent1763890000000,
  LegacyImports1763900000000,
  AuthEvents1763910000000,
  MailOutbox1763920000000,
  JobLeases1763930000000,
  AuthEventDetails1763940000000,
  IdentityKeys1763950000000,
  AuthSessions1763960000000,
  Mfa1763970000000,
  MfaChallenges1763980000000,
];
