/**
 * Three suites, one command. Unit: pure domain and HTTP rules. Integration: the real handlers
 * through the local HTTP server against DynamoDB Local (started once by tests/support/global-setup).
 * Infra: the synthesised CDK stack and cdk-nag. Browser: the web pages in headless Chromium.
 * TypeScript and the ESM-only packages (middy, jose) are compiled to CommonJS by swc.
 */
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2023' },
    module: { type: 'commonjs' },
  },
];

const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(@middy|jose)/)'],
  // middy publishes only an "import" entry; point Jest's CommonJS resolver at it.
  moduleNameMapper: { '^@middy/([a-z-]+)$': '<rootDir>/node_modules/@middy/$1/index.js' },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
};

export default {
  maxWorkers: 2,
  testTimeout: 60_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/tests/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/tests/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/support/global-setup.ts',
      globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
    },
    {
      ...common,
      displayName: 'adversarial',
      testMatch: ['<rootDir>/tests/adversarial/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/support/global-setup.ts',
      globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
    },
    { ...common, displayName: 'infra', testMatch: ['<rootDir>/tests/infra/**/*.test.ts'] },
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/tests/browser/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/support/global-setup.ts',
      globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
    },
  ],
};
