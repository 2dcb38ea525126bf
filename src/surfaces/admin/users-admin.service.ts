import { Injectable } from '@nestjs/common';
import { AccountProvidersService } from '../../accounts/account-providers.service';
import { checkStaffAction } from '../../accounts/staff-rules';
import type { User } from '../../accounts/user.entity';
import { EmailAlreadyUsedError } from '../../accounts/users.errors';
import { type UserChanges, UsersService } from '../../accounts/users.service';
import { DrfException } from '../../problems/drf.exception';
import { paginate } from '../../http/pagination';
import { parsePk } from '../../http/pk';
import type { AdminCreateUserDto, AdminUpdateUserDto, AdminUserView } from './dto/admin-user.dto';
import { SessionViewsService } from '../../sessions/session-views.service';
import { MfaService } from '../../mfa/mfa.service';

/** Staff user management as a DRF ModelViewSet answers it: pagination, views, field errors. */
@Injectable()
export class UsersAdminService {
  constructor(
    private readonly store: UsersService,
    private readonly providers: AccountProvidersService,
    private readonly sessions: SessionViewsService,
    private readonly mfa: MfaService,
  ) {}

  /** DRF's PageNumberPagination: `{count, next, previous, results}` with absolute links. */
  list(url: string, pageText?: string, pageSizeText?: string) {
    return paginate(url, pageText, pageSizeText, (skip, take) => this.store.page(skip, take), view);
  }

  async retrieve(id: string): Promise<AdminUserView> {
    return view(await this.find(id));
  }

  /** @throws SuperuserRequiredError when a staff member who is not a superuser creates staff */
  async create(actor: User, body: AdminCreateUserDto): Promise<AdminUserView> {
    checkStaffAction(actor, null, { kind: 'change', isStaff: body.is_staff });
    try {
      const user = await this.store.create({
        email: body.email,
        password: body.password,
        username: body.username,
        firstName: body.first_name,
        lastName: body.last_name,
        isStaff: body.is_staff ?? false,
        isVerified: true,
      });
      return view(user);
    } catch (error) {
      if (error instanceof EmailAlreadyUsedError) {
        throw DrfException.fields({ email: ['user with this email address already exists.'] });
      }
      throw error;
    }
  }

  /**
   * Staff changes, KYC included; every field is checked before anything is written.
   * @throws SuperuserRequiredError (see checkStaffAction)
   */
  async update(actor: User, id: string, body: AdminUpdateUserDto): Promise<AdminUserView> {
    const user = await this.find(id);
    const changes: UserChanges = {};
    if (body.is_active !== undefined) changes.isActive = body.is_active;
    if (body.is_staff !== undefined) changes.isStaff = body.is_staff;
    if (body.first_name !== undefined) changes.firstName = body.first_name;
    if (body.last_name !== undefined) changes.lastName = body.last_name;
    if (body.kyc_status !== undefined) changes.kycStatus = body.kyc_status;
    if (body.status !== undefined) changes.status = body.status;
    if (body.public_key !== undefined) changes.publicKey = body.public_key;
    if (body.signer_key !== undefined) changes.signerKey = body.signer_key;
    if (body.has_deposited !== undefined) changes.hasDeposited = body.has_deposited;
    if (body.country_code !== undefined)
      changes.countryCode = body.country_code?.toLowerCase() ?? null;
    if (body.account_provider !== undefined) changes.accountProviderId = body.account_provider;
    checkStaffAction(actor, user, { kind: 'change', ...changes });

    const providerId = changes.accountProviderId ?? user.accountProviderId;
    const provider = await this.providers.findById(providerId);
    if (!provider) {
      throw DrfException.fields({
        account_provider: [`Invalid pk "${providerId}" - object does not exist.`],
      });
    }
    const country = changes.countryCode !== undefined ? changes.countryCode : user.countryCode;
    if (country && !AccountProvidersService.serves(provider, country)) {
      throw DrfException.fields({
        country_code: ['This country is not served by the account provider.'],
      });
    }
    return view(await this.store.update(user, changes));
  }

  /** @throws SuperuserRequiredError (see checkStaffAction) */
  async deactivate(actor: User, id: string): Promise<void> {
    const user = await this.find(id);
    checkStaffAction(actor, user, { kind: 'delete' });
    await this.store.update(user, { isActive: false });
  }

  /** A user's live sessions, newest first, as a DRF page. */
  async sessionsOf(id: string, url: string, pageText?: string, pageSizeText?: string) {
    return this.sessions.pageFor(await this.find(id), url, pageText, pageSizeText);
  }

  /**
   * Ends every session of a user: the rule of deactivation holds, as it logs them out as surely.
   * @throws SuperuserRequiredError (see checkStaffAction)
   */
  async endSessions(actor: User, id: string): Promise<void> {
    const user = await this.find(id);
    checkStaffAction(actor, user, { kind: 'delete' });
    await this.sessions.endAllFor(user, 'admin');
  }

  /** Turns a user's multi-factor login off (a lost phone): the user logs in with the password alone. */
  async resetMfa(actor: User, id: string): Promise<void> {
    const user = await this.find(id);
    checkStaffAction(actor, user, { kind: 'delete' });
    await this.mfa.reset(user.id, { staff: actor });
  }

  private async find(id: string): Promise<User> {
    const pk = parsePk(id);
    const user = pk === null ? null : await this.store.findById(pk);
    if (!user) throw DrfException.notFound();
    return user;
  }
}

function view(user: User): AdminUserView {
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    first_name: user.firstName,
    last_name: user.lastName,
    is_active: user.isActive,
    is_staff: user.isStaff,
    is_superuser: user.isSuperuser,
    date_joined: user.dateJoined.toISOString(),
    last_login: user.lastLogin ? user.lastLogin.toISOString() : null,
    country_code: user.countryCode,
    kyc_status: user.kycStatus,
    status: user.status,
    has_deposited: user.hasDeposited,
    public_key: user.publicKey,
    signer_key: user.signerKey,
    account_provider: user.accountProviderId,
  };
}
