/** Reads a JWT's header and payload without verifying it (tests only). */
export function decodeJwt(token: string): {
  header: Record<string, unknown>;
  payload: Record<string, any>;
} {
  const [header, payload] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header ?? '', 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')),
  };
}

/** Builds an unsigned JWT (`alg: none`) with the given payload. */
export function unsignedJwt(payload: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.`;
}

/** SimpleJWT's 401 for a bad, expired or forged access token on an authenticating view. */
export const INVALID_ACCESS_TOKEN_BODY = {
  detail: 'Given token not valid for any token type',
  code: 'token_not_valid',
  messages: [
    { token_class: 'AccessToken', token_type: 'access', message: 'Token is invalid or expired' },
  ],
};
