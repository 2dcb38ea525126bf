import type { INestApplicationContext } from '@nestjs/common';
import { NotFoundError } from '../problems/domain.errors';
import { SessionViewsService } from '../sessions/session-views.service';
import { UsageError, type CommandSpec } from './command';
import { existingUser, table } from './user.commands';

export const listSessionsCommand: CommandSpec = {
  name: 'sessions:list',
  usage: 'sessions:list --email E',
  description:
    "Lists a user's live sessions, newest first: id, kind, surface, when opened and last used, " +
    'and the user agent and address of the last use.',
  options: { email: { type: 'string' } },
  help: ["--email E                     the user's e-mail address"],
  async run(app: INestApplicationContext, values) {
    const user = await existingUser(app, values.email);
    const sessions = await app.get(SessionViewsService).listFor(user);
    if (sessions.length === 0) return { text: `user ${user.id} has no live session`, json: [] };
    const text = table(
      ['id', 'kind', 'surface', 'created', 'last used', 'address', 'user agent'],
      sessions.map((s) => [
        s.id,
        s.kind,
        s.surface ?? '',
        s.created,
        s.last_used ?? '',
        s.ip_address ?? '',
        s.user_agent ?? '',
      ]),
    );
    // `current` means nothing outside a request.
    return { text, json: sessions.map(({ current: _current, ...session }) => session) };
  },
};

export const revokeSessionsCommand: CommandSpec = {
  name: 'sessions:revoke',
  usage: 'sessions:revoke --email E [--id ID]',
  description:
    "Ends a user's sessions: the one given, or every one (the user is logged out everywhere; the account " +
    'stays active). Their credentials, access JWTs included, are refused from then on, on every instance ' +
    '(at once with REDIS_URL).',
  options: { email: { type: 'string' }, id: { type: 'string' } },
  help: [
    "--email E                     the user's e-mail address",
    '--id ID                       end this session only (an id from sessions:list)',
  ],
  async run(app: INestApplicationContext, values) {
    const user = await existingUser(app, values.email);
    const sessions = app.get(SessionViewsService);
    const id = values.id as string | undefined;
    if (id === undefined) {
      const ended = await sessions.endAllFor(user);
      return {
        text: `ended ${ended} sessions of user ${user.id}`,
        json: { ended, user_id: user.id },
      };
    }
    try {
      await sessions.endOne(user, id);
    } catch (error) {
      if (error instanceof NotFoundError) {
        throw new UsageError(`--id: user ${user.id} has no live session ${id}`);
      }
      throw error;
    }
    return { text: `ended session ${id} of user ${user.id}`, json: { ended: 1, user_id: user.id } };
  },
};
