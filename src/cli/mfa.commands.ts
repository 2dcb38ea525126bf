import type { INestApplicationContext } from '@nestjs/common';
import { MfaService } from '../mfa/mfa.service';
import type { CommandSpec } from './command';
import { existingUser } from './user.commands';

export const resetMfaCommand: CommandSpec = {
  name: 'mfa:reset',
  usage: 'mfa:reset --email E',
  description:
    "Turns a user's multi-factor login off (a lost authenticator): the TOTP device and the recovery " +
    'codes are deleted, so logins ask for the password alone until the user enrols again. Recorded as ' +
    '`mfa.disabled`.',
  options: { email: { type: 'string' } },
  help: ["--email E                     the user's e-mail address"],
  async run(app: INestApplicationContext, values) {
    const user = await existingUser(app, values.email);
    const wasOn = await app.get(MfaService).reset(user.id, { cli: true });
    return {
      text: wasOn
        ? `multi-factor login turned off for user ${user.id}`
        : `user ${user.id} had no multi-factor login`,
      json: { user_id: user.id, reset: wasOn },
    };
  },
};
