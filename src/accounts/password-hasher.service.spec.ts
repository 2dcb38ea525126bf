import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Argon2idHasher } from './hashers/argon2id.hasher';
import { BcryptHasher } from './hashers/bcrypt.hasher';
import { DjangoPbkdf2Hasher } from './hashers/django-pbkdf2.hasher';
import { isDjangoEncoding, PasswordHasherService } from './password-hasher.service';

interface Fixture {
  source: string;
  password: string;
  hash: string;
}

// Real hashes made by Django 3.2+ and passlib 1.7 (copied from ../shared/fixtures).
const fixtures: Fixture[] = (
  JSON.parse(readFileSync(join(process.cwd(), 'test/fixtures/password-hashes.json'), 'utf8')) as {
    hashes: Fixture[];
  }
).hashes;

const OWASP = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

describe('PasswordHasherService', () => {
  const service = new PasswordHasherService([
    new Argon2idHasher(OWASP),
    new DjangoPbkdf2Hasher(),
    new BcryptHasher(),
  ]);

  it('has a fixture of every format the Python libraries write', () => {
    const prefixes = new Set(
      fixtures.map((f) => f.hash.split('$')[0] || `$${f.hash.split('$')[1]}`),
    );
    expect([...prefixes].sort()).toEqual(
      ['$2b', '$argon2id', 'argon2', 'bcrypt_sha256', 'pbkdf2_sha1', 'pbkdf2_sha256'].sort(),
    );
  });

  it('recognizes every fixture format, and no garbage or truncated hash', () => {
    for (const fixture of fixtures) expect(service.recognizes(fixture.hash)).toBeDefined();
    for (const bad of [
      'garbage',
      '',
      'pbkdf2_sha256$garbage',
      'pbkdf2_sha256$260000$salt$',
      '$2b$12$tooShort',
      '$argon2id$v=19$m=19456,t=2,p=1$onlysalt',
      'md5$salt$0123456789abcdef',
    ]) {
      expect([bad, service.recognizes(bad)]).toEqual([bad, undefined]);
    }
  });

  describe.each(
    fixtures.map((f) => [`${f.source}: ${JSON.stringify(f.password).slice(0, 24)}`, f]),
  )('%s', (_name, fixture) => {
    it('verifies with its password and asks to be upgraded to argon2id', async () => {
      await expect(service.check(fixture.password, fixture.hash)).resolves.toEqual({
        valid: true,
        needsRehash: true,
      });
    });

    it('rejects any other password', async () => {
      for (const wrong of [`${fixture.password}x`, fixture.password.slice(0, -1)]) {
        if (wrong === fixture.password) continue;
        await expect(service.check(wrong, fixture.hash)).resolves.toEqual({
          valid: false,
          needsRehash: false,
        });
      }
    });
  });

  it('makes argon2id hashes with the OWASP parameters that need no upgrade', async () => {
    const encoded = await service.hash('Pässwörd-ünïcødé-🔑');
    expect(encoded).toMatch(
      /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/,
    );
    await expect(service.check('Pässwörd-ünïcødé-🔑', encoded)).resolves.toEqual({
      valid: true,
      needsRehash: false,
    });
    await expect(service.check('Passwörd-ünïcødé-🔑', encoded)).resolves.toEqual({
      valid: false,
      needsRehash: false,
    });
    expect(await service.hash('same')).not.toEqual(await service.hash('same'));
  });

  describe("keeps a user's hash in the dialect it came in", () => {
    const django = fixtures.filter((f) => !f.hash.startsWith('$'));
    const passlib = fixtures.filter((f) => f.hash.startsWith('$'));

    it('has fixtures of both dialects', () => {
      expect(django.length).toBeGreaterThan(0);
      expect(passlib.length).toBeGreaterThan(0);
    });

    it("re-hashes a Django user's password in Django's argon2 form, which needs no upgrade", async () => {
      for (const fixture of django) {
        const encoded = await service.hash('new-Pässword-1', fixture.hash);
        expect([fixture.source, encoded]).toEqual([
          fixture.source,
          expect.stringMatching(
            /^argon2\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/,
          ),
        ]);
        await expect(service.check('new-Pässword-1', encoded)).resolves.toEqual({
          valid: true,
          needsRehash: false,
        });
        await expect(service.check('new-Pässword-2', encoded)).resolves.toEqual({
          valid: false,
          needsRehash: false,
        });
      }
    });

    it("re-hashes fastapi-users' and Gatehouse's own users in the PHC form", async () => {
      const native = await service.hash('pw');
      for (const previous of [...passlib.map((f) => f.hash), native, '!', undefined, null]) {
        expect(await service.hash('new-pass', previous)).toMatch(/^\$argon2id\$v=19\$/);
      }
    });

    it("treats Django's unusable password (`!` and 40 characters) as Django's, Gatehouse's bare `!` not", async () => {
      const unusable = `!${'x'.repeat(40)}`;
      expect(isDjangoEncoding(unusable)).toBe(true);
      expect(isDjangoEncoding('!')).toBe(false);
      expect(await service.hash('pw', unusable)).toMatch(/^argon2\$argon2id\$/);
    });
  });

  it('upgrades argon2id hashes made with other parameters', async () => {
    const weaker = await new Argon2idHasher({ memoryCost: 8192, timeCost: 1, parallelism: 1 }).hash(
      'pw',
    );
    await expect(service.check('pw', weaker)).resolves.toEqual({ valid: true, needsRehash: true });
  });

  it.each([
    ['an unusable Django password', '!XyZunusable'],
    ['an empty hash', ''],
    ['an unknown format', 'md5$abc$def'],
    ['a truncated pbkdf2 hash', 'pbkdf2_sha256$260000$salt'],
    ['a pbkdf2 hash with absurd iterations', 'pbkdf2_sha256$999999999999$salt$aGFzaA=='],
    ['a broken bcrypt hash', '$2b$12$short'],
    ['a broken argon2 hash', '$argon2id$v=19$m=oops'],
  ])('refuses %s without throwing', async (_name, encoded) => {
    await expect(service.check('a', encoded)).resolves.toEqual({
      valid: false,
      needsRehash: false,
    });
  });

  it('refuses to start without a preferred hasher that can hash', () => {
    expect(() => new PasswordHasherService([new BcryptHasher()])).toThrow(/must be able to hash/);
  });
});
