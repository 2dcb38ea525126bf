import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The mails Gatehouse sends; each name is also the file stem of its override. */
export const MAIL_TEMPLATE_NAMES = [
  'email-verification',
  'password-reset',
  'password-changed',
  'fastapi-users-verify',
  'fastapi-users-reset',
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
