/**
 * The CDK app (`npx cdk synth`, `npx cdk deploy`): the Linli stack, checked by cdk-nag's
 * AwsSolutions and Serverless packs at synth time. Configuration: see lib/stack-config.ts.
 */
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { resolve } from 'node:path';
import { LinliStack } from '../lib/linli-stack';
import { readStackConfig } from '../lib/stack-config';

const app = new App();

// Environment-agnostic: synthesises offline, with no AWS credentials; `cdk deploy` picks the account.
new LinliStack(app, 'Linli', {
  description: 'Linli (邻里): serverless backend of a neighbourhood community centre',
  projectRoot: resolve(import.meta.dirname, '..'),
  config: readStackConfig(app.node),
});
Tags.of(app).add('project', 'linli');

Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
