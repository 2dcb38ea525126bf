/**
 * Part of `npm run bench` (alone: `npm run bench:parsing`): what a request body
 * costs the event loop as it grows — parsing and DTO validation for 10, 100 and
 * 1,000 fields, and the refusal of 100,000 (DATA_UPLOAD_MAX_NUMBER_FIELDS is
 * 1,000) — in one process, no network: the parser and pipe on their own, then the
 * whole request through the app (`inject`). Reported, not asserted; a few seconds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { createApp, loadConfig } from '../src/index';
import { TooManyFieldsError } from '../src/problems/problem';
import { countFormFields, parseJson } from '../src/http/body-fields';
import { parseForm } from '../src/http/body-parsers';
import { DrfValidationPipe } from '../src/dialects/drf/drf-validation.pipe';
import { TokenVerifyDto } from '../src/surfaces/simplejwt/dto/token-verify.dto';

const LIMIT = 1000;
const SIZES = [10, 100, 1000, 100_000];

type Encoding = 'JSON' | 'urlencoded';
const CONTENT_TYPES: Record<Encoding, string> = {
  JSON: 'application/json',
  urlencoded: 'application/x-www-form-urlencoded',
};

/** A body of `keys` fields: the given ones, then `pad…` fields up to the count. */
function body(encoding: Encoding, keys: number, fields: Record<string, string>): string {
  const all: Record<string, string> = { ...fields };
  for (let i = Object.keys(fields).length; i < keys; i++) all[`pad${i}`] = 'x';
  return encoding === 'JSON' ? JSON.stringify(all) : new URLSearchParams(all).toString();
}

/** Median milliseconds of `run` over `times` runs, after a few to warm up. */
async function median(times: number, run: () => unknown): Promise<number> {
  for (let i = 0; i < Math.min(times, 20); i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

/** What the DRF surfaces do with a body before the handler: parse (or refuse), then validate. */
async function parseAndValidate(encoding: Encoding, text: string, pipe: DrfValidationPipe) {
  try {
    let value: unknown;
    if (encoding === 'JSON') value = parseJson(text, LIMIT);
    else if (countFormFields(text) > LIMIT) throw new TooManyFieldsError(LIMIT);
    else value = parseForm(text);
    await pipe.transform(value, { type: 'body', metatype: TokenVerifyDto });
  } catch (error) {
    if (!(error instanceof TooManyFieldsError)) throw error;
  }
}

const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const ms = (n: number) => n.toFixed(n < 1 ? 3 : 1);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-parsing-'));
  const app = await createApp(
    loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: 'sqlite::memory:',
      DATA_DIR: dir,
      JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789abcdef',
      LOG_LEVEL: 'silent',
      // One driver on one address: measure the body, not the throttle's 429s.
      DEFAULT_THROTTLE_RATES: ['login', 'mail', 'confirm']
        .flatMap((scope) => [`${scope}=1000000/second`, `${scope}_address=1000000/second`])
        .join(','),
    }),
  );
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const pipe = new DrfValidationPipe();

  // A bad token (401), and FastAPI bodies missing their password (422): each
  // request is parsing and validation, with no hashing behind it.
  const routes: {
    surface: string;
    url: string;
    encoding: Encoding;
    fields: Record<string, string>;
  }[] = [
    { surface: 'DRF', url: '/api/token/verify/', encoding: 'JSON', fields: { token: 'x' } },
    { surface: 'DRF', url: '/api/token/verify/', encoding: 'urlencoded', fields: { token: 'x' } },
    {
      surface: 'FastAPI',
      url: '/auth/register',
      encoding: 'JSON',
      fields: { email: 'a@example.com' },
    },
    {
      surface: 'FastAPI',
      url: '/auth/jwt/login',
      encoding: 'urlencoded',
      fields: { username: 'a@example.com' },
    },
  ];

  const lines = [
    `Body parsing and validation (DATA_UPLOAD_MAX_NUMBER_FIELDS=${LIMIT}), one process, median of runs:`,
    '',
    row([
      'route',
      'body',
      'fields',
      'parse + validate ms',
      'µs per field',
      'whole request ms',
      'µs per field past the 10-field request',
      'answer',
    ]),
    row(['---', '---', '---:', '---:', '---:', '---:', '---:', '---:']),
  ];
  for (const route of routes) {
    let base = 0;
    for (const keys of SIZES) {
      const text = body(route.encoding, keys, route.fields);
      const times = keys > LIMIT ? 20 : 100;
      // The parser and pipe alone are the DRF surfaces' (FastAPI's validate in their handlers' pipe).
      const direct =
        route.surface === 'DRF'
          ? await median(times, () => parseAndValidate(route.encoding, text, pipe))
          : undefined;
      let status = 0;
      const whole = await median(times, async () => {
        const res = await app.inject({
          method: 'POST',
          url: route.url,
          headers: { 'content-type': CONTENT_TYPES[route.encoding] },
          payload: text,
        });
        status = res.statusCode;
      });
      lines.push(
        row([
          `${route.surface} \`${route.url}\``,
          route.encoding,
          keys.toLocaleString('en'),
          direct === undefined ? '' : ms(direct),
          direct === undefined ? '' : ((direct * 1000) / keys).toFixed(2),
          ms(whole),
          keys === SIZES[0] ? '' : (((whole - base) * 1000) / (keys - SIZES[0])).toFixed(2),
          keys > LIMIT ? `${status} (refused)` : String(status),
        ]),
      );
      if (keys === SIZES[0]) base = whole;
    }
  }

  // For scale, what the pipe did before it read only declared fields: the whole
  // body to class-transformer (each size once; 10,000 fields is past today's limit).
  const before: string[] = [];
  for (const keys of [1000, 10_000]) {
    const value = JSON.parse(body('JSON', keys, { token: 'x' })) as object;
    const start = performance.now();
    plainToInstance(TokenVerifyDto, value);
    const took = performance.now() - start;
    before.push(
      `${keys.toLocaleString('en')} fields ${ms(took)} ms (${((took * 1000) / keys).toFixed(1)} µs per field)`,
    );
  }
  lines.push('', `Before (whole body to plainToInstance, no field limit): ${before.join(', ')}.`);
  process.stdout.write(`\n${lines.join('\n')}\n`);
  await app.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
