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

/**
 * The suites whose outcome depends on the date and the time of day: hours reports (the console's
 * month view), registration windows, reminders, slot series, check-in windows, and a community in
 * Europe/Berlin. Besides the real now, they run again with the clock (functions/clock.ts, and the
 * browser's through Playwright's clock) moved to each of INSTANTS: the turn of a month just past
 * midnight in Shanghai, New Year's Eve five minutes before midnight, and the night the clocks go
 * forward in Berlin. Each test file's clock starts at the instant and runs on from there.
 */
const DATE_SENSITIVE = [
  'unit/clock.test.ts',
  'unit/domain/**/*.test.ts',
  'integration/events.test.ts',
  'integration/help-desk.test.ts',
  'integration/hours-and-points.test.ts',
  'integration/registrations.test.ts',
  'integration/reminders.test.ts',
  'integration/time-zones.test.ts',
  'browser/console.test.ts',
  'browser/help-desk.test.ts',
  'browser/registration.test.ts',
  'browser/volunteer.test.ts',
].map((glob) => `<rootDir>/tests/${glob}`);

export const INSTANTS = [
  { name: '1 March, 00:05 in Shanghai', at: '2027-03-01T00:05:00+08:00' },
  { name: '31 December, 23:55 in Shanghai', at: '2026-12-31T23:55:00+08:00' },
  { name: 'the clocks go forward in Berlin', at: '2027-03-28T01:30:00+01:00' },
];

/**
 * The integration suites whose tests race requests against each other run a second time with
 * DynamoDB's documented concurrency laid over DynamoDB Local (DYNAMODB_CONTENTION=aws,
 * local/contention.ts): a transaction touching an item in flight is cancelled, a single write to
 * one refused, as on AWS, where DynamoDB Local alone never does either.
 */
const CONTENDED = ['registrations-concurrency', 'registrations-model', 'waitlist-first', 'sign-up-queue', 'help-desk', 'hours-and-points', 'wishes', 'work-orders', 'desk-codes'].map(
  (name) => `<rootDir>/tests/integration/${name}.test.ts`,
);

const withDynamo = {
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
  globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
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
    // The stack deploys the built pages (dist/web): built first.
    { ...common, displayName: 'infra', testMatch: ['<rootDir>/tests/infra/**/*.test.ts'], globalSetup: '<rootDir>/tests/support/web-build.ts' },
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/tests/browser/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/support/global-setup.ts',
      globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
    },
    { ...common, ...withDynamo, displayName: 'integration under DynamoDB’s conflicts', testMatch: CONTENDED, setupFiles: ['<rootDir>/tests/support/contended.ts'] },
    ...INSTANTS.map(({ name, at }) => ({
      ...common,
      ...withDynamo,
      displayName: `at ${name}`,
      testMatch: DATE_SENSITIVE,
      globals: { LINLI_NOW: at },
      setupFiles: ['<rootDir>/tests/support/clock-at.ts'],
    })),
  ],
};
