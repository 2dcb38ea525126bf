import { existsSync } from 'node:fs';
import { config } from 'dotenv';

/** Merges `./.env` into process.env when the file exists; real environment values win. */
export function readDotEnv(path = '.env'): void {
  if (existsSync(path)) config({ path, quiet: true });
}
