import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The mails Gatehouse sends; each name is also the file stem of its override. */
export const MAIL_TEMPLATE_NAMES = [
  'email-verification',
  'password-reset',
  'password-changed',
  'fastapi-users-verify',
  'fastapi-users-reset',
  'djoser-activation',
  'djoser-confirmation',
  'djoser-password-reset',
  'djoser-password-changed',
  'djoser-username-changed',
  'djoser-username-reset',
  'mfa-enabled',
  'mfa-disabled',
] as const;
export type MailTemplateName = (typeof MAIL_TEMPLATE_NAMES)[number];

export interface MailTemplate {
  subject: string;
  text: string;
  html: string;
}

/** Values a template can use as `{{ name }}`; HTML templates get them escaped. */
export type MailContext = Record<string, string>;

const SIGNATURE_TEXT = '\n\nThank you for using {{ site_name }}!\n';
const SIGNATURE_HTML = '<p>Thank you for using {{ site_name }}!</p>';

/** djoser's sign-off, in text and HTML (its templates' last lines). */
const DJOSER_THANKS_TEXT = '\n\nThanks for using our site!\n\nThe {{ site_name }} team';
const DJOSER_THANKS_HTML = '<p>Thanks for using our site!</p>\n\n<p>The {{ site_name }} team</p>';
const DJOSER_LINK = '{{ protocol }}://{{ domain }}/{{ url }}';

/** A djoser mail that only tells something happened (confirmation, changed password or e-mail). */
function djoserNotice(subject: string, line: string): MailTemplate {
  return {
    subject,
    text: line + DJOSER_THANKS_TEXT,
    html: `<p>${line}</p>\n\n` + DJOSER_THANKS_HTML,
  };
}

/** A djoser mail carrying a link (password or username reset). */
function djoserReset(subject: string, what: string, page: string): MailTemplate {
  const why = `You're receiving this email because you requested a ${what} reset for your user account at {{ site_name }}.`;
  const forgotten = "Your username, in case you've forgotten:";
  return {
    subject,
    text: `${why}\n\n${page}\n${DJOSER_LINK}\n${forgotten} {{ username }}` + DJOSER_THANKS_TEXT,
    html:
      `<p>${why}</p>\n\n<p>${page}</p>\n<a href="${DJOSER_LINK}">${DJOSER_LINK}</a>\n` +
      `<p>${forgotten} <b>{{ username }}</b></p>\n\n` +
      DJOSER_THANKS_HTML,
  };
}

/** djoser 2.1's templates/email/*.html, their subject, text and HTML blocks word for word. */
const DJOSER_MAIL_TEMPLATES = {
  'djoser-activation': {
    subject: 'Account activation on {{ site_name }}',
    text:
      "You're receiving this email because you need to finish activation process on {{ site_name }}.\n\n" +
      `Please go to the following page to activate account:\n${DJOSER_LINK}` +
      DJOSER_THANKS_TEXT,
    html:
      "<p>You're receiving this email because you need to finish activation process on {{ site_name }}.</p>\n\n" +
      '<p>Please go to the following page to activate account:</p>\n' +
      `<p><a href="${DJOSER_LINK}">${DJOSER_LINK}</a></p>\n\n` +
      DJOSER_THANKS_HTML,
  },
  'djoser-confirmation': djoserNotice(
    '{{ site_name }} - Your account has been successfully created and activated!',
    'Your account has been created and is ready to use!',
  ),
  'djoser-password-reset': djoserReset(
    'Password reset on {{ site_name }}',
    'password',
    'Please go to the following page and choose a new password:',
  ),
  'djoser-password-changed': djoserNotice(
    '{{ site_name }} - Your password has been successfully changed!',
    'Your password has been changed!',
  ),
  'djoser-username-changed': djoserNotice(
    '{{ site_name }} - Your username has been successfully changed!',
    'Your username has been changed!',
  ),
  'djoser-username-reset': djoserReset(
    'Username reset on {{ site_name }}',
    'username',
    'Please go to the following page and choose a new username:',
  ),
} satisfies Record<string, MailTemplate>;

/** Built-in wording, after allauth's and Django's own mails. */
export const DEFAULT_MAIL_TEMPLATES: Record<MailTemplateName, MailTemplate> = {
  'email-verification': {
    subject: '[{{ site_name }}] Please Confirm Your E-mail Address',
    text:
      'Hello from {{ site_name }}!\n\n' +
      "You're receiving this e-mail because user {{ username }} has given your e-mail address to register an account on {{ site_name }}.\n\n" +
      'To confirm this is correct, go to {{ activate_url }}\n\nYour confirmation key: {{ key }}' +
      SIGNATURE_TEXT,
    html:
      '<p>Hello from {{ site_name }}!</p>' +
      "<p>You're receiving this e-mail because user {{ username }} has given your e-mail address to register an account on {{ site_name }}.</p>" +
      '<p>To confirm this is correct, go to <a href="{{ activate_url }}">{{ activate_url }}</a></p>' +
      SIGNATURE_HTML,
  },
  'password-reset': {
    subject: '[{{ site_name }}] Password Reset E-mail',
    text:
      "You're receiving this e-mail because you or someone else has requested a password reset for your user account.\n" +
      'It can be safely ignored if you did not request a password reset. Click the link below to reset your password.\n\n' +
      '{{ password_reset_url }}\n\nIn case you forgot, your username is {{ username }}.' +
      SIGNATURE_TEXT,
    html:
      "<p>You're receiving this e-mail because you or someone else has requested a password reset for your user account.</p>" +
      '<p>It can be safely ignored if you did not request a password reset. Click the link below to reset your password.</p>' +
      '<p><a href="{{ password_reset_url }}">{{ password_reset_url }}</a></p>' +
      '<p>In case you forgot, your username is {{ username }}.</p>' +
      SIGNATURE_HTML,
  },
  'password-changed': {
    subject: '[{{ site_name }}] Password Changed',
    text:
      'This e-mail is confirming that the password for your account {{ username }} on {{ site_name }} has been changed.\n\n' +
      'If you did not make this change, reset your password at once and contact support.' +
      SIGNATURE_TEXT,
    html:
      '<p>This e-mail is confirming that the password for your account {{ username }} on {{ site_name }} has been changed.</p>' +
      '<p>If you did not make this change, reset your password at once and contact support.</p>' +
      SIGNATURE_HTML,
  },
  'fastapi-users-verify': {
    subject: '[{{ site_name }}] Verify your e-mail address',
    text:
      'To verify {{ email }}, go to {{ verify_url }}\n\nor send this token to /auth/verify: {{ token }}' +
      SIGNATURE_TEXT,
    html:
      '<p>To verify {{ email }}, go to <a href="{{ verify_url }}">{{ verify_url }}</a></p>' +
      SIGNATURE_HTML,
  },
  'fastapi-users-reset': {
    subject: '[{{ site_name }}] Reset your password',
    text:
      'Someone asked to reset the password of {{ email }}. If it was you, go to {{ reset_url }}\n\n' +
      'or send this token to /auth/reset-password: {{ token }}\n\nOtherwise ignore this mail.' +
      SIGNATURE_TEXT,
    html:
      '<p>Someone asked to reset the password of {{ email }}. If it was you, go to <a href="{{ reset_url }}">{{ reset_url }}</a></p>' +
      '<p>Otherwise ignore this mail.</p>' +
      SIGNATURE_HTML,
  },
  'mfa-enabled': {
    subject: '[{{ site_name }}] Two-factor authentication enabled',
    text:
      'Two-factor authentication is now on for your account {{ email }} on {{ site_name }}: logins ask for a code from your authenticator app.\n\n' +
      'If you did not make this change, reset your password at once and contact support.' +
      SIGNATURE_TEXT,
    html:
      '<p>Two-factor authentication is now on for your account {{ email }} on {{ site_name }}: logins ask for a code from your authenticator app.</p>' +
      '<p>If you did not make this change, reset your password at once and contact support.</p>' +
      SIGNATURE_HTML,
  },
  'mfa-disabled': {
    subject: '[{{ site_name }}] Two-factor authentication disabled',
    text:
      'Two-factor authentication is now off for your account {{ email }} on {{ site_name }}: logins ask for your password only.\n\n' +
      'If you did not make this change, reset your password at once and contact support.' +
      SIGNATURE_TEXT,
    html:
      '<p>Two-factor authentication is now off for your account {{ email }} on {{ site_name }}: logins ask for your password only.</p>' +
      '<p>If you did not make this change, reset your password at once and contact support.</p>' +
      SIGNATURE_HTML,
  },
  ...DJOSER_MAIL_TEMPLATES,
};

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Fills `{{ name }}` placeholders; unknown names render empty, as Django templates do. */
export function renderTemplate(source: string, context: MailContext, escapeHtml: boolean): string {
  return source.replace(PLACEHOLDER, (_, name: string) => {
    const value = context[name] ?? '';
    return escapeHtml ? value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]) : value;
  });
}

/**
 * A template, with each of its three parts taken from `<dir>/<name>.subject.txt`,
 * `<name>.txt` and `<name>.html` when the deployment provides them.
 */
export async function loadTemplate(
  name: MailTemplateName,
  dir: string | undefined,
): Promise<MailTemplate> {
  const builtIn = DEFAULT_MAIL_TEMPLATES[name];
  if (!dir) return builtIn;
  const [subject, text, html] = await Promise.all([
    readOverride(join(dir, `${name}.subject.txt`)),
    readOverride(join(dir, `${name}.txt`)),
    readOverride(join(dir, `${name}.html`)),
  ]);
  return {
    // A subject is one line, as Django strips it.
    subject: subject?.split(/\r?\n/).join(' ').trim() ?? builtIn.subject,
    text: text ?? builtIn.text,
    html: html ?? builtIn.html,
  };
}

async function readOverride(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
