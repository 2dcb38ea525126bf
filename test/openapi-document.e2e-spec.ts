import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { lintOpenApi } from './support/openapi-lint';
import { checkAnswer } from './support/openapi-responses';
import { builtEntry } from './support/processes';
import { startTestApp } from './support/test-app';

const run = promisify(execFile);
const COMMITTED = join(process.cwd(), 'docs', 'openapi.json');

/** The first line where two texts part, with its neighbours, for the failure message. */
function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const line = a.findIndex((text, i) => text !== b[i]);
  const at = line === -1 ? a.length : line;
  const around = (lines: string[]) => lines.slice(Math.max(0, at - 2), at + 3).join('\n');
  return `first difference at line ${at + 1}:\n--- committed\n${around(a)}\n--- generated\n${around(b)}`;
}

describe('docs/openapi.json', () => {
  let generated: string;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-openapi-'));
    try {
      // `npm run docs:openapi` minus its build (npm test builds first). Settings in
      // the environment must not reach the document: these would change answers.
      await run(
        process.execPath,
        [builtEntry('src/cli/generate-openapi.js'), join(dir, 'openapi.json')],
        {
          env: {
            PATH: process.env.PATH ?? '',
            NODE_ENV: 'production',
            DATABASE_URL: 'postgres://nobody@127.0.0.1:1/nothing',
            REST_AUTH_TOKEN: 'key',
            AUTH_HEADER_TYPES: 'Bearer',
          },
        },
      );
      generated = readFileSync(join(dir, 'openapi.json'), 'utf8');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is the document the code generates (the drift test)', () => {
    const committed = readFileSync(COMMITTED, 'utf8');
    if (committed !== generated) {
      throw new Error(
        'docs/openapi.json is not what the app generates: run npm run docs:openapi and commit the file.\n' +
          firstDifference(committed, generated),
      );
    }
    expect(generated.endsWith('}\n')).toBe(true);
  });

  it('is the document the app serves at /docs-json, whatever its settings', async () => {
    const t = await startTestApp({ env: { REST_AUTH_TOKEN: 'jwt', JWT_AUTH_COOKIE: 'jwt-auth' } });
    try {
      const served = await t.http.get('/docs-json');
      expect(served.body).toEqual(JSON.parse(generated));
    } finally {
      await t.close();
    }
  });

  it('validates as OpenAPI 3 (swagger-parser, every $ref resolved), printing nothing else', async () => {
    const { stdout, stderr } = await run(process.execPath, [
      join(process.cwd(), 'test', 'support', 'validate-openapi.cjs'),
      COMMITTED,
    ]).catch((error: { stdout: string; stderr: string }) => error);
    expect({ stdout, stderr }).toEqual({ stdout: 'valid OpenAPI 3.0.0\n', stderr: '' });
  });

  it('has no warnings: unique operationIds, declared tags and schemes, examples valid against their schemas', () => {
    expect(lintOpenApi(JSON.parse(generated))).toEqual([]);
  });

  it('(the lint itself) reports a wrong example, a duplicate operationId and an unknown scheme', () => {
    const response = (example: unknown) => ({
      description: 'ok',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Pair' }, example } },
    });
    const broken = {
      tags: [{ name: 'T' }],
      components: {
        securitySchemes: {},
        schemas: {
          Pair: {
            type: 'object',
            required: ['access'],
            properties: { access: { type: 'string' } },
          },
        },
      },
      paths: {
        '/a/': {
          get: {
            operationId: 'same',
            summary: 's',
            description: 'd',
            tags: ['T'],
            responses: { 200: response({ access: 1 }) },
          },
          post: {
            operationId: 'same',
            summary: 's',
            description: 'd',
            tags: ['T'],
            security: [{ Nope: [] }],
            responses: { 200: response({}) },
          },
        },
      },
    };
    expect(lintOpenApi(broken)).toEqual([
      'GET /a/ 200 application/json: example "example" at .access: 1 is not of type string',
      'POST /a/: duplicate operationId "same"',
      'POST /a/: security scheme "Nope" is not defined',
      'POST /a/ 200 application/json: example "example": "access" is required',
    ]);
  });

  it("(the suite's answer check) names the operation, the status and ajv's error; passes what is documented", () => {
    const json = 'application/json';
    expect(
      checkAnswer(
        'POST',
        '/auth/token/verify',
        400,
        json,
        '{"token": ["This field is required."]}',
      ),
    ).toBeUndefined();
    expect(checkAnswer('POST', '/auth/token/verify', 418, json, '{}')).toEqual({
      operation: 'POST /auth/token/verify/',
      status: 418,
      problem: 'status not documented (documented: 200, 400, 401, 413, 415, 503)',
    });
    // GET /api/auth-events/ has a schema: a page of the wrong shape is caught.
    const page = { count: 1, next: null, previous: null, results: [{ id: 'one' }] };
    expect(
      checkAnswer('GET', '/api/auth-events', 200, json, JSON.stringify(page))?.problem,
    ).toMatch(/^body: \/results\/0 must have required property 'occurred_at'/);
    expect(checkAnswer('GET', '/api/users/:id', 200, 'text/html', '<p>')?.problem).toBe(
      'content type text/html not documented (documented: application/json)',
    );
    expect(checkAnswer('GET', '/undocumented', 200, json, '{}')?.problem).toMatch(
      /^the route is not in the document/,
    );
    expect(checkAnswer('GET', '/metrics', 200, 'text/plain', '# HELP')).toBeUndefined();
  });
});
