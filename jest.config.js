/**
 * Unit tests sit next to the code (`*.spec.ts`); e2e suites (`*.e2e-spec.ts`) run against the emulators;
 * conformance suites (`*.conformance-spec.ts`) against the official DynamoDB Local.
 */
const common = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  moduleNameMapper: { '^@app/common(|/.*)$': '<rootDir>/libs/common/src$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  // every line the tests and their apps write is kept in test-artifacts/logs and searched for the test secrets at the end
  setupFiles: ['<rootDir>/test/support/capture-output.setup.ts'],
};

module.exports = {
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,tools,test,infra,bench}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/{apps/*/test,test}/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/emulators.global-setup.ts',
      globalTeardown: '<rootDir>/test/support/emulators.global-teardown.ts',
    },
    // the storage suite again, on the official DynamoDB Local (needs Java; skipped with a message without it)
    { ...common, displayName: 'conformance', testMatch: ['<rootDir>/test/conformance/**/*.conformance-spec.ts'] },
  ],
};
