// Validates an OpenAPI document file against the OpenAPI 3 schema with
// @apidevtools/swagger-parser, resolving every $ref. Run as a child process:
// Jest's ESM mode cannot load swagger-parser. Prints "valid" on stdout, or the
// error on stderr with exit code 1; anything else it prints is a warning.
const SwaggerParser = require('@apidevtools/swagger-parser');

const file = process.argv[2];
SwaggerParser.validate(file).then(
  (api) => process.stdout.write(`valid OpenAPI ${api.openapi}\n`),
  (error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  },
);
