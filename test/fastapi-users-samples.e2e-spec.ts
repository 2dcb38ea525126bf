import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsersService } from '../src/accounts/users.service';
import { KYC_DOMAIN_PLACEHOLDER, KYC_SAMPLES } from '../src/surfaces/fastapi-users/kyc-samples';
import { decodeJwt } from './support/jwt';
import { startTestApp, type TestApp } from './support/test-app';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program as a child process (no proxy settings: everything is on loopback). */
function run(command: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Is `python3` with `requests` on this machine? Decided once, before the specs are declared. */
const PYTHON_WITH_REQUESTS =
  spawnSync('python3', ['-c', 'import requests'], { stdio: 'ignore' }).status === 0;

/**
 * Seed 001's cURL, Python and JavaScript samples, as the document prints them,
 * run against a live Gatehouse: only `https://<kyc_domain>` is replaced by the
 * test server's address (and, for cURL, `<your_access_token>` by the token).
 */
describe('seed 001 — the KYC document samples, run as written', () => {
  let t: TestApp;
  let dir: string;
  let userUuid: string;
  const sample = (name: keyof typeof KYC_SAMPLES) =>
    KYC_SAMPLES[name].replaceAll(KYC_DOMAIN_PLACEHOLDER, t.baseUrl);

  beforeAll(async () => {
    t = await startTestApp();
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-kyc-samples-'));
    const users = t.app.get(UsersService);
    // The cURL sample's own credentials; the other samples read API_LOGIN/API_PASSWORD.
    userUuid = (await users.create({ email: 'user@example.com', password: 'your_secret_password' }))
      .uuid;
    await users.create({ email: 'api-client@example.com', password: 'kyc-partner-pass-1' });
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  it('cURL: the login command answers {access_token, token_type: "bearer"}, and the Bearer call reads the resource', async () => {
    const login = await run('bash', ['-c', sample('curlLogin')]);
    expect(login.code).toBe(0);
    const body = JSON.parse(login.stdout) as Record<string, string>;
    expect(Object.keys(body)).toEqual(['access_token', 'token_type']);
    expect(body.token_type).toBe('bearer');
    expect(login.stdout).toBe(`{"access_token":"${body.access_token}","token_type":"bearer"}`);
    expect(decodeJwt(body.access_token).payload).toMatchObject({
      sub: userUuid,
      aud: ['fastapi-users:auth'],
    });

    const resource = await run('bash', [
      '-c',
      sample('curlResource').replace('<your_access_token>', body.access_token),
    ]);
    expect(resource.code).toBe(0);
    expect(JSON.parse(resource.stdout)).toEqual({
      id: userUuid,
      email: 'user@example.com',
      is_active: true,
      is_superuser: false,
      is_verified: false,
    });
  });

  it('JavaScript (Node 20, fetch, top-level await): logs in with form data and fetches the resource', async () => {
    const file = join(dir, 'sample.mjs');
    // The sample as written; a trailer reports what its last request got.
    writeFileSync(
      file,
      `${sample('javascript')}\n` +
        'process.stdout.write(JSON.stringify({ status: apiRes.status, body: await apiRes.json() }));\n',
    );
    const result = await run(process.execPath, [file], {
      API_LOGIN: 'api-client@example.com',
      API_PASSWORD: 'kyc-partner-pass-1',
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      status: 200,
      body: { email: 'api-client@example.com', is_active: true },
    });
  });

  it('JavaScript: a wrong password makes the sample throw "Login failed"', async () => {
    const file = join(dir, 'sample-wrong.mjs');
    writeFileSync(file, sample('javascript'));
    const result = await run(process.execPath, [file], {
      API_LOGIN: 'api-client@example.com',
      API_PASSWORD: 'not-the-password',
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('Login failed');
  });

  (PYTHON_WITH_REQUESTS ? it : it.skip)(
    'Python (requests): logs in with form data and fetches the resource',
    async () => {
      const file = join(dir, 'sample.py');
      writeFileSync(file, `${sample('python')}\nprint(api_response.text)\n`);
      const result = await run('python3', [file], {
        API_LOGIN: 'api-client@example.com',
        API_PASSWORD: 'kyc-partner-pass-1',
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ email: 'api-client@example.com' });

      const wrong = await run('python3', [file], {
        API_LOGIN: 'api-client@example.com',
        API_PASSWORD: 'not-the-password',
      });
      expect(wrong.code).not.toBe(0);
      expect(wrong.stderr).toContain('400 Client Error: Bad Request');
    },
  );

  (PYTHON_WITH_REQUESTS ? it.skip : it)(
    "Python (no python3 with requests here): the sample's exact requests",
    async () => {
      // requests.post(url, data=payload) form-encodes the dict in its order.
      const login = await t.http.request('POST', '/auth/jwt/login', {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'username=api-client%40example.com&password=kyc-partner-pass-1&grant_type=password',
      });
      expect(login.status).toBe(200);
      const resource = await t.http.get('/api/v1/resource', {
        headers: { Authorization: `Bearer ${login.body.access_token}` },
      });
      expect(resource.status).toBe(200);
      expect(resource.body).toMatchObject({ email: 'api-client@example.com' });
    },
  );
});
