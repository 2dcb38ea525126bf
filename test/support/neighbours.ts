import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const SCRIPT = join(process.cwd(), 'test/fixtures/neighbours/read_token.py');

/** What a neighbour service made of a token: the identity it read, or the error it raised. */
export type NeighbourReading =
  { accepted: true; identity: unknown } | { accepted: false; error: string };

/**
 * Reads `token` as a neighbour service does with the real Python library
 * (test/fixtures/neighbours/read_token.py): fastapi-users' JWTStrategy decode on
 * Debian's PyJWT, or Debian's SimpleJWT JWTAuthentication.
 */
export async function neighbourReads(
  library: 'fastapi-users' | 'simplejwt',
  token: string,
  key: string,
  algorithm = 'HS256',
): Promise<NeighbourReading> {
  const run = promisify(execFile)('/usr/bin/python3', [SCRIPT, library, algorithm], {
    timeout: 30_000,
  });
  run.child.stdin?.end(JSON.stringify({ key, token }));
  return JSON.parse((await run).stdout) as NeighbourReading;
}
