import type { TradingInfo } from '../../../accounts/account-info.service';
import type { SessionView } from '../../../sessions/session-view';

const escape = (text: string | number | boolean | null): string =>
  String(text ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title: string, body: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} · Gatehouse</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem; color: #1d2433; }
  h1 { font-size: 1.5rem; } dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
  dt { color: #5b6476; } label { display: block; margin: .75rem 0 .25rem; }
  input { width: 100%; padding: .5rem; box-sizing: border-box; } button { margin-top: 1rem; padding: .5rem 1rem; }
  .error { color: #b00020; background: #fdecee; padding: .5rem .75rem; border-radius: 4px; }
  table { border-collapse: collapse; width: 100%; font-size: .875rem; } td, th { text-align: left; padding: .25rem .5rem .25rem 0; vertical-align: top; }
  td form button { margin-top: 0; padding: .25rem .5rem; }
</style>
</head>
<body>
${body}
</body>
</html>`;

/** One row of the sessions table: where and when, and a button to end it. */
function sessionRow(session: SessionView, csrfToken: string, mount: string): string {
  const when = session.last_used ?? session.created;
  return `<tr data-session-id="${escape(session.id)}"${session.current ? ' class="current"' : ''}>
<td>${escape(session.kind)}${session.surface ? ` (${escape(session.surface)})` : ''}${session.amr ? ` <span class="amr">two-factor: ${escape(session.amr.join('+'))}</span>` : ''}${session.current ? ' <strong>this browser</strong>' : ''}</td>
<td>${escape(session.user_agent ?? 'unknown client')}<br>${escape(session.ip_address ?? '')}</td>
<td><time datetime="${escape(when)}">${escape(when.slice(0, 16).replace('T', ' '))}</time></td>
<td><form method="post" action="${escape(mount)}/dashboard/sessions/${escape(session.id)}/end/">
<input type="hidden" name="csrfmiddlewaretoken" value="${escape(csrfToken)}">
<button type="submit" class="end-session">End</button>
</form></td>
</tr>`;
}

/**
 * The trader dashboard: who is logged in, their trading information, where else
 * they are logged in (a button ends each), a logout button.
 */
export function dashboardPage(
  info: TradingInfo,
  csrfToken: string,
  mount = '',
  sessions: readonly SessionView[] = [],
  mfa: { totp: boolean; recoveryCodesLeft: number } = { totp: false, recoveryCodesLeft: 0 },
): string {
  const rows = (Object.entries(info) as [string, string | number | boolean | null][])
    .map(([key, value]) => `<dt>${escape(key)}</dt><dd>${escape(value)}</dd>`)
    .join('\n');
  const sessionRows = sessions.map((s) => sessionRow(s, csrfToken, mount)).join('\n');
  return page(
    'Dashboard',
    `<h1>Trader dashboard</h1>
<p>Logged in as <strong id="user-email">${escape(info.email)}</strong></p>
<dl id="trading-info">
${rows}
</dl>
<h2>Where you are logged in</h2>
<table id="sessions">
<thead><tr><th>Session</th><th>Client</th><th>Last used</th><th></th></tr></thead>
<tbody>
${sessionRows}
</tbody>
</table>
<h2>Two-factor authentication</h2>
${
  mfa.totp
    ? `<p id="mfa-status">On: ${escape(mfa.recoveryCodesLeft)} recovery codes left.</p>`
    : `<p id="mfa-status">Off.</p>
<form method="post" action="${escape(mount)}/dashboard/mfa/totp/">
<input type="hidden" name="csrfmiddlewaretoken" value="${escape(csrfToken)}">
<button type="submit" id="mfa-enrol">Set up an authenticator app</button>
</form>`
}
<form method="post" action="${escape(mount)}/dashboard/logout/">
<input type="hidden" name="csrfmiddlewaretoken" value="${escape(csrfToken)}">
<button type="submit" id="logout">Log out</button>
</form>`,
  );
}

/** The login form; errors are shown inline. */
export function loginPage(csrfToken: string, error?: string, email = '', mount = ''): string {
  return page(
    'Log in',
    `<h1>Log in to the dashboard</h1>
${error ? `<p class="error" id="login-error" role="alert">${escape(error)}</p>` : ''}
<form method="post" action="${escape(mount)}/dashboard/login/">
<input type="hidden" name="csrfmiddlewaretoken" value="${escape(csrfToken)}">
<label for="email">E-mail</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${escape(email)}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit" id="login">Log in</button>
</form>`,
  );
}

/** A login's second step: the code form, carrying the challenge's token to the login endpoint. */
export function mfaCodePage(
  csrfToken: string,
  mfaToken: string,
  mount = '',
  error?: string,
): string {
  return page(
    'Two-factor authentication',
    `<h1>Two-factor authentication</h1>
${error ? `<p class="error" id="login-error" role="alert">${escape(error)}</p>` : ''}
<form method="post" action="${escape(mount)}/dashboard/login/">
<input type="hidden" name="csrfmiddlewaretoken" value="${escape(csrfToken)}">
<input type="hidden" name="mfa_token" value="${escape(mfaToken)}">
<label for="code">Code from your authenticator app, or a recovery code</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required autofocus>
<button type="submit" id="verify">Verify</button>
</form>`,
  );
}

/**
 * Enrolment: the QR code (the service's own SVG, no user input in it) and the
 * secret as text for apps that cannot scan, with the form that confirms a first code.
 */
export function mfaEnrolPage(
  csrfToken: string,
  secret: string,
  qrSvg: string,
  mount = '',
  error?: string,
): string {
  return page(
    'Set up two-factor authentication',
    `<h1>Set up two-factor authentication</h1>
${error ? `<p class="error" id="mfa-error" role="alert">${escape(error)}</p>` : ''}
<p>Scan this code with your authenticator app:</p>
<div id="mfa-qr">${qrSvg}</div>
<p>Or enter this key: <code id="mfa-secret">${escape(secret)}</code></p>
<form method="post" action="${escape(mount)}/dashboard/mfa/totp/confirm/">
<input type="hidden" name="csrfmiddlewaretoken" value="${escape(csrfToken)}">
<label for="code">The code the app shows</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required>
<button type="submit" id="mfa-confirm">Turn on</button>
</form>`,
  );
}

/** Enrolment done: the recovery codes, shown this once. */
export function recoveryCodesPage(csrfToken: string, codes: readonly string[], mount = ''): string {
  return page(
    'Recovery codes',
    `<h1>Two-factor authentication is on</h1>
<p>Keep these recovery codes somewhere safe: each logs you in once without your phone. They are not shown again.</p>
<ul id="recovery-codes">
${codes.map((code) => `<li><code>${escape(code)}</code></li>`).join('\n')}
</ul>
<p><a href="${escape(mount)}/dashboard/" id="mfa-done">Back to the dashboard</a></p>`,
  );
}
