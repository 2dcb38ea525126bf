// npm run api:check / api:update: api-extractor on each public entry point (the package's
// exports: ., ./drf, ./fastapi, ./runtime) against dist/src/*.d.ts. `check` fails when the
// public API differs from etc/*.api.md; `update` rewrites the reports.
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const local = process.argv[2] === 'update';
let failed = false;
for (const entry of ['index', 'drf', 'fastapi', 'runtime']) {
  const config = ExtractorConfig.loadFileAndPrepare(join(here, `${entry}.json`));
  const result = Extractor.invoke(config, { localBuild: local, showVerboseMessages: false });
  if (!result.succeeded || (!local && result.apiReportChanged)) {
    failed = true;
    console.error(
      `api-extractor: ${entry}: ${result.apiReportChanged ? 'the public API changed' : 'failed'}` +
        ` (${result.errorCount} errors); run \`npm run api:update\` and commit etc/${entry}.api.md if it is meant`,
    );
  }
}
process.exit(failed ? 1 : 0);
