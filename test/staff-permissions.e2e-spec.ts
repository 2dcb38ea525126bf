import type { User } from '../src/accounts/user.entity';
import { UsersService } from '../src/accounts/users.service';
import { startTestApp, type TestApp } from './support/test-app';

const FORBIDDEN = { detail: 'You do not have permission to perform this action.' };

/** Issue 27: staff manage ordinary users; only a superuser touches superusers and staff status. */
describe('staff and superusers on /api/users/', () => {
  let t: TestApp;
  let users: UsersService;
  let root: User;
  let otherStaff: User;
  let ordinary: User;
  let staffAuth: Record<string, string>;
  let rootAuth: Record<string, string>;

  const tokenFor = async (email: string, password: string) => {
    const res = await t.http.post('/api/token/', { email, password });
    expect(res.status).toBe(200);
    return { Authorization: `JWT ${res.body.access as string}` };
  };
  const patch = (id: number, json: object, headers = staffAuth) =>
    t.http.request('PATCH', `/api/users/${id}/`, { headers, json });
  const remove = (id: number, headers = staffAuth) =>
    t.http.request('DELETE', `/api/users/${id}/`, { headers });
  const stored = async (id: number) => (await users.findById(id)) as User;

  beforeAll(async () => {
    t = await startTestApp();
    users = t.app.get(UsersService);
    root = await users.create({
      email: 'root@example.com',
      password: 'root-pass-123',
      isStaff: true,
      isSuperuser: true,
    });
    await users.create({ email: 'staff@example.com', password: 'staff-pass-123', isStaff: true });
    otherStaff = await users.create({
      email: 'other-staff@example.com',
      password: 'other-pass-123',
      isStaff: true,
    });
    ordinary = await users.create({ email: 'plain@example.com', password: 'plain-pass-123' });
    staffAuth = await tokenFor('staff@example.com', 'staff-pass-123');
    rootAuth = await tokenFor('root@example.com', 'root-pass-123');
  });
  afterAll(() => t.close());

  it('staff cannot demote, deactivate, rename or delete a superuser', async () => {
    for (const json of [{ is_staff: false }, { is_active: false }, { first_name: 'Mallory' }]) {
      const res = await patch(root.id, json);
      expect([res.status, res.body]).toEqual([403, FORBIDDEN]);
    }
    const gone = await remove(root.id);
    expect([gone.status, gone.body]).toEqual([403, FORBIDDEN]);
    expect(await stored(root.id)).toMatchObject({
      isStaff: true,
      isSuperuser: true,
      isActive: true,
      firstName: '',
    });
    // The superuser still logs in.
    await tokenFor('root@example.com', 'root-pass-123');
  });

  it('staff cannot grant or remove staff status, nor deactivate a staff member', async () => {
    const grant = await patch(ordinary.id, { is_staff: true });
    expect([grant.status, grant.body]).toEqual([403, FORBIDDEN]);
    const demote = await patch(otherStaff.id, { is_staff: false });
    expect([demote.status, demote.body]).toEqual([403, FORBIDDEN]);
    const deactivate = await patch(otherStaff.id, { is_active: false });
    expect([deactivate.status, deactivate.body]).toEqual([403, FORBIDDEN]);
    const gone = await remove(otherStaff.id);
    expect([gone.status, gone.body]).toEqual([403, FORBIDDEN]);
    const created = await t.http.post(
      '/api/users/',
      { email: 'new-staff@example.com', password: 'new-pass-123', is_staff: true },
      { headers: staffAuth },
    );
    expect([created.status, created.body]).toEqual([403, FORBIDDEN]);
    expect(await users.findByEmail('new-staff@example.com')).toBeNull();
    expect(await stored(ordinary.id)).toMatchObject({ isStaff: false });
    expect(await stored(otherStaff.id)).toMatchObject({ isStaff: true, isActive: true });
  });

  it('staff still manage ordinary users, and may restate a flag as it is', async () => {
    const changed = await patch(ordinary.id, { first_name: 'Plain', is_staff: false });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ first_name: 'Plain', is_staff: false });
    const named = await patch(otherStaff.id, { last_name: 'Colleague', is_staff: true });
    expect(named.status).toBe(200);
    const created = await t.http.post(
      '/api/users/',
      { email: 'new-user@example.com', password: 'new-pass-123', is_staff: false },
      { headers: staffAuth },
    );
    expect(created.status).toBe(201);
    expect((await remove(created.body.id as number)).status).toBe(204);
    expect(await stored(created.body.id as number)).toMatchObject({ isActive: false });
  });

  it('a superuser can do all of it', async () => {
    const grant = await patch(ordinary.id, { is_staff: true }, rootAuth);
    expect([grant.status, grant.body.is_staff]).toEqual([200, true]);
    const deactivate = await patch(ordinary.id, { is_active: false }, rootAuth);
    expect([deactivate.status, deactivate.body.is_active]).toEqual([200, false]);
    const demote = await patch(otherStaff.id, { is_staff: false }, rootAuth);
    expect([demote.status, demote.body.is_staff]).toEqual([200, false]);
    const second = await users.create({
      email: 'root2@example.com',
      password: 'root2-pass-123',
      isStaff: true,
      isSuperuser: true,
    });
    const demoteSuperuser = await patch(second.id, { is_staff: false }, rootAuth);
    expect([demoteSuperuser.status, demoteSuperuser.body.is_staff]).toEqual([200, false]);
    expect((await remove(second.id, rootAuth)).status).toBe(204);
    expect(await stored(second.id)).toMatchObject({ isActive: false });
    const created = await t.http.post(
      '/api/users/',
      { email: 'made-staff@example.com', password: 'made-pass-123', is_staff: true },
      { headers: rootAuth },
    );
    expect([created.status, created.body.is_staff]).toEqual([201, true]);
  });
});
