import { DrfView } from '../../dialects/drf/drf-metadata';

/**
 * dj-rest-auth's views as DRF's OPTIONS names them: class name and docstring
 * (dedented, as `get_view_description` gives it). Its registration views carry
 * no docstring.
 */
export const LoginView = () =>
  DrfView(
    'LoginView',
    'Check the credentials and return the REST Token\n' +
      'if the credentials are valid and authenticated.\n' +
      'Calls Django Auth login method to register User ID\n' +
      'in Django session framework\n\n' +
      'Accept the following POST parameters: username, password\n' +
      "Return the REST Framework Token Object's key.",
  );

export const LogoutView = () =>
  DrfView(
    'LogoutView',
    'Calls Django logout method and delete the Token object\n' +
      'assigned to the current User object.\n\n' +
      'Accepts/Returns nothing.',
  );

export const UserDetailsView = () =>
  DrfView(
    'UserDetailsView',
    'Reads and updates UserModel fields\n' +
      'Accepts GET, PUT, PATCH methods.\n\n' +
      'Default accepted fields: username, first_name, last_name\n' +
      'Default display fields: pk, username, email, first_name, last_name\n' +
      'Read-only fields: pk, email\n\n' +
      'Returns UserModel fields.',
  );

export const PasswordResetView = () =>
  DrfView(
    'PasswordResetView',
    'Calls Django Auth PasswordResetForm save method.\n\n' +
      'Accepts the following POST parameters: email\n' +
      'Returns the success/fail message.',
  );

export const PasswordResetConfirmView = () =>
  DrfView(
    'PasswordResetConfirmView',
    'Password reset e-mail link is confirmed, therefore\n' +
      "this resets the user's password.\n\n" +
      'Accepts the following POST parameters: token, uid,\n' +
      '    new_password1, new_password2\n' +
      'Returns the success/fail message.',
  );

export const PasswordChangeView = () =>
  DrfView(
    'PasswordChangeView',
    'Calls Django Auth SetPasswordForm save method.\n\n' +
      'Accepts the following POST parameters: new_password1, new_password2\n' +
      'Returns the success/fail message.',
  );

export const RegisterView = () => DrfView('RegisterView');
export const VerifyEmailView = () => DrfView('VerifyEmailView');
export const ResendEmailVerificationView = () => DrfView('ResendEmailVerificationView');
/** dj-rest-auth's `get_refresh_view()`: SimpleJWT's refresh view with cookie support, no docstring. */
export const RefreshViewWithCookieSupport = () => DrfView('RefreshViewWithCookieSupport');
