/**
 * The CDK app (`npx cdk synth`, `npx cdk deploy`): the Linli stack, checked by cdk-nag's
 * AwsSolutions and Serverless packs at synth time. Configuration: see lib/stack-config.ts.
 */
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LinliStack } from '../lib/linli-stack';
import { readStackConfig, stackIdOf } from '../lib/stack-config';

/**
 * The region the caller asked for. The CDK CLI starts this app with CDK_DEFAULT_REGION set to its
 * own default region (AWS_REGION, the profile's, else us-east-1), replacing the caller's: run as
 * `CDK_DEFAULT_REGION=cn-north-1 npx cdk synth`, the app would be told us-east-1 and synthesise a
 * stack for the global partition. So the caller's value is read back from the environment the
 * CLI process itself was started with (Linux `/proc`): the outermost ancestor that has it. Run
 * without the CLI, or elsewhere, CDK_DEFAULT_REGION is taken as it is.
 */
function regionTheCallerSet(): string | undefined {
  const own = process.env.CDK_DEFAULT_REGION;
  if (!process.env.CDK_OUTDIR) return own;
  let found = own;
  let pid = process.ppid;
  for (let depth = 0; depth < 8 && pid > 1; depth += 1) {
    try {
      const value = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').find((entry) => entry.startsWith('CDK_DEFAULT_REGION='));
      if (value) found = value.slice('CDK_DEFAULT_REGION='.length);
      // The parent's pid: the field after the command name, which is in parentheses.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      break;
    }
  }
  return found;
}

const callerRegion = regionTheCallerSet();
if (callerRegion) process.env.CDK_DEFAULT_REGION = callerRegion;

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
