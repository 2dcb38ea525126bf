import { UsersService } from '../src/accounts/users.service';
import { MailService } from '../src/mail/mail.service';
import { Mailbox } from './support/mailbox';
import { freePort, type ServerProcess, startServer, waitForHttp } from './support/processes';
import { redisServer } from './support/services';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { captureLogs, startTestApp, testEnvironment } from './support/test-app';

const PASSWORD = 'Zebra-Quartz-71';

/** Waits until `predicate` holds, polling; fails with `what` after the timeout. */
async function until(predicate: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Kills the server at a moment its outbox holds the mail as failed and not in
 * flight: the line "attempt 1 failed" is logged before the failure is recorded,
 * and a retry may be under way when the spec looks, and a mail claimed by a dead
 * instance waits out its lease (minutes) by design. Stopping the process first
 * makes the look and the kill one moment.
 */
async function killBetweenAttempts(server: ServerProcess, database: TestDatabase): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    server.child.kill('SIGSTOP');
    const rows = await database.query<{ attempts: number; claimed_until: unknown }>(
      'SELECT attempts, claimed_until FROM mail_outbox',
    );
    if (rows.length === 1 && rows[0].attempts >= 1 && rows[0].claimed_until === null) break;
    server.child.kill('SIGCONT');
    if (Date.now() > deadline)
      throw new Error(`the outbox never held the mail between attempts: ${JSON.stringify(rows)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  server.child.kill('SIGKILL');
  await server.exited;
}

/**
 * Two instances on one database, password resets asked of both in turn: every
 * address gets its mail exactly once and nothing is left queued. Returns what
 * both instances logged.
 */
async function deliversEachOnceAcrossTwoInstances(
  env: Record<string, string>,
  tag: string,
  count: number,
): Promise<string[]> {
  const mailbox = await Mailbox.start();
  const logs = captureLogs();
  const instanceEnv = { ...env, SMTP_URL: mailbox.url, LOG_LEVEL: 'info' };
  const a = await startTestApp({ env: instanceEnv, logStream: logs.stream });
  const b = await startTestApp({ database: a.database, env: instanceEnv, logStream: logs.stream });
  try {
    const users = a.app.get(UsersService);
    const addresses = Array.from({ length: count }, (_, i) => `${tag}${i}@example.com`);
    for (const [i, email] of addresses.entries()) {
      await users.create({ email, username: `${tag}${i}`, password: PASSWORD });
    }
    await Promise.all(
      addresses.map((email, i) => (i % 2 ? a : b).http.post('/auth/password/reset/', { email })),
    );
    await Promise.all([a.app.get(MailService).idle(), b.app.get(MailService).idle()]);
    expect(mailbox.mails.map((mail) => mail.to[0]).sort()).toEqual([...addresses].sort());
    expect(await a.app.get(MailService).queueDepth()).toBe(0);
    return logs.lines;
  } finally {
    await b.close();
    await a.close();
    await mailbox.stop();
  }
}

describe('the mail outbox', () => {
  it('delivers each mail exactly once when two instances share the database', async () => {
    await deliversEachOnceAcrossTwoInstances({}, 'once', 8);
  });

  it('delivers, once, a mail queued on an instance killed before it could deliver', async () => {
    const database = await createTestDatabase();
    const mailbox = await Mailbox.start();
    await mailbox.stop(); // SMTP is down while the first instance runs
    const port = String(await freePort());
    const first = startServer({
      ...testEnvironment(database.url, {
        HOST: '127.0.0.1',
        PORT: port,
        LOG_LEVEL: 'info',
        SMTP_URL: mailbox.url,
        MAIL_RETRY_DELAY: '1',
      }),
    });
    try {
      await waitForHttp(`http://127.0.0.1:${port}/health`, first);
      const second = await startTestApp({ database, env: { SMTP_URL: mailbox.url } });
      // Registered through the second instance, reset asked of the first.
      await second.app
        .get(UsersService)
        .create({ email: 'kept@example.com', username: 'kept', password: PASSWORD });
      await second.close(); // only the first instance runs now
      const reset = await fetch(`http://127.0.0.1:${port}/auth/password/reset/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'kept@example.com' }),
      });
      expect(reset.status).toBe(200);
      await until(
        () => /mail \\?"password-reset\\?" attempt 1 failed/.test(first.output()),
        'a failed attempt',
      );
      await killBetweenAttempts(first, database);

      await mailbox.listen();
      const restarted = await startTestApp({ database, env: { SMTP_URL: mailbox.url } });
      try {
        await mailbox.waitFor('kept@example.com', 1, 30_000);
        await restarted.app.get(MailService).idle();
        expect(mailbox.to('kept@example.com')).toHaveLength(1);
        expect(mailbox.to('kept@example.com')[0].subject).toContain('Password Reset');
      } finally {
        await restarted.close();
      }
    } finally {
      if (first.child.exitCode === null) first.child.kill('SIGKILL');
      await mailbox.stop();
      await database.drop();
    }
  });
});

const redis = redisServer();

(redis ? describe : describe.skip)('the mail queue in Redis (REDIS_URL, BullMQ)', () => {
  /** This spec's own Redis keys. */
  const prefix = `gh-test-${process.pid}-${Date.now()}`;

  it('delivers each mail exactly once across two instances, none through the outbox table', async () => {
    const env = { REDIS_URL: redis ?? '', REDIS_PREFIX: `${prefix}-a` };
    const logs = await deliversEachOnceAcrossTwoInstances(env, 'queued', 6);
    // A mail Redis cannot take goes to the outbox table, and says so.
    expect(logs.join('\n')).not.toContain('using the database outbox');
  });

  it('keeps a mail whose delivery failed across a restart, and delivers it once', async () => {
    const mailbox = await Mailbox.start();
    await mailbox.stop(); // SMTP is down while the first instance runs
    const env = {
      SMTP_URL: mailbox.url,
      REDIS_URL: redis ?? '',
      REDIS_PREFIX: `${prefix}-b`,
      MAIL_RETRY_DELAY: '1',
      LOG_LEVEL: 'info',
    };
    const { stream, lines } = captureLogs();
    const first = await startTestApp({ env, logStream: stream });
    const database = first.database;
    try {
      await first.app
        .get(UsersService)
        .create({ email: 'survivor@example.com', username: 'survivor', password: PASSWORD });
      await first.http.post('/auth/password/reset/', { email: 'survivor@example.com' });
      await until(
        () => lines.join('').includes('mail \\"password-reset\\" attempt 1 failed'),
        'a failed attempt',
      );
      await first.app.close(); // the mail is still in Redis, not in the outbox table
      await mailbox.listen();
      const second = await startTestApp({ database, env: { ...env, LOG_LEVEL: 'silent' } });
      try {
        await mailbox.waitFor('survivor@example.com', 1, 30_000);
        await second.app.get(MailService).idle();
        expect(mailbox.to('survivor@example.com')).toHaveLength(1);
      } finally {
        await second.close();
      }
    } finally {
      await mailbox.stop();
      await database.drop();
    }
  });
});
