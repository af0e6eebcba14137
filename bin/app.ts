/**
 * The CDK app (`npx cdk synth`, `npx cdk deploy`): the Linli stack, checked by cdk-nag's
 * AwsSolutions and Serverless packs at synth time. Configuration: see lib/stack-config.ts.
 */
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { resolve } from 'node:path';
import { LinliStack } from '../lib/linli-stack';
import { readStackConfig, stackIdOf } from '../lib/stack-config';

const app = new App();
const config = readStackConfig(app.node);

// Environment-agnostic when no region is known: synthesises offline, with no AWS credentials, and
// `cdk deploy` picks the account. With CDK_DEFAULT_REGION (the CLI sets it from the profile, or set
// it by hand: cn-north-1), the stack knows its partition and region, and leaves out what they lack.
const region = process.env.CDK_DEFAULT_REGION;
new LinliStack(app, stackIdOf(config.stage), {
  description: `Linli (邻里): serverless backend of a neighbourhood community centre${config.stage ? ` (${config.stage})` : ''}`,
  projectRoot: resolve(import.meta.dirname, '..'),
  config,
  env: region ? { region, account: process.env.CDK_DEFAULT_ACCOUNT } : undefined,
});
Tags.of(app).add('project', 'linli');

Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
