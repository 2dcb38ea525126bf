import { getRepositoryToken } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { User } from '../src/accounts/user.entity';
import { UsersService } from '../src/accounts/users.service';
import { CompiledInsert, CompiledLookup } from '../src/database/compiled-lookup';
import { OutstandingToken } from '../src/jwt-auth/outstanding-token.entity';
import { TokenKey } from '../src/token-key/token-key.entity';
import { storedKeyFields, TokenKeyService } from '../src/token-key/token-key.service';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The hot path's user and Token-key lookups (src/database/compiled-lookup.ts) write their SQL
 * once and hydrate rows themselves: they must return exactly the entity TypeORM's
 * `findOneBy` returns, on the database of the run.
 */
describe('compiled lookups', () => {
  let t: TestApp;
  let users: UsersService;
  let repository: Repository<User>;

  beforeAll(async () => {
    t = await startTestApp();
    users = t.app.get(UsersService);
    repository = t.app.get<Repository<User>>(getRepositoryToken(User));
  });
  afterAll(() => t.close());

  it('returns what findOneBy returns, field for field and type for type', async () => {
    const plain = await users.create({ email: 'plain@example.com', password: 'plain-pass-123' });
    const rich = await users.create({
      email: 'Rich.Person@Example.com',
      password: 'rich-pass-1234',
      firstName: 'Ríchard',
      lastName: "O'Brien",
      isStaff: true,
      isSuperuser: true,
      isVerified: true,
    });
    await users.update(rich, {
      lastLogin: new Date('2026-11-30T08:15:42.123Z'),
      countryCode: 'PT',
    });

    for (const { id } of [plain, rich]) {
      const expected = await repository.findOneBy({ id });
      const found = await users.findById(id);
      expect(found).toBeInstanceOf(User);
      expect(found).toEqual(expected);
      expect(found?.canAuthenticate).toBe(true);
    }
    const found = await users.findById(rich.id);
    expect(found?.lastLogin).toEqual(new Date('2026-11-30T08:15:42.123Z'));
    expect(found?.dateJoined).toBeInstanceOf(Date);
    expect(found?.isStaff).toBe(true);
    expect(found?.isBlocked).toBe(false);
    expect(found?.countryCode).toBe('PT');
  });

  it('finds by e-mail whatever its letter case and surrounding spaces, and misses unknown ones', async () => {
    const expected = await repository.findOneBy({ email: 'Rich.Person@Example.com' });
    expect(await users.findByEmail('  rich.person@EXAMPLE.com ')).toEqual(expected);
    expect(await users.findByEmail('nobody@example.com')).toBeNull();
    expect(await users.findById(987654)).toBeNull();
  });

  it('finds every Token key of a prefix as findBy does, and the key itself among them', async () => {
    const keys = t.app.get(TokenKeyService);
    const owner = await users.create({ email: 'keys@example.com', password: 'keys-pass-123' });
    const minted = await keys.mint(owner, { name: 'laptop' });
    // A second key sharing the first one's prefix (a collision the lookup must survive).
    const twin = `${minted.key.slice(0, 8)}${'0'.repeat(32)}`;
    const tokenKeys = t.app.get<Repository<TokenKey>>(getRepositoryToken(TokenKey));
    await tokenKeys.save(
      tokenKeys.create({
        userId: owner.id,
        ...storedKeyFields(twin),
        name: null,
        created: new Date(),
      }),
    );

    const prefix = minted.key.slice(0, 8);
    const expected = await tokenKeys.find({ where: { prefix }, order: { id: 'ASC' } });
    expect(expected).toHaveLength(2);
    const found = await new CompiledLookup(tokenKeys, (c, p) => `${c('prefix')} = ${p}`).findAll(
      prefix,
    );
    expect([...found].sort((a, b) => a.id - b.id)).toEqual(expected);
    expect((await keys.find(minted.key))?.id).toBe(minted.record.id);
    expect((await keys.find(twin))?.name).toBeNull();
    expect(await keys.find(`${prefix}${'f'.repeat(32)}`)).toBeNull();
  });

  it('inserts the row Repository.insert would, dates and nulls alike', async () => {
    const outstanding = t.app.get<Repository<OutstandingToken>>(
      getRepositoryToken(OutstandingToken),
    );
    const owner = await users.create({ email: 'rows@example.com', password: 'rows-pass-1234' });
    const row = (jti: string, userId: number | null) => ({
      userId,
      jti,
      tokenSha256: 'a'.repeat(64),
      createdAt: new Date('2026-11-30T08:15:42.123Z'),
      expiresAt: new Date('2026-12-07T08:15:42.123Z'),
    });
    const fields = ['userId', 'jti', 'tokenSha256', 'createdAt', 'expiresAt'] as const;
    const compiled = new CompiledInsert(outstanding, fields);
    await compiled.insert(row('compiled-1', owner.id));
    await compiled.insert(row('compiled-2', null));
    await outstanding.insert(row('typeorm-1', owner.id));
    await outstanding.insert(row('typeorm-2', null));
    const read = async (jti: string) => {
      const { id: _id, ...rest } = (await outstanding.findOneBy({ jti }))!;
      return { ...rest, jti: undefined };
    };
    expect(await read('compiled-1')).toEqual(await read('typeorm-1'));
    expect(await read('compiled-2')).toEqual(await read('typeorm-2'));
    expect((await outstanding.findOneBy({ jti: 'compiled-1' }))?.createdAt).toEqual(
      new Date('2026-11-30T08:15:42.123Z'),
    );
  });
});
