import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Environment } from './environment';
import { ConfigError, loadConfig } from './load-config';

const SECRET = 'x'.repeat(40);

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'gatehouse-config-'));
}

describe('loadConfig', () => {
  it('starts with no environment: port 8000, SQLite under DATA_DIR, a dev secret kept there', () => {
    const dataDir = tempDir();
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config.port).toBe(8000);
    expect(config.database).toEqual({
      type: 'sqlite',
      path: join(dataDir, 'gatehouse.sqlite'),
      logging: false,
      synchronous: 'normal',
    });
    expect(config.jwt.algorithm).toBe('HS256');
    expect(config.jwt.secret).toMatch(/^[A-Za-z0-9_-]{64}$/);
    const file = join(dataDir, 'jwt-secret.dev');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // Generated once: the next boot reuses it, so tokens survive a restart.
    expect(loadConfig({ DATA_DIR: dataDir }).jwt.secret).toBe(config.jwt.secret);
    expect(config.authHeaderTypes).toEqual(['JWT', 'Bearer', 'Token']);
    expect(config.dataUploadMaxNumberFields).toBe(1000);
  });

  it('uses PostgreSQL for postgres:// URLs', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
      JWT_SECRET: SECRET,
    });
    expect(config.database).toEqual({
      type: 'postgres',
      url: 'postgres://postgres@127.0.0.1:5432/test',
      logging: false,
      connectTimeout: 2000,
      queryTimeout: 3000,
      poolSize: 10,
    });
  });

  it.each([
    [{ PORT: 'abc' }, /^PORT must be an integer from 0 to 65535 \(got "abc"\)$/],
    [{ PORT: '70000' }, /^PORT must be/],
    [{ PORT: '80.5' }, /^PORT must be/],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL must be sqlite:/],
    [{ JWT_ALGORITHM: 'none' }, /^JWT_ALGORITHM must be one of HS256, HS384, HS512, RS256, /],
    [{ JWT_ALGORITHM: 'EdDSA' }, /^JWT_ALGORITHM must be one of .*\(EdDSA is not supported: /],
    [{ JWT_SECRET: 'short' }, /^JWT_SECRET must be at least 32 characters long$/],
    [{ DATABASE_LOGGING: 'maybe' }, /^DATABASE_LOGGING must be true or false/],
    [{ TRUST_PROXY: 'maybe' }, /^TRUST_PROXY must be false, true, a hop count/],
    [{ TRUST_PROXY: '10.0.0.0/33' }, /^TRUST_PROXY must be/],
    [{ TRUST_PROXY: '10.0.0.1,,10.0.0.2' }, /^TRUST_PROXY must be/],
    [{ TRUST_PROXY: '-1' }, /^TRUST_PROXY must be/],
    [{ ALLOWED_HOSTS: 'auth.example.com:8000' }, /^ALLOWED_HOSTS must be \* or comma-separated/],
    [{ ALLOWED_HOSTS: 'https://auth.example.com' }, /^ALLOWED_HOSTS must be/],
    [{ AUTH_HEADER_TYPES: 'JWT,,Token' }, /^AUTH_HEADER_TYPES must be a comma-separated list/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL must be one of/],
    [
      { DATA_UPLOAD_MAX_NUMBER_FIELDS: '0' },
      /^DATA_UPLOAD_MAX_NUMBER_FIELDS must be an integer from 1 to 1000000 \(got "0"\)$/,
    ],
    [
      { DATA_UPLOAD_MAX_NUMBER_FIELDS: 'many' },
      /^DATA_UPLOAD_MAX_NUMBER_FIELDS must be an integer/,
    ],
    [{ DATA_UPLOAD_MAX_NUMBER_FIELDS: '1000001' }, /^DATA_UPLOAD_MAX_NUMBER_FIELDS must be/],
    [
      { JWT_ALGORITHM: 'RS256' },
      /^JWT_PRIVATE_KEY or JWT_PRIVATE_KEY_FILE is required when JWT_ALGORITHM=RS256$/,
    ],
    [{ JWT_AUTH_SAMESITE: 'Loose' }, /^JWT_AUTH_SAMESITE must be one of Lax, Strict, None/],
    [
      { JWT_AUTH_SAMESITE: 'None' },
      /^JWT_AUTH_SAMESITE=None needs JWT_AUTH_SECURE=true: browsers drop SameSite=None cookies/,
    ],
    [
      { JWT_AUTH_SAMESITE: 'none', JWT_AUTH_SECURE: 'false' },
      /^JWT_AUTH_SAMESITE=None needs JWT_AUTH_SECURE=true/,
    ],
    [
      { CSRF_TRUSTED_ORIGINS: 'app.example.com' },
      /^CSRF_TRUSTED_ORIGINS must be comma-separated origins with their scheme/,
    ],
    [{ CSRF_TRUSTED_ORIGINS: 'https://app.example.com/path' }, /^CSRF_TRUSTED_ORIGINS must be/],
  ])('rejects %j with one line naming the variable', (env, message) => {
    let error: unknown;
    try {
      loadConfig({ DATA_DIR: tempDir(), ...env });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('reads JWT_AUTH_SAMESITE in any case (Lax by default) and CSRF_TRUSTED_ORIGINS as a list', () => {
    expect(loadConfig({ DATA_DIR: tempDir() }).jwtCookies.sameSite).toBe('Lax');
    const config = loadConfig({
      DATA_DIR: tempDir(),
      JWT_AUTH_SAMESITE: 'none',
      JWT_AUTH_SECURE: 'true',
      CSRF_TRUSTED_ORIGINS: 'https://app.example.com, https://*.partner.example',
    });
    expect(config.jwtCookies).toMatchObject({ sameSite: 'None', secure: true });
    expect(config.csrfTrustedOrigins).toEqual([
      'https://app.example.com',
      'https://*.partner.example',
    ]);
    expect(
      loadConfig({ DATA_DIR: tempDir(), JWT_AUTH_SAMESITE: 'strict' }).jwtCookies.sameSite,
    ).toBe('Strict');
  });

  it.each([
    ['false', false],
    ['0', false],
    ['true', true],
    ['1', 1],
    ['2', 2],
    ['10.0.0.0/8, 127.0.0.1', ['10.0.0.0/8', '127.0.0.1']],
    ['fd00::/8,::1,loopback', ['fd00::/8', '::1', 'loopback']],
  ])('reads TRUST_PROXY=%s as Fastify’s trustProxy %j', (text, trustProxy) => {
    expect(loadConfig({ DATA_DIR: tempDir(), TRUST_PROXY: text }).trustProxy).toEqual(trustProxy);
  });

  it('reads ALLOWED_HOSTS as lowercased patterns, any host by default', () => {
    expect(loadConfig({ DATA_DIR: tempDir() }).allowedHosts).toEqual(['*']);
    expect(
      loadConfig({ DATA_DIR: tempDir(), ALLOWED_HOSTS: 'Auth.Example.com, .example.org,[::1]' })
        .allowedHosts,
    ).toEqual(['auth.example.com', '.example.org', '[::1]']);
  });

  it('reads MFA_ENCRYPTION_KEY as 32 bytes (hex or base64), never echoing a bad one; MFA_ISSUER', () => {
    const hex = 'ab'.repeat(32);
    expect(loadConfig({ DATA_DIR: tempDir(), MFA_ENCRYPTION_KEY: hex }).mfa).toEqual({
      encryptionKey: Buffer.from(hex, 'hex'),
      issuer: 'Gatehouse',
    });
    const base64 = Buffer.alloc(32, 7).toString('base64');
    expect(
      loadConfig({ DATA_DIR: tempDir(), MFA_ENCRYPTION_KEY: base64, MFA_ISSUER: 'DSTOQ' }).mfa,
    ).toEqual({ encryptionKey: Buffer.alloc(32, 7), issuer: 'DSTOQ' });
    expect(loadConfig({ DATA_DIR: tempDir() }).mfa?.encryptionKey).toBeUndefined();
    expect(() => loadConfig({ DATA_DIR: tempDir(), MFA_ENCRYPTION_KEY: 'short-key' })).toThrow(
      /^MFA_ENCRYPTION_KEY must be 32 bytes: 64 hex digits or 44 base64 characters$/,
    );
  });

  it('never echoes a secret value in its message', () => {
    expect(() => loadConfig({ DATA_DIR: tempDir(), JWT_SECRET: 'hunter2' })).toThrow(
      /^JWT_SECRET must be at least 32 characters long$/,
    );
  });

  describe('with NODE_ENV=production', () => {
    it('refuses to boot without a DATABASE_URL', () => {
      expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET })).toThrow(
        /^DATABASE_URL is required/,
      );
    });

    it('refuses to boot without JWT_SECRET, and generates no secret file', () => {
      const dataDir = tempDir();
      expect(() =>
        loadConfig({
          NODE_ENV: 'production',
          DATA_DIR: dataDir,
          DATABASE_URL: 'postgres://db/gatehouse',
        }),
      ).toThrow(/^JWT_SECRET is required when NODE_ENV=production/);
      expect(existsSync(join(dataDir, 'jwt-secret.dev'))).toBe(false);
    });

    it('refuses an in-memory database', () => {
      expect(() =>
        loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET, DATABASE_URL: 'sqlite::memory:' }),
      ).toThrow(/persistent database/);
    });

    it('boots with both (and a mail server)', () => {
      const config = loadConfig({
        NODE_ENV: 'production',
        JWT_SECRET: SECRET,
        DATABASE_URL: 'postgres://db/gatehouse',
        SMTP_URL: 'smtp://mail.example.com:587',
      });
      expect(config.isProduction).toBe(true);
      expect(config.jwt.secret).toBe(SECRET);
    });

    it('refuses to write mails (live links) to the log unless MAIL_LOG_IN_PRODUCTION allows it', () => {
      const env = { NODE_ENV: 'production', JWT_SECRET: SECRET, DATABASE_URL: 'postgres://db/g' };
      expect(() => loadConfig(env)).toThrow(/^SMTP_URL is required when NODE_ENV=production/);
      expect(loadConfig({ ...env, MAIL_LOG_IN_PRODUCTION: 'true' }).mailLogInProduction).toBe(true);
    });
  });

  it('.env.example lists every variable with its default', () => {
    const example = readFileSync(join(process.cwd(), '.env.example'), 'utf8');
    const listed = new Map(
      [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [
        m[1],
        m[2]?.trim() ?? '',
      ]),
    );
    const defaults = new Environment() as unknown as Record<
      string,
      string | number | boolean | undefined
    >;
    for (const [name, value] of Object.entries(defaults)) {
      expect(listed.has(name) ? name : `${name} missing from .env.example`).toBe(name);
      if (value !== undefined)
        expect(`${name}=${listed.get(name)}`).toBe(`${name}=${String(value)}`);
    }
  });
});
