import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { User } from '../src/accounts/user.entity';
import { UsersService } from '../src/accounts/users.service';
import { JwtClaimsProvider } from '../src/jwt-auth/jwt-claims.provider';
import { OutstandingToken } from '../src/jwt-auth/outstanding-token.entity';
import { decodeJwt } from './support/jwt';
import { runCli } from './support/processes';
import { startTestApp, testEnvironment, type TestApp } from './support/test-app';

/** What an enterprise team would write: its own claims, in its own class. */
@Injectable()
class DepartmentClaims extends JwtClaimsProvider {
  override claimsFor(user: User) {
    return {
      department: user.email.endsWith('@sales.example.com') ? 'sales' : 'other',
      user_id: 0,
      token_type: 'x',
    };
  }
}

async function loginPair(t: TestApp, email: string, password: string) {
  const res = await t.http.post('/api/token/', { email, password });
  expect(res.status).toBe(200);
  return res.body as { refresh: string; access: string };
}

describe('the JWT claims hook', () => {
  it('adds nothing by default', async () => {
    const t = await startTestApp();
    try {
      await t.app
        .get(UsersService)
        .create({ email: 'plain@example.com', password: 'plain-pass-1' });
      const { access } = await loginPair(t, 'plain@example.com', 'plain-pass-1');
      expect(Object.keys(decodeJwt(access).payload).sort()).toEqual(
        // `sid`: the session's id (issue 28), a reserved claim like the others.
        ['aud', 'exp', 'iat', 'jti', 'sid', 'sub', 'token_type', 'user_id'].sort(),
      );
    } finally {
      await t.close();
    }
  });

  it("JWT_CLAIMS=dstoq carries seed 000's scopes, is_staff and is_superuser, on refreshed tokens too", async () => {
    const t = await startTestApp({ env: { JWT_CLAIMS: 'dstoq' } });
    try {
      await t.app.get(UsersService).create({
        email: 'boss@example.com',
        password: 'boss-pass-1',
        isStaff: true,
        isSuperuser: true,
      });
      const pair = await loginPair(t, 'boss@example.com', 'boss-pass-1');
      const expected = {
        scopes: ['user', 'staff', 'superuser'],
        is_staff: true,
        is_superuser: true,
      };
      expect(decodeJwt(pair.access).payload).toMatchObject(expected);
      expect(decodeJwt(pair.refresh).payload).toMatchObject(expected);
      const refreshed = await t.http.post('/api/token/refresh/', { refresh: pair.refresh });
      expect(decodeJwt(refreshed.body.access).payload).toMatchObject(expected);
    } finally {
      await t.close();
    }
  });

  it('is replaced by a class of the consumer, which cannot override the standard claims', async () => {
    const t = await startTestApp({ jwtClaimsProvider: DepartmentClaims });
    try {
      const user = await t.app
        .get(UsersService)
        .create({ email: 'ann@sales.example.com', password: 'ann-pass-1' });
      const { access } = await loginPair(t, 'ann@sales.example.com', 'ann-pass-1');
      expect(decodeJwt(access).payload).toMatchObject({
        department: 'sales',
        user_id: user.id,
        token_type: 'access',
      });
    } finally {
      await t.close();
    }
  });
});

describe('last_login and expired-token cleanup', () => {
  it('UPDATE_LAST_LOGIN=true records the login; the default leaves last_login alone', async () => {
    for (const [flag, expectSet] of [
      ['true', true],
      ['false', false],
    ] as const) {
      const t = await startTestApp({ env: { UPDATE_LAST_LOGIN: flag } });
      try {
        const users = t.app.get(UsersService);
        await users.create({ email: 'last@example.com', password: 'last-pass-1' });
        await loginPair(t, 'last@example.com', 'last-pass-1');
        const lastLogin = (await users.findByEmail('last@example.com'))!.lastLogin;
        expect(lastLogin !== null).toBe(expectSet);
      } finally {
        await t.close();
      }
    }
  });

  it('tokens:flush-expired removes expired refresh-token records and keeps live ones', async () => {
    const shortLived = await startTestApp({ env: { REFRESH_TOKEN_LIFETIME: '1' } });
    const database = shortLived.database;
    try {
      await shortLived.app
        .get(UsersService)
        .create({ email: 'flush@example.com', password: 'flush-pass-1' });
      await loginPair(shortLived, 'flush@example.com', 'flush-pass-1');
      await loginPair(shortLived, 'flush@example.com', 'flush-pass-1');
      await shortLived.app.close();

      const longLived = await startTestApp({ database });
      const live = await loginPair(longLived, 'flush@example.com', 'flush-pass-1');
      const tokens = longLived.app.get(DataSource).getRepository(OutstandingToken);
      expect(await tokens.count()).toBe(3);
      await new Promise((r) => setTimeout(r, 1100));

      const result = await runCli(['tokens:flush-expired'], testEnvironment(database.url));
      expect(result.code).toBe(0);
      expect(result.stdout.trim()).toBe('removed 2 expired refresh tokens');
      expect(await tokens.count()).toBe(1);
      expect(
        (await longLived.http.post('/api/token/refresh/', { refresh: live.refresh })).status,
      ).toBe(200);
      await longLived.app.close();
    } finally {
      await database.drop();
    }
  });
});
