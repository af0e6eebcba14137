import { App, type Environment } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LinliStack } from '../../lib/linli-stack';
import { DEFAULT_CLAIM_NAMES, stackIdOf, type LinliStackConfig } from '../../lib/stack-config';

export const projectRoot = resolve(__dirname, '..', '..');

/** A deployment's configuration as an operator would give it. */
export const testConfig: LinliStackConfig = {
  stage: 'dev',
  auth: 'cognito',
  claims: DEFAULT_CLAIM_NAMES,
  webOrigins: ['https://linli.example.org'],
  authCallbackUrls: ['https://linli.example.org/organiser/'],
  authDomainPrefix: 'linli-test',
  alarmEmail: 'ops@example.org',
  mailFrom: 'linli@example.org',
  smsProvider: 'sns',
  smsMonthlySpendAlarmUsd: 50,
  publicRateLimitPerMinute: 120,
  partiesPerAddressPerEvent: 10,
  logLevel: 'INFO',
};

export interface SynthesisedStack {
  readonly app: App;
  readonly stack: LinliStack;
  readonly template: Template;
}

/** An app as `cdk synth` builds it (the same feature flags from cdk.json), minus esbuild bundling. */
export function newApp(): App {
  const cdkJson = JSON.parse(readFileSync(resolve(projectRoot, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  return new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
}

/** The stack as `cdk synth` builds it (bin/app.ts), for `config`, environment-agnostic unless `env` is given. */
export function synthStack(config: LinliStackConfig = testConfig, env?: Environment): SynthesisedStack {
  const app = newApp();
  const stack = new LinliStack(app, stackIdOf(config.stage), { projectRoot, config, env });
  return { app, stack, template: Template.fromStack(stack) };
}

let synthesised: SynthesisedStack | undefined;

/**
 * The stack for `testConfig`, synthesised once for every suite that reads it (stack, messaging,
 * jobs; see infra.test.ts). No suite changes the construct tree, so they can share it.
 */
export function defaultStack(): SynthesisedStack {
  synthesised ??= synthStack(testConfig);
  return synthesised;
}
