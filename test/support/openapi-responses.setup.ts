import { formatMismatches, takeMismatches } from './openapi-responses';

/**
 * Fails the test during which (or during whose hooks) the app gave an answer
 * `docs/openapi.json` does not describe: the drift fails in the spec that caused it.
 */
function failOnMismatches(): void {
  const mismatches = takeMismatches();
  if (mismatches.length === 0) return;
  throw new Error(
    'Answers not as documented in docs/openapi.json (fix the document, or the server where it is wrong; ' +
      'exemptions: test/support/openapi-responses.ts):\n' +
      formatMismatches(mismatches),
  );
}

afterEach(failOnMismatches);
afterAll(failOnMismatches);
