import type { INestApplicationContext } from '@nestjs/common';
import { AuditService, authEventView } from '../audit/audit.service';
import { type CommandSpec, UsageError } from './command';

export const tailEventsCommand: CommandSpec = {
  name: 'events:tail',
  usage: 'events:tail [--limit 20]',
  description:
    'Prints the latest authentication events (auth_events), oldest first: time, type, outcome, user, identifier, surface, reason, address, user agent.',
  options: { limit: { type: 'string' } },
  async run(app: INestApplicationContext, values) {
    const limit = values.limit === undefined ? 20 : Number(values.limit);
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > 10_000) {
      throw new UsageError('--limit must be a number from 1 to 10000');
    }
    const views = (await app.get(AuditService).latest(limit)).reverse().map(authEventView);
    if (views.length === 0) return { text: 'no authentication events', json: [] };
    const text = views
      .map((view) => {
        const fields = Object.entries(view)
          .filter(
            ([name, value]) =>
              !['id', 'occurred_at', 'type', 'outcome'].includes(name) && value !== null,
          )
          .map(([name, value]) => `${name}=${JSON.stringify(value)}`);
        return [view.occurred_at, view.type, view.outcome, ...fields].join(' ');
      })
      .join('\n');
    return { text, json: views };
  },
};
