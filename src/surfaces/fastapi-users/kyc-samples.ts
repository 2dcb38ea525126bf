/**
 * Seed 001's samples, as the document prints them (`https://<kyc_domain>` is the
 * deployment's base URL): shown as `x-codeSamples`, and run as written by the e2e
 * suite against a live Gatehouse.
 */
export const KYC_SAMPLES = {
  /** "Obtain Access Token": the cURL example request. */
  curlLogin: [
    'curl -X POST https://<kyc_domain>/auth/jwt/login \\',
    '-H "Content-Type: application/x-www-form-urlencoded" \\',
    '-d "username=user@example.com&password=your_secret_password"',
  ].join('\n'),
  /** "Making Authenticated Requests": the cURL example. */
  curlResource: [
    '# Example: Fetching a protected resource',
    'curl -X GET https://<kyc_domain>/api/v1/resource \\',
    '-H "Authorization: Bearer <your_access_token>"',
  ].join('\n'),
  /** The Python (requests) implementation example: login, then an authenticated request. */
  python: [
    'import os',
    'import requests',
    '# 1. Login',
    'login_url = "https://<kyc_domain>/auth/jwt/login"',
    'payload = {',
    '"username": os.environ["API_LOGIN"],',
    '"password": os.environ["API_PASSWORD"],',
    '"grant_type": "password"',
    '}',
    'response = requests.post(login_url, data=payload)',
    'response.raise_for_status()',
    'token = response.json()["access_token"]',
    '# 2. Authenticated Request',
    'api_url = "https://<kyc_domain>/api/v1/resource"',
    'headers = {"Authorization": f"Bearer {token}"}',
    'api_response = requests.get(api_url, headers=headers)',
    'api_response.raise_for_status()',
  ].join('\n'),
  /** The JavaScript (fetch, an ES module: top-level await) implementation example. */
  javascript: [
    'const params = new URLSearchParams();',
    'params.set("username", process.env.API_LOGIN);',
    'params.set("password", process.env.API_PASSWORD);',
    'params.set("grant_type", "password");',
    '// 1. Login',
    'const loginRes = await fetch("https://<kyc_domain>/auth/jwt/login", {',
    'method: "POST",',
    'headers: { "Content-Type": "application/x-www-form-urlencoded" },',
    'body: params.toString()',
    '});',
    'if (!loginRes.ok) throw new Error("Login failed");',
    'const { access_token } = await loginRes.json();',
    '// 2. Authenticated Request',
    'const apiRes = await fetch("https://<kyc_domain>/api/v1/resource", {',
    'headers: { Authorization: `Bearer ${access_token}` }',
    '});',
  ].join('\n'),
} as const;

/** The placeholder the samples use for the deployment's base URL. */
export const KYC_DOMAIN_PLACEHOLDER = 'https://<kyc_domain>';

/** The samples as `x-codeSamples` entries of an operation. */
export function kycCodeSamples(...which: (keyof typeof KYC_SAMPLES)[]) {
  const language = {
    curlLogin: { lang: 'Shell', label: 'cURL' },
    curlResource: { lang: 'Shell', label: 'cURL' },
    python: { lang: 'Python', label: 'requests' },
    javascript: { lang: 'JavaScript', label: 'fetch' },
  } as const;
  return which.map((name) => ({ ...language[name], source: KYC_SAMPLES[name] }));
}
