import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiExcludeEndpoint,
  ApiFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import {
  type HttpReply,
  type HttpRequest,
  redirect,
  routeOf,
  send,
  setHeader,
  setHeaders,
  setStatus,
} from '../../../http/http-seam';
import { AccountInfoService } from '../../../accounts/account-info.service';
import type { User } from '../../../accounts/user.entity';
import { Authenticated, Public } from '../../../access/access.decorators';
import { CurrentUser } from '../../../access/current-user.decorator';
import {
  FieldErrors,
  LoginRefused,
  MfaCodeRejected,
  MfaStateConflict,
  NotFoundError,
  TooManyAttempts,
} from '../../../problems/domain.errors';
import {
  MfaRequired,
  SECOND_FACTOR_REFUSED_DRF,
  SecondFactorRefused,
} from '../../../problems/login-challenge.errors';
import { LoginService, type LoginStep } from '../../../accounts/login.service';
import { MfaService } from '../../../mfa/mfa.service';
import { parseCookies, serializeCookie } from '../../../http/cookies';
import { CsrfCheck, ensureCsrfToken } from '../../../http/csrf';
import { GatehouseConfig } from '../../../config/gatehouse-config';
import { DOC_TAGS } from '../../../docs/docs.setup';
import { DrfResponse, namedExamples } from '../../../docs/responses';
import { DashboardService } from '../../../token-key/dashboard.service';
import {
  dashboardPage,
  loginPage,
  mfaCodePage,
  mfaEnrolPage,
  recoveryCodesPage,
} from './dashboard.views';
import { RestAuthService } from '../rest-auth.service';
import { loginRefusalMessage, RestAuthSurface } from '../rest-auth.errors';
import { UncheckedBody } from '../../../http/unchecked-body';
import { Throttled } from '../../../throttling/throttle-scopes';
import { RecordsEvents } from '../../../http/request-context';
import { SessionViewsService } from '../../../sessions/session-views.service';

const SESSION_COOKIE = 'sessionid';
const LOGIN_PATH = '/dashboard/login/';
/** DASHBOARD_URL's default: the dashboard of this mount, wherever the surface is mounted. */
const DEFAULT_DASHBOARD_URL = '/dashboard/';

/**
 * Where the surface is mounted (`/v2` for `{ prefix: 'v2' }`, '' at the root): the
 * matched route's pattern minus the controller's own path, so links, redirects
 * and form actions follow the mount.
 */
function mountOf(request: HttpRequest, ownPath: string): string {
  const route = (routeOf(request)?.url ?? '').replace(/\/+$/, '');
  return route.endsWith(ownPath) ? route.slice(0, -ownPath.length) : '';
}

/** Pages must not be cached, framed, or leak their URL (a hijack key) through Referer. */
const PAGE_HEADERS = {
  'Cache-Control': 'no-store',
  // Django's SECURE_REFERRER_POLICY: the forms' POSTs keep their Origin (no-referrer would send
  // `Origin: null`, which the CSRF check refuses); other sites still get no referrer.
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
};

/**
 * Seed 002's "Option B": the auto-login link into the trader dashboard, the safer
 * single-use login link, and the small server-rendered dashboard with its login
 * form. Unsafe methods are CSRF-checked (double-submit cookie, as Django does).
 */
@ApiTags(DOC_TAGS.wrapper.name)
@RestAuthSurface()
// Its GET routes (hijack, login link) record audit events with the client's address.
@RecordsEvents()
@Controller()
export class DashboardController {
  constructor(
    private readonly config: GatehouseConfig,
    private readonly dashboard: DashboardService,
    private readonly auth: RestAuthService,
    private readonly info: AccountInfoService,
    private readonly csrf: CsrfCheck,
    private readonly sessions: SessionViewsService,
    private readonly logins: LoginService,
    private readonly mfa: MfaService,
  ) {}

  @Throttled('login', { query: ['token'] })
  @Get('auth/hijack/')
  @Public()
  @ApiOperation({
    summary: 'Option B: Session Hijacking for Wrapper Applications',
    description:
      'If you are building a wrapper application and want users to seamlessly access the trader dashboard ' +
      "without logging in twice, use the user's token (from registration or login) to construct a direct login " +
      'URL and redirect them to it: they are automatically authenticated and logged into the trader dashboard. ' +
      'Gatehouse opens an HttpOnly session and redirects to `DASHBOARD_URL`, so the key leaves the address bar.\n\n' +
      '**Security Note:** the hijack URL should only be generated server-side and used for immediate ' +
      'redirects. Never expose the token in client-side JavaScript, store it in cookies accessible to the ' +
      'browser, or include it in URLs that might be logged or shared. Safer: `POST /auth/login-link/`.',
  })
  @ApiQuery({
    name: 'token',
    required: true,
    description: "The user's Token key, from registration or login",
    example: 'a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0',
  })
  @ApiFoundResponse({
    description:
      'To `DASHBOARD_URL` with a `sessionid` cookie; to `/dashboard/login/?error=link` for an unknown or revoked key',
    headers: {
      Location: { description: 'Where the browser goes next', schema: { type: 'string' } },
      'Set-Cookie': {
        description: 'The dashboard session (HttpOnly, SameSite=Lax)',
        schema: { type: 'string' },
      },
    },
  })
  async hijack(
    @Query('token') token: string | undefined,
    @Req() request: HttpRequest,
    @Res() reply: HttpReply,
  ): Promise<void> {
    const mount = mountOf(request, '/auth/hijack');
    const user = await this.dashboard.hijack(token);
    if (!user) return this.redirect(reply, `${mount}${LOGIN_PATH}?error=link`);
    await this.startSession(reply, user, 'login_link');
    return this.redirect(reply, this.dashboardUrl(mount));
  }

  @Throttled('mail', { user: true })
  @Post('auth/login-link/')
  @Authenticated()
  @HttpCode(200)
  @ApiOperation({
    summary: 'A single-use login link (safer than the hijack URL)',
    description:
      'Server-side only: returns a link with a ticket (not the key) that opens a dashboard session once, ' +
      'within `LOGIN_LINK_LIFETIME` seconds. Send the `Authorization: Token <key>` header. ' +
      "The account's login rules hold: an unconfirmed address gets no link while verification is required.",
  })
  @ApiOkResponse({
    description: 'The link and its lifetime in seconds',
    schema: {
      type: 'object',
      required: ['url', 'expires_in'],
      properties: { url: { type: 'string', format: 'uri' }, expires_in: { type: 'integer' } },
    },
    examples: namedExamples({
      'A login link': {
        url: 'https://backend.example.com/auth/login-link/?ticket=Zm9vYmFy…',
        expires_in: 60,
      },
    }),
  })
  @DrfResponse(
    400,
    'The address is not confirmed (EMAIL_VERIFICATION=mandatory or REQUIRE_VERIFIED_LOGIN=true)',
    { 'E-mail not verified': { non_field_errors: ['E-mail is not verified.'] } },
  )
  async loginLink(@CurrentUser() user: User, @Req() request: HttpRequest) {
    const ticket = await this.dashboard.issueTicket(user);
    // PUBLIC_URL, never the request's Host header (which a client chooses).
    return {
      url: `${this.config.publicBaseUrl}${mountOf(request, '/auth/login-link')}/auth/login-link/?ticket=${ticket}`,
      expires_in: this.config.dashboard.loginLinkLifetime,
    };
  }

  @Throttled('confirm', { query: ['ticket'] })
  @Get('auth/login-link/')
  @Public()
  @ApiExcludeEndpoint()
  async redeem(
    @Query('ticket') ticket: string | undefined,
    @Req() request: HttpRequest,
    @Res() reply: HttpReply,
  ): Promise<void> {
    const mount = mountOf(request, '/auth/login-link');
    const user = await this.dashboard.redeemTicket(ticket);
    if (!user) return this.redirect(reply, `${mount}${LOGIN_PATH}?error=link`);
    try {
      // The link is a first factor (the mailbox): MFA asks for the code on the login form.
      await this.logins.requireSecondFactor(user, 'dashboard', 'link');
    } catch (error) {
      if (!(error instanceof MfaRequired)) throw error;
      return this.html(reply, mfaCodePage(this.csrfToken(request, reply), error.mfaToken, mount));
    }
    await this.startSession(reply, user, 'login_link');
    return this.redirect(reply, this.dashboardUrl(mount));
  }

  @Get('dashboard/')
  @Public()
  @ApiExcludeEndpoint()
  async page(@Req() request: HttpRequest, @Res() reply: HttpReply): Promise<void> {
    const cookies = parseCookies(request.headers.cookie);
    const user = await this.dashboard.sessionUser(cookies[SESSION_COOKIE]);
    const mount = mountOf(request, '/dashboard');
    if (!user) return this.redirect(reply, `${mount}${LOGIN_PATH}`);
    const csrf = this.csrfToken(request, reply);
    const current = await this.dashboard.sessionIdOf(cookies[SESSION_COOKIE]);
    const [info, sessions, mfa] = await Promise.all([
      this.info.tradingInfo(user),
      this.sessions.listFor(user, current),
      this.mfa.status(user.id),
    ]);
    this.html(reply, dashboardPage(info, csrf, mount, sessions, mfa));
  }

  /** The dashboard's "End" button: ends one of the user's sessions (this one too: a logout). */
  @Throttled('sessions', { user: true })
  @Post('dashboard/sessions/:id/end/')
  @Public()
  @ApiExcludeEndpoint()
  async endSession(
    @Param('id') id: string,
    @Req() request: HttpRequest,
    @Res() reply: HttpReply,
  ): Promise<void> {
    this.csrf.check(request);
    const mount = mountOf(request, '/dashboard/sessions/:id/end');
    const user = await this.dashboard.sessionUser(
      parseCookies(request.headers.cookie)[SESSION_COOKIE],
    );
    if (!user) return this.redirect(reply, `${mount}${LOGIN_PATH}`);
    try {
      await this.sessions.endOne(user, id, 'dashboard');
    } catch (error) {
      // Already ended (another tab, another device): the page shows what is left.
      if (!(error instanceof NotFoundError)) throw error;
    }
    return this.redirect(reply, `${mount}/dashboard/`);
  }

  @Get('dashboard/login/')
  @Public()
  @ApiExcludeEndpoint()
  loginForm(
    @Req() request: HttpRequest,
    @Res() reply: HttpReply,
    @Query('error') error?: string,
  ): void {
    const message =
      error === 'link' ? 'This login link is invalid or has expired. Please log in.' : undefined;
    const mount = mountOf(request, '/dashboard/login');
    this.html(reply, loginPage(this.csrfToken(request, reply), message, '', mount));
  }

  @Throttled('login', { account: ['email'] })
  @Post('dashboard/login/')
  @Public()
  @ApiExcludeEndpoint()
  async login(
    @Req() request: HttpRequest,
    @Res() reply: HttpReply,
    @UncheckedBody() body: unknown,
  ): Promise<void> {
    const form = (body ?? {}) as Record<string, unknown>;
    this.csrf.check(request);
    const text = (name: string) => (typeof form[name] === 'string' ? form[name] : '');
    const email = text('email').trim();
    const mfaToken = text('mfa_token');
    const mount = mountOf(request, '/dashboard/login');
    // The second step (the code form) posts here too, with the challenge's token.
    const step: LoginStep = mfaToken
      ? { mfaToken, code: text('code').trim() }
      : { identifier: email, password: text('password') };
    try {
      const { user, amr, firstFactor } = await this.auth.checkStep(step, 'dashboard');
      const kind = firstFactor === 'link' ? 'login_link' : 'dashboard';
      await this.startSession(reply, user, kind, amr);
      return this.redirect(reply, `${mount}/dashboard/`);
    } catch (error) {
      const csrf = this.csrfToken(request, reply);
      if (error instanceof MfaRequired) {
        return this.html(reply, mfaCodePage(csrf, error.mfaToken, mount));
      }
      if (error instanceof SecondFactorRefused && error.reason === 'invalid_code') {
        setStatus(reply, 400);
        const message = SECOND_FACTOR_REFUSED_DRF.invalid_code.detail;
        return this.html(reply, mfaCodePage(csrf, mfaToken, mount, message));
      }
      let message: string;
      if (error instanceof LoginRefused) message = loginRefusalMessage(error);
      else if (error instanceof FieldErrors) message = Object.values(error.messages())[0][0];
      else if (error instanceof SecondFactorRefused) {
        message = 'This code form has expired. Please log in again.';
      } else if (error instanceof TooManyAttempts) {
        setStatus(reply, 429);
        setHeader(reply, 'Retry-After', String(error.retryAfter));
        return this.html(
          reply,
          loginPage(csrf, 'Too many wrong codes. Try again later.', '', mount),
        );
      } else throw error;
      setStatus(reply, 400);
      this.html(reply, loginPage(csrf, message, email, mount));
    }
  }

  /** Enrolment, step 1: a new secret, shown as a QR code (and as text) with the confirm form. */
  @Throttled('mfa', { user: true })
  @Post('dashboard/mfa/totp/')
  @Public()
  @ApiExcludeEndpoint()
  async beginTotp(@Req() request: HttpRequest, @Res() reply: HttpReply): Promise<void> {
    this.csrf.check(request);
    const mount = mountOf(request, '/dashboard/mfa/totp');
    const user = await this.dashboard.sessionUser(
      parseCookies(request.headers.cookie)[SESSION_COOKIE],
    );
    if (!user) return this.redirect(reply, `${mount}${LOGIN_PATH}`);
    try {
      const { secret, qrSvg } = await this.mfa.beginTotp(user);
      this.html(reply, mfaEnrolPage(this.csrfToken(request, reply), secret, qrSvg, mount));
    } catch (error) {
      if (!(error instanceof MfaStateConflict)) throw error;
      return this.redirect(reply, `${mount}/dashboard/`);
    }
  }

  /** Enrolment, step 2: the first code turns MFA on; the recovery codes are shown this once. */
  @Throttled('mfa', { user: true })
  @Post('dashboard/mfa/totp/confirm/')
  @Public()
  @ApiExcludeEndpoint()
  async confirmTotp(
    @Req() request: HttpRequest,
    @Res() reply: HttpReply,
    @UncheckedBody() body: unknown,
  ): Promise<void> {
    this.csrf.check(request);
    const mount = mountOf(request, '/dashboard/mfa/totp/confirm');
    const user = await this.dashboard.sessionUser(
      parseCookies(request.headers.cookie)[SESSION_COOKIE],
    );
    if (!user) return this.redirect(reply, `${mount}${LOGIN_PATH}`);
    const form = (body ?? {}) as Record<string, unknown>;
    const code = typeof form.code === 'string' ? form.code.trim() : '';
    const csrf = this.csrfToken(request, reply);
    try {
      const { recoveryCodes } = await this.mfa.confirmTotp(user, code, { surface: 'dashboard' });
      setHeaders(reply, { 'Cache-Control': 'no-store' });
      this.html(reply, recoveryCodesPage(csrf, recoveryCodes, mount));
    } catch (error) {
      if (error instanceof MfaStateConflict) return this.redirect(reply, `${mount}/dashboard/`);
      if (!(error instanceof MfaCodeRejected || error instanceof TooManyAttempts)) throw error;
      // The pending secret is never shown twice: a new one replaces it, with a new QR code.
      const { secret, qrSvg } = await this.mfa.beginTotp(user);
      setStatus(reply, error instanceof TooManyAttempts ? 429 : 400);
      const message =
        error instanceof TooManyAttempts
          ? 'Too many wrong codes. Try again later.'
          : 'Invalid code. Scan this new QR code and try again.';
      this.html(reply, mfaEnrolPage(csrf, secret, qrSvg, mount, message));
    }
  }

  @Post('dashboard/logout/')
  @Public()
  @ApiExcludeEndpoint()
  async logout(@Req() request: HttpRequest, @Res() reply: HttpReply): Promise<void> {
    this.csrf.check(request);
    await this.dashboard.closeSession(parseCookies(request.headers.cookie)[SESSION_COOKIE]);
    setHeader(
      reply,
      'Set-Cookie',
      serializeCookie(SESSION_COOKIE, '', {
        maxAge: 0,
        httpOnly: true,
        secure: this.config.isProduction,
      }),
    );
    return this.redirect(reply, `${mountOf(request, '/dashboard/logout')}${LOGIN_PATH}`);
  }

  private dashboardUrl(mount: string): string {
    const url = this.config.dashboard.url;
    return url === DEFAULT_DASHBOARD_URL ? `${mount}${url}` : url;
  }

  private async startSession(
    reply: HttpReply,
    user: User,
    kind: 'dashboard' | 'login_link' = 'dashboard',
    amr?: readonly string[],
  ): Promise<void> {
    const secret = await this.dashboard.openSession(user, kind, amr);
    setHeader(
      reply,
      'Set-Cookie',
      serializeCookie(SESSION_COOKIE, secret, {
        maxAge: this.config.dashboard.sessionLifetime,
        httpOnly: true,
        secure: this.config.isProduction,
        sameSite: 'Lax',
      }),
    );
  }

  private csrfToken(request: HttpRequest, reply: HttpReply): string {
    return ensureCsrfToken(request, reply, { secure: this.config.isProduction });
  }

  private html(reply: HttpReply, body: string): void {
    setHeaders(reply, PAGE_HEADERS);
    setHeader(reply, 'Content-Type', 'text/html; charset=utf-8');
    send(reply, body);
  }

  private redirect(reply: HttpReply, location: string): void {
    setHeaders(reply, { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    redirect(reply, location, 302);
  }
}
