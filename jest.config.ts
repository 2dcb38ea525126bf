import type { Config } from 'jest';

// NestJS 12 ships as ES modules, and Jest can only load those in its ESM mode
// on Node 20 (`node --experimental-vm-modules`, see package.json): specs and the
// code they import are compiled to ESM here, while `npm run build` emits CommonJS.

const common = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: '.',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  // examples/extend-gatehouse is a separate app with its own install and `npm test`
  // (as a consumer runs it, from the packed package): not one of these projects.
  modulePathIgnorePatterns: ['<rootDir>/examples/extend-gatehouse/'],
  // examples/passport-basic is tested here, importing Gatehouse by its package name.
  moduleNameMapper: {
    '^@gatehouse-auth/nestjs$': '<rootDir>/src/index.ts',
    '^@gatehouse-auth/nestjs/(drf|fastapi)$': '<rootDir>/src/$1.ts',
    '^@gatehouse-auth/nestjs/testing$': '<rootDir>/src/testing/index.ts',
  },
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
  // Jest's ESM mode keeps every spec file's module graph alive (50-100 MB of heap each,
  // measured with --logHeapUsage), so one process running all of them ends in multi-second
  // GC pauses, long enough to trip a 2 s PostgreSQL connect timeout. The limit also makes
  // Jest run the specs in a worker (even on one core), replaced once it holds this much.
  workerIdleMemoryLimit: '1GB',
};

export default config;
