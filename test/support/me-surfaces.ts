import type { LoginScheme } from '../../src/testing';

/**
 * Every surface's `<me>` path (the caller's own account, where the sessions and MFA
 * endpoints live), its dialect, and the scheme its own clients log in with.
 */
export const ME_SURFACES = [
  { me: '/accounts/auth/users/me', slash: '/', dialect: 'drf', scheme: 'JWT' },
  { me: '/auth/user', slash: '/', dialect: 'drf', scheme: 'JWT' },
  { me: '/authentication/user', slash: '/', dialect: 'drf', scheme: 'Token' },
  { me: '/users/me', slash: '', dialect: 'fastapi', scheme: 'Bearer' },
] as const satisfies readonly {
  me: string;
  slash: string;
  dialect: 'drf' | 'fastapi';
  scheme: LoginScheme;
}[];
export type MeSurface = (typeof ME_SURFACES)[number];
