import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Put } from '@nestjs/common';
import {
  ApiBody,
  ApiExtension,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { User } from '../../accounts/user.entity';
import type { HttpRequest } from '../../http/http-seam';
import { Authenticated, Public } from '../../access/access.decorators';
import { CurrentUser } from '../../access/current-user.decorator';
import { DOC_TAGS } from '../../docs/docs.setup';
import { DrfResponse, drfFieldsRequired, namedExamples } from '../../docs/responses';
import { SurfaceDialect } from '../../dialects/dialect.decorators';
import { DrfOptions, DrfViewSetView } from '../../dialects/drf/drf-metadata';
import { drfFieldErrors } from '../../dialects/drf/drf-fields';
import { Throttled } from '../../throttling/throttle-scopes';
import { AccountInfoService } from '../../accounts/account-info.service';
import { AuthInfoDto } from './dto/dstoq-info.dto';
import { dstoqGetSamples } from './dstoq-samples';
import { AUTH_INFO_OUTPUT, AUTH_INFORMATION } from './dstoq.controller';
import { DJOSER_MESSAGES, DjoserUsersService } from '../../registration/djoser-users.service';
import { djoserErrors } from './djoser.errors';
import { DjoserUserId } from './djoser-user-id.decorator';
import {
  DjoserCurrentPasswordDto,
  DjoserEmailDto,
  DjoserEmailResetConfirmDto,
  DjoserPasswordResetConfirmDto,
  DjoserSetEmailDto,
  DjoserSetPasswordDto,
  DjoserUidTokenDto,
  DjoserCurrentUserDto,
  DjoserUserCreateDto,
  DjoserUserDto,
  DjoserUserPatchDto,
  DjoserUserUpdateDto,
} from './dto/djoser-users.dto';

const USER = { username: 'christian', id: 19232, email: 'emailaddressofuser@dstoq.com' };
/** OPTIONS as djoser's UserViewSet answers it: for users only, describing UserSerializer. */
const viewSetView = (name: string) =>
  DrfViewSetView(name, { serializer: DjoserUserDto, level: 'authenticated' });
const NOT_FOUND = { 'Not yours, or no such user (HIDE_USERS)': { detail: 'Not found.' } };
const INVALID_PASSWORD = { 'Wrong current password': { current_password: ['Invalid password.'] } };
const LINK_ERRORS = {
  'Bad uid': { uid: [DJOSER_MESSAGES.invalidUid] },
  'Bad or used token': { token: [DJOSER_MESSAGES.invalidToken] },
};
/** users/set_password/ and the other actions' paths are theirs, whatever the method. */
const ACTION_PATH_DESCRIPTION = "An action's path ({id} = set_password, activation…): POST only";
const actionPath = (method: string) => ({
  [`${method} users/set_password/`]: { detail: `Method "${method}" not allowed.` },
});
const COUNTRY_TOO_LONG = {
  'Over-long country code': { country_code: ['Ensure this field has no more than 2 characters.'] },
};
const WEAK = {
  'Refused by the validators': {
    new_password: ['This password is too short. It must contain at least 8 characters.'],
  },
  'Retyped password differs (the RETYPE setting)': {
    non_field_errors: [DJOSER_MESSAGES.passwordMismatch],
  },
};

/** djoser's UserSerializer: the writable username, the id, the read-only e-mail. */
function userBody(user: User): DjoserUserDto {
  return { username: user.username, id: user.id, email: user.email };
}

/**
 * djoser 2.1's UserViewSet under `/accounts/auth/` (DSTOQ mounts all of
 * `djoser.urls`), for a user model whose USERNAME_FIELD is the e-mail; its
 * settings are the DJOSER_* variables. `GET users/me/` answers seed 000's fields
 * (DSTOQ's current_user serializer), and so do PUT and PATCH on it.
 */
@DrfOptions()
@ApiTags(DOC_TAGS.dstoq.name)
@SurfaceDialect('drf', djoserErrors)
@Controller()
export class DjoserUsersController {
  constructor(
    private readonly djoser: DjoserUsersService,
    private readonly info: AccountInfoService,
  ) {}

  @viewSetView('User List')
  @Get('accounts/auth/users/')
  @Authenticated()
  @ApiOperation({
    summary: 'List users (djoser users/)',
    description: 'HIDE_USERS: a user sees only itself, staff see everyone.',
  })
  @ApiOkResponse({
    description: 'The users the caller may see',
    type: [DjoserUserDto],
    examples: namedExamples({ 'A user': [USER] }),
  })
  async list(@CurrentUser() caller: User): Promise<DjoserUserDto[]> {
    return (await this.djoser.list(caller)).map(userBody);
  }

  @Post('accounts/auth/users/')
  @Public()
  @Throttled('mail', { account: ['email'] })
  @HttpCode(201)
  @ApiOperation({
    summary: 'Sign up (djoser users/)',
    description:
      '`re_password` is required with `DJOSER_USER_CREATE_PASSWORD_RETYPE`. With `DJOSER_SEND_ACTIVATION_EMAIL` ' +
      'the user is created inactive and mailed an activation link (`DJOSER_ACTIVATION_URL`).',
  })
  @ApiBody({
    type: DjoserUserCreateDto,
    examples: namedExamples({
      'Sign-up': {
        username: 'christian',
        email: 'emailaddressofuser@dstoq.com',
        password: 'AVerySecretPassword',
      },
    }),
  })
  @ApiCreatedResponse({
    description: 'The new user',
    type: DjoserUserDto,
    examples: namedExamples({ Created: USER }),
  })
  @DrfResponse(400, 'Missing or taken fields, a weak password, retyped password differs', {
    'Missing fields': drfFieldsRequired('username', 'email', 'password'),
    'Taken e-mail': { email: ['user with this email address already exists.'] },
    'Taken username': { username: ['A user with that username already exists.'] },
    'Weak password': { password: ['This password is too common.'] },
    'Passwords differ': { non_field_errors: [DJOSER_MESSAGES.passwordMismatch] },
    'Taken by a concurrent sign-up': [DJOSER_MESSAGES.cannotCreateUser],
  })
  async create(@Body() body: DjoserUserCreateDto) {
    const user = await this.djoser.create(
      { ...body, rePassword: body.re_password },
      drfFieldErrors(body),
    );
    return { username: user.username, email: user.email, id: user.id };
  }

  @DrfViewSetView('Me')
  @Get('accounts/auth/users/me/')
  @Authenticated()
  @ApiExtension('x-codeSamples', dstoqGetSamples('/accounts/auth/users/me/'))
  @ApiOperation({
    summary: 'Auth Information (djoser users/me)',
    description: `${AUTH_INFORMATION} The document's shell sample calls this path; the same answer as \`GET /accounts/accounts/user/\`.`,
  })
  @ApiOkResponse({ description: 'Auth information', type: AuthInfoDto, examples: AUTH_INFO_OUTPUT })
  usersMe(@CurrentUser() user: User) {
    return this.info.authInfo(user);
  }

  @Put('accounts/auth/users/me/')
  @Authenticated()
  @ApiOperation({
    summary: 'Update the current user (djoser users/me/)',
    description:
      "DSTOQ's current_user serializer: `country_code` is the writable field (`email` and `kyc_status` " +
      'are read-only). Answers with the current user as `GET users/me/` shows it.',
  })
  @ApiBody({
    type: DjoserCurrentUserDto,
    examples: namedExamples({ Country: { country_code: 'br' } }),
  })
  @ApiOkResponse({ description: 'The current user', type: AuthInfoDto, examples: AUTH_INFO_OUTPUT })
  @DrfResponse(400, 'An over-long country code', COUNTRY_TOO_LONG)
  async updateMe(@CurrentUser() user: User, @Body() body: DjoserCurrentUserDto) {
    return this.info.authInfo(await this.djoser.update(user, { countryCode: body.country_code }));
  }

  @Patch('accounts/auth/users/me/')
  @Authenticated()
  @ApiOperation({
    summary: 'Partially update the current user (djoser users/me/)',
    description: 'As PUT (whose fields are all optional already).',
  })
  @ApiBody({
    type: DjoserCurrentUserDto,
    examples: namedExamples({ Country: { country_code: 'br' } }),
  })
  @ApiOkResponse({ description: 'The current user', type: AuthInfoDto, examples: AUTH_INFO_OUTPUT })
  @DrfResponse(400, 'An over-long country code', COUNTRY_TOO_LONG)
  async patchMe(@CurrentUser() user: User, @Body() body: DjoserCurrentUserDto) {
    return this.info.authInfo(await this.djoser.update(user, { countryCode: body.country_code }));
  }

  @Delete('accounts/auth/users/me/')
  @Authenticated()
  @Throttled('login', { user: true })
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete the current user (djoser users/me/)',
    description: 'Needs the current password; the user is gone from every surface.',
  })
  @ApiBody({
    type: DjoserCurrentPasswordDto,
    examples: namedExamples({ 'Current password': { current_password: 'AVerySecretPassword' } }),
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @DrfResponse(400, 'A wrong current password', INVALID_PASSWORD)
  async deleteMe(@CurrentUser() user: User, @Body() body: DjoserCurrentPasswordDto) {
    await this.djoser.delete(user, user, body.current_password);
  }

  @viewSetView('Activation')
  @Post('accounts/auth/users/activation/')
  @Public()
  @Throttled('confirm', { token: ['uid', 'token'] })
  @HttpCode(204)
  @ApiOperation({
    summary: 'Activate an account from the mailed link (djoser users/activation/)',
    description:
      'uid and token come from the activation mail; a link works once (then it is stale).',
  })
  @ApiBody({
    type: DjoserUidTokenDto,
    examples: namedExamples({
      Link: { uid: 'MTk', token: 'cvs5z6-0c3cb4b5fd8b4a4d2d1a8a6e2a5b0f1e' },
    }),
  })
  @ApiNoContentResponse({ description: 'Activated' })
  @DrfResponse(400, 'A bad uid or token', LINK_ERRORS)
  @DrfResponse(403, 'Already active', { Stale: { detail: DJOSER_MESSAGES.staleToken } })
  async activation(@Body() body: DjoserUidTokenDto) {
    await this.djoser.activate(body.uid, body.token);
  }

  @viewSetView('Resend activation')
  @Post('accounts/auth/users/resend_activation/')
  @Public()
  @Throttled('mail', { account: ['email'] })
  @HttpCode(204)
  @ApiOperation({
    summary: 'Mail the activation link again (djoser users/resend_activation/)',
    description:
      'djoser answers a bare 400 (no body) when `DJOSER_SEND_ACTIVATION_EMAIL` is off or no inactive user has the address.',
  })
  @ApiBody({ type: DjoserEmailDto, examples: namedExamples({ Address: { email: USER.email } }) })
  @ApiNoContentResponse({ description: 'Mailed' })
  @DrfResponse(
    400,
    'Not resent (no body; with a *_SHOW_EMAIL_NOT_FOUND setting on, the list), or not an e-mail address',
    {
      'Invalid address': { email: ['Enter a valid email address.'] },
      'No inactive user (SHOW_EMAIL_NOT_FOUND)': [DJOSER_MESSAGES.emailNotFound],
    },
  )
  async resendActivation(@Body() body: DjoserEmailDto) {
    await this.djoser.resendActivation(body.email);
  }

  @viewSetView('Set password')
  @Post('accounts/auth/users/set_password/')
  @Authenticated()
  @Throttled('login', { user: true })
  @HttpCode(204)
  @ApiOperation({
    summary: 'Change the password (djoser users/set_password/)',
    description: '`re_new_password` is required with `DJOSER_SET_PASSWORD_RETYPE`.',
  })
  @ApiBody({
    type: DjoserSetPasswordDto,
    examples: namedExamples({
      Change: { new_password: 'N3w-passw0rd!', current_password: 'AVerySecretPassword' },
    }),
  })
  @ApiNoContentResponse({ description: 'Changed' })
  @DrfResponse(400, 'A wrong current password, a weak or mistyped new one', {
    ...INVALID_PASSWORD,
    ...WEAK,
  })
  async setPassword(@CurrentUser() user: User, @Body() body: DjoserSetPasswordDto) {
    await this.djoser.setPassword(
      user,
      body.new_password,
      body.current_password,
      body.re_new_password,
      drfFieldErrors(body),
    );
  }

  @viewSetView('Reset password')
  @Post('accounts/auth/users/reset_password/')
  @Public()
  @Throttled('mail', { account: ['email'] })
  @HttpCode(204)
  @ApiOperation({
    summary: 'Mail a password reset link (djoser users/reset_password/)',
    description:
      'The same answer, in the same time, whether the address is known or not, unless ' +
      '`DJOSER_PASSWORD_RESET_SHOW_EMAIL_NOT_FOUND` is on. The link is `DJOSER_PASSWORD_RESET_CONFIRM_URL`.',
  })
  @ApiBody({ type: DjoserEmailDto, examples: namedExamples({ Address: { email: USER.email } }) })
  @ApiNoContentResponse({ description: 'Mailed, if the address is an active user’s' })
  @DrfResponse(400, 'Not an e-mail address, or (a *_SHOW_EMAIL_NOT_FOUND setting on) unknown', {
    'Invalid address': { email: ['Enter a valid email address.'] },
    'Unknown address (SHOW_EMAIL_NOT_FOUND)': [DJOSER_MESSAGES.emailNotFound],
  })
  async resetPassword(@Body() body: DjoserEmailDto) {
    await this.djoser.requestReset(body.email, 'password');
  }

  @viewSetView('Reset password confirm')
  @Post('accounts/auth/users/reset_password_confirm/')
  @Public()
  @Throttled('confirm', { token: ['uid', 'token'] })
  @HttpCode(204)
  @ApiOperation({
    summary: 'Set a new password from the mailed link (djoser users/reset_password_confirm/)',
    description:
      'A link works once. `re_new_password` is required with `DJOSER_PASSWORD_RESET_CONFIRM_RETYPE`.',
  })
  @ApiBody({
    type: DjoserPasswordResetConfirmDto,
    examples: namedExamples({
      Link: {
        uid: 'MTk',
        token: 'cvs5z6-0c3cb4b5fd8b4a4d2d1a8a6e2a5b0f1e',
        new_password: 'N3w-passw0rd!',
      },
    }),
  })
  @ApiNoContentResponse({ description: 'Reset' })
  @DrfResponse(400, 'A bad uid or token, a weak or mistyped password', { ...LINK_ERRORS, ...WEAK })
  async resetPasswordConfirm(@Body() body: DjoserPasswordResetConfirmDto) {
    await this.djoser.confirmPasswordReset(
      body.uid,
      body.token,
      body.new_password,
      body.re_new_password,
    );
  }

  @viewSetView('Set username')
  @Post('accounts/auth/users/set_email/')
  @Authenticated()
  @Throttled('login', { user: true })
  @HttpCode(204)
  @ApiOperation({
    summary: 'Change the e-mail (djoser users/set_email/)',
    description: '`re_new_email` is required with `DJOSER_SET_USERNAME_RETYPE`.',
  })
  @ApiBody({
    type: DjoserSetEmailDto,
    examples: namedExamples({
      Change: { current_password: 'AVerySecretPassword', new_email: 'new@dstoq.com' },
    }),
  })
  @ApiNoContentResponse({ description: 'Changed' })
  @DrfResponse(400, 'A wrong password, a taken or mistyped address', {
    ...INVALID_PASSWORD,
    'Taken address': { new_email: ['user with this email address already exists.'] },
    'Addresses differ': { non_field_errors: [DJOSER_MESSAGES.emailMismatch] },
  })
  async setEmail(@CurrentUser() user: User, @Body() body: DjoserSetEmailDto) {
    await this.djoser.setEmail(
      user,
      body.current_password,
      body.new_email,
      body.re_new_email,
      drfFieldErrors(body),
    );
  }

  @viewSetView('Reset username')
  @Post('accounts/auth/users/reset_email/')
  @Public()
  @Throttled('mail', { account: ['email'] })
  @HttpCode(204)
  @ApiOperation({
    summary: 'Mail an e-mail reset link (djoser users/reset_email/)',
    description: 'As reset_password; the link is `DJOSER_USERNAME_RESET_CONFIRM_URL`.',
  })
  @ApiBody({ type: DjoserEmailDto, examples: namedExamples({ Address: { email: USER.email } }) })
  @ApiNoContentResponse({ description: 'Mailed, if the address is an active user’s' })
  @DrfResponse(400, 'Not an e-mail address, or (a *_SHOW_EMAIL_NOT_FOUND setting on) unknown', {
    'Invalid address': { email: ['Enter a valid email address.'] },
    'Unknown address (SHOW_EMAIL_NOT_FOUND)': [DJOSER_MESSAGES.emailNotFound],
  })
  async resetEmail(@Body() body: DjoserEmailDto) {
    await this.djoser.requestReset(body.email, 'email');
  }

  @viewSetView('Reset username confirm')
  @Post('accounts/auth/users/reset_email_confirm/')
  @Public()
  @Throttled('confirm', { token: ['uid', 'token'] })
  @HttpCode(204)
  @ApiOperation({
    summary: 'Set a new e-mail from the mailed link (djoser users/reset_email_confirm/)',
    description: 'A link works once (it is bound to the old address).',
  })
  @ApiBody({
    type: DjoserEmailResetConfirmDto,
    examples: namedExamples({
      Link: {
        uid: 'MTk',
        token: 'cvs5z6-0c3cb4b5fd8b4a4d2d1a8a6e2a5b0f1e',
        new_email: 'new@dstoq.com',
      },
    }),
  })
  @ApiNoContentResponse({ description: 'Changed' })
  @DrfResponse(400, 'A bad uid or token, a taken address', LINK_ERRORS)
  async resetEmailConfirm(@Body() body: DjoserEmailResetConfirmDto) {
    await this.djoser.confirmEmailReset(
      body.uid ?? '',
      body.token ?? '',
      body.new_email,
      body.re_new_email,
      drfFieldErrors(body),
    );
  }

  @DrfViewSetView('User Instance', {
    serializer: DjoserUserDto,
    level: 'authenticated',
    // DRF's PUT check: another user's (HIDE_USERS) or no such id, no PUT described.
    async object(this: DjoserUsersController, request: HttpRequest & { params?: { id?: string } }) {
      return this.djoser.target(request.principal!.user, request.params?.id ?? '', 'update');
    },
  })
  @Get('accounts/auth/users/:id/')
  @ApiParam({ name: 'id', type: String })
  @Authenticated()
  @ApiOperation({
    summary: 'A user (djoser users/{id}/)',
    description: 'Yourself, or anyone for staff.',
  })
  @ApiOkResponse({
    description: 'The user',
    type: DjoserUserDto,
    examples: namedExamples({ 'A user': USER }),
  })
  @DrfResponse(404, 'Another user (HIDE_USERS) or no such user', NOT_FOUND)
  @DrfResponse(405, ACTION_PATH_DESCRIPTION, actionPath('GET'))
  async retrieve(@CurrentUser() caller: User, @DjoserUserId() id: string) {
    return userBody(await this.djoser.target(caller, id, 'read'));
  }

  @Put('accounts/auth/users/:id/')
  @ApiParam({ name: 'id', type: String })
  @Authenticated()
  @ApiOperation({
    summary: 'Update a user (djoser users/{id}/)',
    description: 'Yourself, or anyone for staff; the e-mail is read-only here (see set_email/).',
  })
  @ApiBody({
    type: DjoserUserUpdateDto,
    examples: namedExamples({ Username: { username: 'christian' } }),
  })
  @ApiOkResponse({
    description: 'The updated user',
    type: DjoserUserDto,
    examples: namedExamples({ Updated: USER }),
  })
  @DrfResponse(400, 'A missing or taken username', {
    'Missing field': drfFieldsRequired('username'),
  })
  @DrfResponse(404, 'Another user (HIDE_USERS) or no such user', NOT_FOUND)
  @DrfResponse(405, ACTION_PATH_DESCRIPTION, actionPath('PUT'))
  async update(
    @CurrentUser() caller: User,
    @DjoserUserId() id: string,
    @Body() body: DjoserUserUpdateDto,
  ) {
    return userBody(await this.djoser.update(await this.djoser.target(caller, id, 'update'), body));
  }

  @Patch('accounts/auth/users/:id/')
  @ApiParam({ name: 'id', type: String })
  @Authenticated()
  @ApiOperation({
    summary: 'Partially update a user (djoser users/{id}/)',
    description: 'As PUT, every field optional.',
  })
  @ApiBody({
    type: DjoserUserPatchDto,
    examples: namedExamples({ Username: { username: 'christian' } }),
  })
  @ApiOkResponse({
    description: 'The updated user',
    type: DjoserUserDto,
    examples: namedExamples({ Updated: USER }),
  })
  @DrfResponse(404, 'Another user (HIDE_USERS) or no such user', NOT_FOUND)
  @DrfResponse(405, ACTION_PATH_DESCRIPTION, actionPath('PATCH'))
  @DrfResponse(400, 'A blank, over-long or taken username', {
    'Taken username': { username: ['A user with that username already exists.'] },
  })
  async partialUpdate(
    @CurrentUser() caller: User,
    @DjoserUserId() id: string,
    @Body() body: DjoserUserPatchDto,
  ) {
    return userBody(await this.djoser.update(await this.djoser.target(caller, id, 'update'), body));
  }

  @Delete('accounts/auth/users/:id/')
  @ApiParam({ name: 'id', type: String })
  @Authenticated()
  @Throttled('login', { user: true })
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a user (djoser users/{id}/)',
    description: "The caller's own current password, staff deleting another user included.",
  })
  @ApiBody({
    type: DjoserCurrentPasswordDto,
    examples: namedExamples({ 'Current password': { current_password: 'AVerySecretPassword' } }),
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @DrfResponse(400, 'A wrong current password', INVALID_PASSWORD)
  @DrfResponse(403, "Another user's id", {
    Forbidden: { detail: 'You do not have permission to perform this action.' },
  })
  @DrfResponse(404, 'No such user', NOT_FOUND)
  @DrfResponse(405, ACTION_PATH_DESCRIPTION, actionPath('DELETE'))
  async destroy(
    @CurrentUser() caller: User,
    @DjoserUserId() id: string,
    @Body() body: DjoserCurrentPasswordDto,
  ) {
    const target = await this.djoser.target(caller, id, 'delete');
    await this.djoser.delete(caller, target, body.current_password);
  }
}
