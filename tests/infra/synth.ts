import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LinliStack } from '../../lib/linli-stack';
import type { LinliStackConfig } from '../../lib/stack-config';

export const projectRoot = resolve(__dirname, '..', '..');

/** A deployment's configuration as an operator would give it. */
export const testConfig: LinliStackConfig = {
  webOrigins: ['https://linli.example.org'],
  authCallbackUrls: ['https://linli.example.org/organiser/'],
  authDomainPrefix: 'linli-test',
  alarmEmail: 'ops@example.org',
  publicRateLimitPerMinute: 120,
  logLevel: 'INFO',
};

/** The stack as `cdk synth` builds it (the same feature flags from cdk.json), minus esbuild bundling. */
export function synthStack(config: LinliStackConfig = testConfig): { stack: LinliStack; template: Template } {
  const cdkJson = JSON.parse(readFileSync(resolve(projectRoot, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
  const stack = new LinliStack(app, 'Linli', { projectRoot, config });
  return { stack, template: Template.fromStack(stack) };
}
