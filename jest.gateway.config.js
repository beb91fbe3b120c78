/**
 * Jest for the real-gateway suite (`npm run test:gateway`): test-gateway/, one file at a time
 * (each starts its own WebThings Gateway). The gateway's sources are found in ../shared/gateway
 * (or RULE_THINGS_SHARED/gateway); where they are absent, as in a user's clone, the suite is
 * skipped with one line saying why.
 */
const fs = require('fs');
const path = require('path');

const shared = path.resolve(process.env.RULE_THINGS_SHARED || path.join(__dirname, '..', 'shared'));
const sources = path.join(shared, 'gateway');
const available = fs.existsSync(path.join(sources, 'gw.sh'));
if (!available) {
  console.log(
    `test:gateway skipped: no WebThings Gateway sources at ${sources} (the suite needs ../shared/gateway beside the repository, or RULE_THINGS_SHARED)`
  );
}

module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test-gateway'],
  testMatch: ['**/*.test.ts'],
  // Without the sources every test file is left out and jest exits 0.
  testPathIgnorePatterns: available ? ['/node_modules/'] : ['.*'],
  passWithNoTests: !available,
  moduleNameMapper: { '^rule-things$': '<rootDir>/src/api.ts' },
  transform: { '^.+\\.ts$': 'ts-jest' },
  globalSetup: available ? '<rootDir>/test-gateway/harness/globalSetup.ts' : undefined,
  globalTeardown: available ? '<rootDir>/test-gateway/harness/globalTeardown.ts' : undefined,
  globals: { ruleThingsGatewaySources: sources },
  testTimeout: 300000,
};
