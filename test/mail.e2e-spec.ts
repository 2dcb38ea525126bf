import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { UsersService } from '../src/accounts/users.service';
import { MailService } from '../src/mail/mail.service';
import { Mailbox } from './support/mailbox';
import { captureLogs, startTestApp } from './support/test-app';

const PASSWORD = 'Zebra-Quartz-71';

describe('MailModule', () => {
  it('takes a deployment’s templates from MAIL_TEMPLATES_DIR, part by part, escaping HTML values', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-templates-'));
    writeFileSync(join(dir, 'password-reset.subject.txt'), 'Reset for {{ username }}\n');
    writeFileSync(
      join(dir, 'password-reset.txt'),
      'Hi {{username}}, open {{ password_reset_url }} (uid {{ uid }}).{{ unknown }}',
    );
    const mailbox = await Mailbox.start();
    const t = await startTestApp({
      env: { SMTP_URL: mailbox.url, MAIL_TEMPLATES_DIR: dir, FRONTEND_URL: 'https://x.test' },
    });
    try {
      const user = await t.app
        .get(UsersService)
        .create({ email: 'tpl@example.com', username: 'a<b>&"c', password: PASSWORD });
      await t.http.post('/auth/password/reset/', { email: 'tpl@example.com' });
      const mail = await mailbox.waitFor('tpl@example.com');
      expect(mail.subject).toBe('Reset for a<b>&"c');
      expect(mail.text).toMatch(
        new RegExp(
          `^Hi a<b>&"c, open https://x\\.test/password-reset/confirm/${user.id.toString(36)}/[0-9a-z]+-[0-9a-f]{32}/ \\(uid ${user.id.toString(36)}\\)\\.$`,
        ),
      );
      // No HTML override: the built-in one, with the value escaped.
      expect(mail.html).toContain('your username is a&lt;b&gt;&amp;&quot;c');
    } finally {
      await t.close();
      await mailbox.stop();
    }
  });

  it('authenticates to the SMTP server with the credentials of SMTP_URL', async () => {
    const received: { user?: string; to: string[] }[] = [];
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth(auth, _session, callback) {
        if (auth.username === 'mailer' && auth.password === 's3cret/pass') {
          callback(null, { user: auth.username });
        } else {
          callback(new Error('Invalid username or password'));
        }
      },
      onData(stream, session, callback) {
        stream.resume();
        stream.on('end', () => {
          received.push({
            user: session.user as string | undefined,
            to: session.envelope.rcptTo.map((r) => r.address),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.server.address() as { port: number }).port;
    const t = await startTestApp({
      env: { SMTP_URL: `smtp://mailer:${encodeURIComponent('s3cret/pass')}@127.0.0.1:${port}` },
    });
    try {
      await t.app
        .get(UsersService)
        .create({ email: 'auth@example.com', username: 'auth', password: PASSWORD });
      await t.http.post('/auth/password/reset/', { email: 'auth@example.com' });
      await t.app.get(MailService).idle();
      expect(received).toEqual([{ user: 'mailer', to: ['auth@example.com'] }]);
    } finally {
      await t.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('writes mails to the log, link included, when no SMTP_URL is set', async () => {
    const { stream, lines } = captureLogs();
    const t = await startTestApp({
      logStream: stream,
      env: { LOG_LEVEL: 'info', FRONTEND_URL: 'https://console.test' },
    });
    try {
      await t.app
        .get(UsersService)
        .create({ email: 'console@example.com', username: 'console', password: PASSWORD });
      const res = await t.http.post('/auth/password/reset/', { email: 'console@example.com' });
      expect(res.status).toBe(200);
      await t.app.get(MailService).idle();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const mail = lines
        .map((line) => JSON.parse(line) as { msg?: string })
        .find((entry) => entry.msg?.includes('console@example.com'));
      expect(mail?.msg).toContain('Password Reset E-mail');
      expect(mail?.msg).toMatch(
        /https:\/\/console\.test\/password-reset\/confirm\/\w+\/[0-9a-z]+-[0-9a-f]{32}\//,
      );
    } finally {
      await t.close();
    }
  });

  it('gives a mail up after MAIL_MAX_ATTEMPTS, and logs why without the link', async () => {
    const { stream, lines } = captureLogs();
    const mailbox = await Mailbox.start();
    await mailbox.stop(); // nothing listens on this port any more
    const t = await startTestApp({
      logStream: stream,
      env: {
        LOG_LEVEL: 'info',
        SMTP_URL: mailbox.url,
        MAIL_RETRY_DELAY: '0.01',
        MAIL_MAX_ATTEMPTS: '3',
      },
    });
    try {
      await t.app
        .get(UsersService)
        .create({ email: 'lost@example.com', username: 'lost', password: PASSWORD });
      expect(
        (await t.http.post('/auth/password/reset/', { email: 'lost@example.com' })).status,
      ).toBe(200);
      await t.app.get(MailService).idle();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const mailLines = lines
        .map((line) => JSON.parse(line) as { msg?: string; level: number })
        .filter((entry) => entry.msg?.startsWith('mail "password-reset"'));
      expect(mailLines.map((entry) => entry.level)).toEqual([40, 40, 50]);
      expect(mailLines[2].msg).toMatch(/^mail "password-reset" given up after 3 attempts: /);
      expect(lines.join('\n')).not.toMatch(/password-reset\/confirm/);
    } finally {
      await t.close();
    }
  });
});
