/** Jest: ts-jest over test/, with `rule-things` mapped to the source so examples import as users do. */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  moduleNameMapper: { '^rule-things$': '<rootDir>/src/api.ts' },
  transform: { '^.+\\.ts$': 'ts-jest' },
  testTimeout: 20000,
  // A folder for the run, where test/builds.ts builds each package once.
  globalSetup: '<rootDir>/test/globalSetup.ts',
  globalTeardown: '<rootDir>/test/globalTeardown.ts',
};
