import {
  constants,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  type JsonWebKey,
  type KeyObject,
  timingSafeEqual,
  verify as verifySignature,
} from 'node:crypto';
import type { GatehouseConfig } from '../config/gatehouse-config';
import type { JwtAlgorithm } from '../config/environment';

export interface VerificationKey {
  /** RFC 7638 thumbprint of the public key; absent for HS secrets. */
  kid?: string;
  key: KeyObject;
}

/** How many distinct token headers keyFor remembers (a caller's own headers must not grow it without bound). */
const KNOWN_HEADERS = 64;

/** Raised for a key that cannot serve the configured algorithm; caught at boot. */
export class JwtKeyError extends Error {}

/**
 * The signing key and every key accepted for verification, as KeyObjects (a
 * string secret makes the JWT library rebuild the key on every call). Asymmetric
 * keys carry a `kid` and are published as a JWKS.
 */
export class JwtKeys {
  /** A header segment whose one candidate key is known (see keyFor). */
  private readonly keyOfHeader = new Map<string, KeyObject>();

  private constructor(
    readonly algorithm: JwtAlgorithm,
    readonly signingKey: KeyObject,
    readonly kid: string | undefined,
    readonly verificationKeys: readonly VerificationKey[],
  ) {}

  static fromConfig(jwt: GatehouseConfig['jwt']): JwtKeys {
    const { algorithm } = jwt;
    if (algorithm.startsWith('HS')) {
      if (!jwt.secret) throw new JwtKeyError(`JWT_SECRET is required for ${algorithm}`);
      const signingKey = createSecretKey(Buffer.from(jwt.secret, 'utf8'));
      const previous = [...jwt.previousKeys, ...(jwt.previousSecrets ?? [])].map((secret) => ({
        key: createSecretKey(Buffer.from(secret, 'utf8')),
      }));
      return new JwtKeys(algorithm, signingKey, undefined, [{ key: signingKey }, ...previous]);
    }
    if (!jwt.privateKey) throw new JwtKeyError(`a private key is required for ${algorithm}`);
    const signingKey = parsePrivateKey(jwt.privateKey, 'JWT_PRIVATE_KEY');
    checkKeyFits(algorithm, signingKey, 'JWT_PRIVATE_KEY');
    const current = createPublicKey(signingKey);
    const previous = jwt.previousKeys.map((pem) => {
      const key = parsePublicKey(pem);
      checkKeyFits(algorithm, key, 'JWT_PREVIOUS_KEY_FILES');
      return key;
    });
    const verificationKeys = [current, ...previous].map((key) => ({ kid: thumbprint(key), key }));
    return new JwtKeys(algorithm, signingKey, verificationKeys[0].kid, verificationKeys);
  }

  /** The keys a token with this `kid` may have been signed with, current first. */
  candidates(kid: string | undefined): KeyObject[] {
    if (kid === undefined) return this.verificationKeys.map((k) => k.key);
    return this.verificationKeys.filter((k) => k.kid === kid).map((k) => k.key);
  }

  /**
   * The one key to verify a compact JWT with (the JWT library takes a single
   * key): the key its `kid` names; without a `kid` and with previous keys
   * configured, the candidate whose signature matches. Undefined when the header
   * is unreadable, names another algorithm or an unknown `kid`: the token is invalid.
   * Only picks: the JWT library still verifies signature, algorithm and expiry.
   */
  keyFor(token: string): KeyObject | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    // Every token Gatehouse mints has one of a few headers: their key is looked up once.
    const known = this.keyOfHeader.get(parts[0]);
    if (known) return known;
    let header: { alg?: unknown; kid?: unknown };
    try {
      header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as typeof header;
    } catch {
      return undefined;
    }
    if (header === null || typeof header !== 'object' || header.alg !== this.algorithm) {
      return undefined;
    }
    const candidates = this.candidates(typeof header.kid === 'string' ? header.kid : undefined);
    if (candidates.length <= 1) {
      if (candidates[0] && this.keyOfHeader.size < KNOWN_HEADERS) {
        this.keyOfHeader.set(parts[0], candidates[0]);
      }
      return candidates[0];
    }
    const signed = `${parts[0]}.${parts[1]}`;
    const signature = Buffer.from(parts[2], 'base64url');
    return candidates.find((key) => signs(this.algorithm, key, signed, signature)) ?? candidates[0];
  }

  /** The public keys as a JWK Set (empty for HS256: a secret is never published). */
  jwks(): { keys: (JsonWebKey & { kid: string; alg: string; use: 'sig' })[] } {
    return {
      keys: this.verificationKeys
        .filter((k): k is Required<VerificationKey> => k.kid !== undefined)
        .map(({ kid, key }) => ({
          ...key.export({ format: 'jwk' }),
          kid,
          alg: this.algorithm,
          use: 'sig' as const,
        })),
    };
  }
}

function parsePrivateKey(pem: string, variable: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch {
    throw new JwtKeyError(`${variable} is not a PEM private key`);
  }
}

/** A previous key may be given as its private or its public half. */
function parsePublicKey(pem: string): KeyObject {
  try {
    return createPublicKey(pem);
  } catch {
    throw new JwtKeyError('JWT_PREVIOUS_KEY_FILES holds a file that is not a PEM key');
  }
}

/** The EC curve each ES algorithm signs with. */
const EC_CURVES: Record<string, { curve: string; name: string }> = {
  ES256: { curve: 'prime256v1', name: 'P-256' },
  ES384: { curve: 'secp384r1', name: 'P-384' },
  ES512: { curve: 'secp521r1', name: 'P-521' },
};

function checkKeyFits(algorithm: JwtAlgorithm, key: KeyObject, variable: string): void {
  const details = key.asymmetricKeyDetails ?? {};
  const ec = EC_CURVES[algorithm];
  const fits = ec
    ? key.asymmetricKeyType === 'ec' && details.namedCurve === ec.curve
    : key.asymmetricKeyType === 'rsa' && (details.modulusLength ?? 0) >= 2048;
  if (!fits) {
    const expected = ec ? `a ${ec.name} EC key` : 'an RSA key of 2048+ bits';
    throw new JwtKeyError(`${variable} must be ${expected} for ${algorithm}`);
  }
}

/** Whether `key` made `signature` over `signed` with `algorithm` (JWS, RFC 7518). */
function signs(
  algorithm: JwtAlgorithm,
  key: KeyObject,
  signed: string,
  signature: Buffer,
): boolean {
  const hash = `sha${algorithm.slice(2)}`;
  if (algorithm.startsWith('HS')) {
    const expected = createHmac(hash, key).update(signed).digest();
    return expected.length === signature.length && timingSafeEqual(expected, signature);
  }
  try {
    return verifySignature(
      hash,
      Buffer.from(signed),
      {
        key,
        dsaEncoding: 'ieee-p1363',
        ...(algorithm.startsWith('PS')
          ? {
              padding: constants.RSA_PKCS1_PSS_PADDING,
              saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
            }
          : {}),
      },
      signature,
    );
  } catch {
    return false;
  }
}

/** RFC 7638 JWK thumbprint (SHA-256, base64url) of a public key. */
function thumbprint(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  const members: Record<string, string[]> = {
    RSA: ['e', 'kty', 'n'],
    EC: ['crv', 'kty', 'x', 'y'],
    OKP: ['crv', 'kty', 'x'],
  };
  const required = members[jwk.kty ?? ''] ?? [];
  const canonical = JSON.stringify(
    Object.fromEntries(required.map((name) => [name, jwk[name as keyof JsonWebKey]])),
  );
  return createHash('sha256').update(canonical).digest('base64url');
}
