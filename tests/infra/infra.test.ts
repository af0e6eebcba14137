/**
 * The suites that read a synthesised stack, in one test file. Jest gives every test file a module
 * registry of its own, and loading aws-cdk-lib and the stack's code into one takes several seconds,
 * against half a second for a synth once loaded. So the stack for the default test configuration
 * (synth.ts, `defaultStack()`) is synthesised once here and shared by the stack, least-privilege,
 * messaging, jobs and operations suites; the web suite synthesises its own configuration beside it,
 * in the same registry.
 * stack-config.test.ts needs no synth and stays a file of its own.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
describe('stack', () => {
  require('./stack.suite');
});

describe('least privilege', () => {
  require('./least-privilege.suite');
});

describe('messaging', () => {
  require('./messaging.suite');
});

describe('jobs', () => {
  require('./jobs.suite');
});

describe('web', () => {
  require('./web.suite');
});

describe('operations', () => {
  require('./operations.suite');
});

describe('china', () => {
  require('./china.suite');
});
