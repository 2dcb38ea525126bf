import type { Config } from 'jest';

// `npm test` runs both projects: unit specs beside the code, e2e specs under test/.
const common = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: '.',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
} satisfies Config;

const config: Config = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      // Each spec file boots the real app on its own fresh database.
      testTimeout: 60_000,
    },
  ],
};

export default config;
