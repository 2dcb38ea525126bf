import type { Config } from 'jest';

// NestJS 12 ships as ES modules, and Jest can only load those in its ESM mode
// on Node 20 (`node --experimental-vm-modules`, see package.json): specs and the
// code they import are compiled to ESM here, while `npm run build` emits CommonJS.
//
// ES-module-only packages that CommonJS dependencies require() (e.g. @fastify/static
// requires content-disposition 3): Jest on Node 20 cannot require ES modules, so
// these few are compiled to CommonJS for the test run.
const ESM_REQUIRED_FROM_CJS = ['content-disposition'];

const common = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: '.',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.spec.json' }],
    [`/node_modules/(${ESM_REQUIRED_FROM_CJS.join('|')})/.+\\.js$`]: [
      'ts-jest',
      { useESM: false, tsconfig: { allowJs: true, module: 'commonjs', isolatedModules: true } },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_REQUIRED_FROM_CJS.join('|')})/)`],
  // examples/extend-gatehouse is a separate app with its own install and `npm test`
  // (as a consumer runs it, from the packed package): not one of these projects.
  modulePathIgnorePatterns: ['<rootDir>/examples/extend-gatehouse/'],
  // examples/passport-basic is tested here, importing Gatehouse by its package name.
  moduleNameMapper: { '^gatehouse$': '<rootDir>/src/index.ts' },
  coveragePathIgnorePatterns: ['/node_modules/', '<rootDir>/test/'],
} satisfies Config;

const config: Config = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: [
        '<rootDir>/test/**/*.e2e-spec.ts',
        '<rootDir>/examples/passport-basic/test/**/*.e2e-spec.ts',
      ],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      // Every answer of a spec's app is checked against docs/openapi.json.
      setupFilesAfterEnv: ['<rootDir>/test/support/openapi-responses.setup.ts'],
    },
  ],
  // e2e specs boot the real app and CLI on a fresh database per file; hashing is real too.
  testTimeout: 60_000,
};

export default config;
